// The youth forum for staff (/jugendforum, signed in): the moderation queue, the topics with
// their answer state and deadline (overdue flagged), one topic's assignment, binding answer,
// merging and deletion, topics recorded offline, support-code batches (shown once) and the
// accountability view per department and area. The server decides who may do what.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import {
  apiUrl,
  postBytes,
  qs,
  useApi,
  clearCache,
  apiPath,
  postJSON,
  deleteJSONUnchecked,
  postJSONUnchecked,
} from '../api.ts';
import type { AccountabilityRow } from '../../../src/core/forum.ts';
import { formatDate } from '../../../src/contracts/format.ts';
import { refusalText } from '../lib/servertext.ts';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ActionError, ErrorBox, Loading, Notice } from '../components/States.tsx';
import type { Key } from '../i18n/de.ts';
import { shareText } from './Youth.tsx';
import type { PublicForum } from '../../../src/core/forum.ts';
import { PlaceTopic } from './YouthForumPlace.tsx';
import { TopicLinks } from './YouthForumLinks.tsx';
import type { StaffTopic } from '../../../src/contracts/answers/index.ts';
import { ANSWER_STATUSES as STATUSES, oneOf } from '../../../src/contracts/vocabulary.ts';

/** A row of the accountability view: core's figures with the department's or area's name. */
type AccRow = AccountabilityRow & { name: string | null };

/** Who raised a topic the staff records (an online proposal comes by itself). */
const RECORDED_BY = ['forum', 'school_class', 'youth_centre', 'other'] as const;

export function YouthForumStaffView() {
  const { t, me } = useApp();
  return (
    <section class="km-view km-forum" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('forum.title')}
      </h1>
      <p class="km-intro">{t('forum.intro')}</p>
      {me === undefined ? <Loading /> : !me?.user ? <Notice>{t('forum.signIn')}</Notice> : <Body />}
    </section>
  );
}

function Body() {
  const { t, route, lang } = useApp();
  const forums = useApi(apiPath('GET /api/forum/forums'));
  const deps = useApi(apiPath('GET /api/departments'));
  const forum = route.params.forum ?? '';
  const topics = useApi(apiPath('GET /api/forum/staff/topics', { forum }));
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const reload = () => {
    clearCache('/api/forum/');
    topics.retry();
  };
  const act = async (fn: () => Promise<unknown>, ok = t('forum.saved')) => {
    setMsg(null);
    try {
      await fn();
      setMsg({ ok: true, text: ok });
      reload();
    } catch (e) {
      setMsg({ ok: false, text: refusalText(e, lang) });
    }
  };
  if (forums.error) return <ErrorBox error={forums.error} retry={forums.retry} />;
  if (!forums.data || !topics.data)
    return topics.error ? <ErrorBox error={topics.error} retry={topics.retry} /> : <Loading />;
  const departments = deps.data?.departments ?? [];
  const depOptions = [
    { value: '', label: t('forum.none') },
    ...departments.map((d) => ({ value: d.key, label: d.name })),
  ];
  const all = topics.data.topics;
  const pending = all.filter((x) => x.moderation === 'pending');
  const published = all.filter((x) => x.moderation === 'published');
  return (
    <>
      <SelectField
        id="forum-pick"
        label={t('forum.forum')}
        value={forum}
        options={[
          { value: '', label: t('forum.all') },
          ...forums.data.forums.map((f) => ({ value: f.key, label: f.name })),
        ]}
        onChange={(v) => navigate(withParams(route, { forum: v }), { replace: true })}
      />
      <div role="status" aria-live="polite">
        {msg?.ok && <Notice kind="success">{msg.text}</Notice>}
      </div>
      {msg && !msg.ok && <ActionError text={msg.text} />}
      <Queue pending={pending} depOptions={depOptions} act={act} />
      <h2 class="kern-heading-medium">{t('forum.topics')}</h2>
      <TopicTable topics={published} />
      {published.length > 0 && <EditTopic topics={published} depOptions={depOptions} act={act} />}
      <Record forums={forums.data.forums} forum={forum} depOptions={depOptions} act={act} />
      <Meeting forums={forums.data.forums} forum={forum} act={act} />
      <Codes forums={forums.data.forums} forum={forum} />
      <Accountability />
    </>
  );
}

type Act = (fn: () => Promise<unknown>, ok?: string) => Promise<void>;

function Queue({
  pending,
  depOptions,
  act,
}: {
  pending: StaffTopic[];
  depOptions: { value: string; label: string }[];
  act: Act;
}) {
  const { t, lang } = useApp();
  const [dep, setDep] = useState<Record<number, string>>({});
  return (
    <section aria-labelledby="forum-queue">
      <h2 class="kern-heading-medium" id="forum-queue">
        {t('forum.queue')}
      </h2>
      {!pending.length ? (
        <p>{t('forum.queueEmpty')}</p>
      ) : (
        <ul class="km-forum__queue">
          {pending.map((x) => (
            <li key={x.id}>
              <h3 class="kern-heading-small">{x.title}</h3>
              <p>
                {x.description}{' '}
                <span class="km-muted">
                  ({x.forumKey}, {formatDate(x.raisedOn, lang)})
                </span>
              </p>
              <SelectField
                id={`queue-dep-${x.id}`}
                label={t('forum.department')}
                value={dep[x.id] ?? ''}
                options={depOptions}
                onChange={(v) => setDep({ ...dep, [x.id]: v })}
              />
              <Button
                kind="primary"
                onClick={() =>
                  act(() =>
                    postJSON(apiPath('POST /api/forum/topics/:id/moderate', { id: x.id }), {
                      decision: 'publish',
                      ...(dep[x.id] ? { department: dep[x.id] } : {}),
                    }),
                  )
                }
              >
                {t('forum.publish')}
              </Button>{' '}
              <Button
                onClick={() =>
                  act(() =>
                    postJSON(apiPath('POST /api/forum/topics/:id/moderate', { id: x.id }), { decision: 'reject' }),
                  )
                }
              >
                {t('forum.reject')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TopicTable({ topics }: { topics: StaffTopic[] }) {
  const { t, lang } = useApp();
  const columns: Column<StaffTopic>[] = [
    {
      key: 'title',
      label: t('forum.col.title'),
      render: (x) => `${x.title}${x.sourcePlatform ? ` (${x.sourcePlatform})` : ''}`,
    },
    { key: 'forum', label: t('forum.col.forum'), render: (x) => x.forumKey },
    { key: 'department', label: t('forum.col.department'), render: (x) => x.departmentName ?? t('forum.unassigned') },
    { key: 'supports', label: t('forum.col.supports'), render: (x) => String(x.supports), numeric: true },
    {
      key: 'answer',
      label: t('forum.col.answer'),
      render: (x) => (x.answerStatus ? t(`youth.status.${x.answerStatus}` as Key) : t('forum.open')),
    },
    { key: 'due', label: t('forum.col.due'), render: (x) => (x.answerDue ? formatDate(x.answerDue, lang) : '') },
    { key: 'state', label: t('forum.col.state'), render: (x) => (x.overdue ? t('forum.overdue') : '') },
  ];
  return (
    <DataTable
      caption={t('forum.topics')}
      columns={columns}
      rows={topics}
      rowKey={(x) => String(x.id)}
      rowClass={(x) => (x.overdue ? 'km-row--overdue' : undefined)}
      stack
    />
  );
}

function EditTopic({
  topics,
  depOptions,
  act,
}: {
  topics: StaffTopic[];
  depOptions: { value: string; label: string }[];
  act: Act;
}) {
  const { t } = useApp();
  const [id, setId] = useState(String(topics[0].id));
  const topic = topics.find((x) => String(x.id) === id) ?? topics[0];
  const [dep, setDep] = useState('');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('in_pruefung');
  const [text, setText] = useState('');
  const [reasons, setReasons] = useState('');
  const [due, setDue] = useState('');
  const [into, setInto] = useState('');
  return (
    <section aria-labelledby="forum-edit" class="km-forum__edit">
      <h2 class="kern-heading-medium" id="forum-edit">
        {t('forum.edit')}
      </h2>
      <SelectField
        id="edit-topic"
        label={t('forum.pick')}
        value={String(topic.id)}
        options={topics.map((x) => ({ value: String(x.id), label: `${x.id}: ${x.title}` }))}
        onChange={setId}
      />
      <SelectField
        id="edit-dep"
        label={t('forum.department')}
        value={dep || topic.department || ''}
        options={depOptions}
        onChange={setDep}
      />
      <Button
        onClick={() =>
          act(() =>
            postJSONUnchecked(apiPath('POST /api/forum/topics/:id/assign', { id: topic.id }), {
              department: dep || topic.department,
            }),
          )
        }
      >
        {t('forum.assign')}
      </Button>
      <h3 class="kern-heading-small">{t('forum.answer')}</h3>
      <SelectField
        id="edit-status"
        label={t('forum.status')}
        value={status}
        options={STATUSES.map((s) => ({ value: s, label: t(`youth.status.${s}` as Key) }))}
        onChange={(v) => setStatus(oneOf(STATUSES, v) ?? status)}
      />
      <TextField id="edit-text" label={t('forum.text')} value={text} onInput={setText} maxLength={4000} />
      <TextField id="edit-reasons" label={t('forum.reasons')} value={reasons} onInput={setReasons} maxLength={4000} />
      <TextField id="edit-due" label={t('forum.due')} value={due} onInput={setDue} type="date" />
      <Button
        kind="primary"
        onClick={() =>
          act(() =>
            postJSON(apiPath('POST /api/forum/topics/:id/answer', { id: topic.id }), {
              status,
              text,
              ...(reasons ? { reasons } : {}),
              ...(due ? { due } : {}),
            }),
          )
        }
      >
        {t('forum.send')}
      </Button>
      <SelectField
        id="edit-into"
        label={t('forum.mergeInto')}
        value={into}
        options={[
          { value: '', label: t('forum.none') },
          ...topics
            .filter((x) => x.id !== topic.id)
            .map((x) => ({ value: String(x.id), label: `${x.id}: ${x.title}` })),
        ]}
        onChange={setInto}
      />
      <Button
        disabled={!into}
        onClick={() =>
          act(() => postJSON(apiPath('POST /api/forum/topics/:id/merge', { id: topic.id }), { into: Number(into) }))
        }
      >
        {t('forum.merge')}
      </Button>{' '}
      <Button onClick={() => act(() => deleteJSONUnchecked(`/api/forum/topics/${topic.id}`), t('forum.deleted'))}>
        {t('forum.delete')}
      </Button>
      <PlaceTopic key={`place-${topic.id}`} topic={topic} act={act} />
      <TopicLinks key={`links-${topic.id}`} topic={topic} act={act} />
      <Photos topic={topic} act={act} />
    </section>
  );
}

/** Photos of a topic: upload (metadata stripped on the server), approve for the public, delete. */
function Photos({ topic, act }: { topic: StaffTopic; act: Act }) {
  const { t } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const photos = topic.photos ?? [];
  return (
    <div class="km-forum__photos">
      <h3 class="kern-heading-small">{t('forum.photos')}</h3>
      {photos.length === 0 ? (
        <p class="km-muted">{t('forum.photoNone')}</p>
      ) : (
        <ul class="km-youth__photos">
          {photos.map((p) => (
            <li key={p.id}>
              <img
                src={apiUrl(`/api/forum/attachments/${p.id}`)}
                alt={p.title || t('youth.photoOf', { title: topic.title })}
                loading="lazy"
              />
              <p>
                {p.title && <>{p.title} · </>}
                {p.approved ? t('forum.photoPublic') : t('forum.photoWaiting')}
              </p>
              <Button
                onClick={() =>
                  act(() =>
                    postJSON(apiPath('POST /api/forum/attachments/:id/approve', { id: p.id }), {
                      approved: !p.approved,
                    }),
                  )
                }
              >
                {p.approved ? t('forum.photoWithdraw') : t('forum.photoApprove')}
              </Button>{' '}
              <Button
                onClick={() => act(() => deleteJSONUnchecked(`/api/forum/attachments/${p.id}`), t('forum.deleted'))}
              >
                {t('forum.photoDelete')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div class="kern-form-input km-field">
        <label class="kern-label" for="photo-file">
          {t('forum.photoFile')}
        </label>
        <div class="kern-hint" id="photo-file-hint">
          {t('forum.photoHint')}
        </div>
        <input
          class="kern-form-input__input"
          id="photo-file"
          name="photo-file"
          type="file"
          accept="image/jpeg,image/png"
          aria-describedby="photo-file-hint"
          onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      <TextField id="photo-title" label={t('forum.photoTitle')} value={title} onInput={setTitle} maxLength={200} />
      <Button
        kind="primary"
        disabled={!file}
        onClick={() =>
          act(async () => {
            await postBytes(
              `/api/forum/staff/topics/${topic.id}/attachments${qs({ title })}`,
              file!,
              file!.type === 'image/png'
                ? 'image/png'
                : file!.type === 'image/jpeg'
                  ? 'image/jpeg'
                  : 'application/octet-stream',
            );
            setFile(null);
            setTitle('');
          })
        }
      >
        {t('forum.photoSend')}
      </Button>
    </div>
  );
}

function Record({
  forums,
  forum,
  depOptions,
  act,
}: {
  forums: PublicForum[];
  forum: string;
  depOptions: { value: string; label: string }[];
  act: Act;
}) {
  const { t } = useApp();
  const [f, setF] = useState(forum || forums[0]?.key || '');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [by, setBy] = useState<(typeof RECORDED_BY)[number]>('forum');
  const [label, setLabel] = useState('');
  const [on, setOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [dep, setDep] = useState('');
  if (!forums.length) return null;
  return (
    <section aria-labelledby="forum-record">
      <h2 class="kern-heading-medium" id="forum-record">
        {t('forum.record')}
      </h2>
      <SelectField
        id="rec-forum"
        label={t('forum.forum')}
        value={f}
        options={forums.map((x) => ({ value: x.key, label: x.name }))}
        onChange={setF}
      />
      <TextField id="rec-title" label={t('forum.recordTitle')} value={title} onInput={setTitle} maxLength={200} />
      <TextField id="rec-text" label={t('forum.recordText')} value={text} onInput={setText} maxLength={4000} />
      <SelectField
        id="rec-by"
        label={t('forum.raisedBy')}
        value={by}
        options={RECORDED_BY.map((v) => ({ value: v, label: t(`forum.raisedBy.${v}` as Key) }))}
        onChange={(v) => setBy(oneOf(RECORDED_BY, v) ?? by)}
      />
      <TextField id="rec-label" label={t('forum.label')} value={label} onInput={setLabel} maxLength={200} />
      <TextField id="rec-on" label={t('forum.raisedOn')} value={on} onInput={setOn} type="date" />
      <SelectField id="rec-dep" label={t('forum.department')} value={dep} options={depOptions} onChange={setDep} />
      <Button
        kind="primary"
        onClick={() =>
          act(() =>
            postJSON(apiPath('POST /api/forum/staff/topics'), {
              forum: f,
              title,
              description: text,
              raisedBy: by,
              raisedByLabel: label,
              raisedOn: on,
              ...(dep ? { department: dep } : {}),
            }),
          )
        }
      >
        {t('forum.recordSend')}
      </Button>
    </section>
  );
}

function Meeting({ forums, forum, act }: { forums: PublicForum[]; forum: string; act: Act }) {
  const { t } = useApp();
  const [f, setF] = useState(forum || forums[0]?.key || '');
  const [on, setOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [place, setPlace] = useState('');
  const [n, setN] = useState('');
  const [bands, setBands] = useState<Record<string, string>>({});
  if (!forums.length) return null;
  const ageBands = ['unter_12', '12_14', '15_17', '18_27'];
  return (
    <section aria-labelledby="forum-meeting">
      <h2 class="kern-heading-medium" id="forum-meeting">
        {t('forum.meeting')}
      </h2>
      <SelectField
        id="meet-forum"
        label={t('forum.forum')}
        value={f}
        options={forums.map((x) => ({ value: x.key, label: x.name }))}
        onChange={setF}
      />
      <TextField id="meet-on" label={t('forum.meetingOn')} value={on} onInput={setOn} type="date" />
      <TextField id="meet-place" label={t('forum.meetingPlace')} value={place} onInput={setPlace} maxLength={200} />
      <TextField
        id="meet-n"
        label={t('forum.meetingParticipants')}
        value={n}
        onInput={setN}
        inputMode="numeric"
        maxLength={6}
      />
      {ageBands.map((b) => (
        <TextField
          key={b}
          id={`meet-band-${b}`}
          label={t('forum.meetingBand', { band: t(`youth.age.${b}` as Key) })}
          value={bands[b] ?? ''}
          onInput={(v) => setBands({ ...bands, [b]: v })}
          inputMode="numeric"
          maxLength={6}
        />
      ))}
      <Button
        kind="primary"
        onClick={() =>
          act(() =>
            postJSON(apiPath('POST /api/forum/forums/:key/meetings', { key: f }), {
              heldOn: on,
              place,
              participants: Number(n),
              ageBands: Object.fromEntries(
                Object.entries(bands)
                  .filter(([, v]) => v.trim() !== '')
                  .map(([k, v]) => [k, Number(v)]),
              ),
            }),
          )
        }
      >
        {t('forum.meetingSend')}
      </Button>
    </section>
  );
}

function Codes({ forums, forum }: { forums: PublicForum[]; forum: string }) {
  const { t, lang } = useApp();
  const [f, setF] = useState(forum || forums[0]?.key || '');
  const [count, setCount] = useState('30');
  const [label, setLabel] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [err, setErr] = useState('');
  if (!forums.length) return null;
  return (
    <section aria-labelledby="forum-codes">
      <h2 class="kern-heading-medium" id="forum-codes">
        {t('forum.codes')}
      </h2>
      <p>{t('forum.codesIntro')}</p>
      <SelectField
        id="codes-forum"
        label={t('forum.forum')}
        value={f}
        options={forums.map((x) => ({ value: x.key, label: x.name }))}
        onChange={setF}
      />
      <TextField
        id="codes-count"
        label={t('forum.codesCount')}
        value={count}
        onInput={setCount}
        inputMode="numeric"
        maxLength={5}
      />
      <TextField id="codes-label" label={t('forum.codesLabel')} value={label} onInput={setLabel} maxLength={200} />
      <Button
        kind="primary"
        onClick={async () => {
          setErr('');
          try {
            setCodes(
              (
                await postJSON(apiPath('POST /api/forum/forums/:key/codes', { key: f }), {
                  count: Number(count),
                  label,
                })
              ).codes,
            );
          } catch (e) {
            setErr(refusalText(e, lang));
          }
        }}
      >
        {t('forum.codesMake')}
      </Button>
      {err && <ActionError text={err} />}
      {codes && (
        <>
          <p role="status">{t('forum.codesShown', { n: codes.length })}</p>
          <pre class="km-forum__codes">{codes.join('\n')}</pre>
        </>
      )}
    </section>
  );
}

function Accountability() {
  const { t, lang } = useApp();
  const acc = useApi(apiPath('GET /api/forum/accountability'));
  if (acc.error) return <ErrorBox error={acc.error} retry={acc.retry} />;
  if (!acc.data) return <Loading />;
  const columns: Column<AccRow>[] = [
    { key: 'key', label: t('forum.acc.key'), render: (r) => r.name ?? (r.key || t('forum.unassigned')) },
    { key: 'topics', label: t('forum.acc.topics'), render: (r) => String(r.topics), numeric: true },
    { key: 'due', label: t('forum.acc.due'), render: (r) => String(r.due), numeric: true },
    { key: 'inTime', label: t('forum.acc.inTime'), render: (r) => String(r.inTime), numeric: true },
    { key: 'share', label: t('forum.acc.share'), render: (r) => shareText(r.share, lang), numeric: true },
    { key: 'open', label: t('forum.acc.open'), render: (r) => String(r.open), numeric: true },
    { key: 'overdue', label: t('forum.acc.overdue'), render: (r) => String(r.overdue), numeric: true },
  ];
  return (
    <section aria-labelledby="forum-acc">
      <h2 class="kern-heading-medium" id="forum-acc">
        {t('forum.accountability')}
      </h2>
      <DataTable
        caption={t('forum.byDepartment')}
        columns={columns}
        rows={acc.data.byDepartment}
        rowKey={(r) => `d-${r.key}`}
        stack
      />
      <DataTable
        caption={t('forum.byArea')}
        columns={columns}
        rows={acc.data.byArea}
        rowKey={(r) => `a-${r.key}`}
        stack
      />
    </section>
  );
}
