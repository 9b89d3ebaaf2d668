// The youth pages (/jugend): phone first, simple German, no account. Young people browse the
// topics of their Stadtteil with the city's answers, support a topic with a code from school or
// the youth centre, and propose a topic (it waits for moderation). No name, e-mail address or
// phone number is asked for; the privacy notice says what is kept.
import { useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import { ApiError, apiUrl, useApi, clearCache, apiPath, postJSON } from '../api.ts';
import { formatDate, formatShare } from '../../../src/contracts/format.ts';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import type { Key } from '../i18n/de.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { TopicList, TopicMarkers, withPoint } from '../components/TopicPoints.tsx';
import type { Shape } from '../../../src/core/geo/draw.ts';

import type { PublicForum } from '../../../src/core/forum.ts';
import type { PublicTopic } from '../../../src/contracts/answers/index.ts';
import { AGE_BANDS, oneOf } from '../../../src/contracts/vocabulary.ts';

export function YouthView() {
  const { t } = useApp();
  const forums = useApi(apiPath('GET /api/forum/forums'));
  return (
    <section class="km-view km-youth" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('youth.title')}
      </h1>
      <p class="km-intro">{t('youth.intro')}</p>
      {forums.error ? (
        <ErrorBox error={forums.error} retry={forums.retry} />
      ) : !forums.data ? (
        <Loading />
      ) : !forums.data.forums.length ? (
        <Notice>{t('youth.noForum')}</Notice>
      ) : (
        <Body forums={forums.data.forums} />
      )}
      <Privacy />
    </section>
  );
}

function Body({ forums }: { forums: PublicForum[] }) {
  const { t, lang, route } = useApp();
  const forum = forums.find((f) => f.key === route.params.forum) ?? forums[0];
  const topics = useApi(apiPath('GET /api/forum/topics', { forum: forum.key }));
  const acc = useApi(apiPath('GET /api/forum/accountability'));
  const meetings = useApi(apiPath('GET /api/forum/forums/:key/meetings', { key: forum.key }));
  const last = meetings.data?.meetings[0];
  const reload = () => {
    clearCache('/api/forum/');
    topics.retry();
  };
  return (
    <>
      <SelectField
        id="youth-forum"
        label={t('youth.pickArea')}
        value={forum.key}
        options={forums.map((f) => ({ value: f.key, label: f.areaName ?? f.name }))}
        onChange={(v) => navigate(withParams(route, { forum: v }), { replace: true })}
      />
      {last && (
        <p class="km-youth__meeting">
          {last.participants === null
            ? t('youth.meetingFew', { date: formatDate(last.heldOn, lang), place: last.place })
            : t('youth.meeting', { date: formatDate(last.heldOn, lang), place: last.place, n: last.participants })}
        </p>
      )}
      {acc.data && acc.data.total.due > 0 && (
        <p class="km-youth__acc">
          {t('youth.accountability', { inTime: acc.data.total.inTime, due: acc.data.total.due })}
        </p>
      )}
      <h2 class="kern-heading-medium">{t('youth.topicsOf', { area: forum.areaName ?? forum.name })}</h2>
      {topics.error ? (
        <ErrorBox error={topics.error} retry={topics.retry} />
      ) : !topics.data ? (
        <Loading />
      ) : !topics.data.topics.length ? (
        <p>{t('youth.noTopics')}</p>
      ) : (
        <>
          {withPoint(topics.data.topics).length > 0 && <YouthMap forum={forum} topics={topics.data.topics} />}
          <ul class="km-youth__list">
            {topics.data.topics.map((x) => (
              <li key={x.id}>
                <TopicCard topic={x} onSupported={reload} />
              </li>
            ))}
          </ul>
        </>
      )}
      <Propose forum={forum.key} />
    </>
  );
}

/** The forum's Stadtteil (and the areas of its topics) with the topics that have a place. */
function YouthMap({ forum, topics }: { forum: PublicForum; topics: PublicTopic[] }) {
  const { t } = useApp();
  const areas = useApi(apiPath('GET /api/layers/:layer/areas', { layer: forum.layer }));
  const [selected, setSelected] = useState<number | null>(null);
  const codes = useMemo(() => new Set([forum.area, ...topics.map((x) => x.area)]), [forum.area, topics]);
  const shapes: Shape[] = useMemo(
    () =>
      (areas.data?.features ?? [])
        .filter((f) => codes.has(f.properties.code))
        .map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry, bbox: f.bbox })),
    [areas.data, codes],
  );
  const mapAreas = useMemo(
    () =>
      new Map<string, MapArea>(
        shapes.map((x) => [x.code, { code: x.code, name: x.name, color: '#e8e9f0', status: 'final', label: x.name }]),
      ),
    [shapes],
  );
  if (areas.error || !areas.data || !shapes.length) return null;
  const area = forum.areaName ?? forum.name;
  return (
    <section class="km-youth__map" aria-labelledby="youth-map">
      <h3 class="kern-heading-small" id="youth-map">
        {t('youth.mapTitle')}
      </h3>
      <ChoroplethMap
        shapes={shapes}
        areas={mapAreas}
        label={t('youth.mapLabel', { area })}
        keyboardHelp={t('topics.mapHelp')}
        overlay={(d) => <TopicMarkers drawing={d} topics={topics} selected={selected} onSelect={setSelected} />}
        height={260}
      />
      <TopicList topics={topics} selected={selected} onSelect={setSelected} headingId="youth-map-list" />
    </section>
  );
}

function statusText(s: NonNullable<PublicTopic['answer']>['status']): Key {
  return `youth.status.${s}` as Key;
}

function TopicCard({ topic, onSupported }: { topic: PublicTopic; onSupported: () => void }) {
  const { t, lang } = useApp();
  const headingId = `topic-${topic.id}`;
  return (
    <article class="km-youth__card" aria-labelledby={headingId}>
      <h3 class="kern-heading-small" id={headingId}>
        {topic.title}
      </h3>
      {topic.description && <p>{topic.description}</p>}
      <p class="km-youth__meta">
        {t('youth.raised', { date: formatDate(topic.raisedOn, lang) })}
        {topic.raisedByLabel ? ` · ${topic.raisedByLabel}` : ''}
      </p>
      <p class="km-youth__supports">
        {topic.supports === null ? t('youth.supportsFew') : t('youth.supports', { n: topic.supports })}
      </p>
      <div class="km-youth__answer">
        {topic.answer ? (
          <>
            <p>
              <strong>{t('youth.answerOf', { dept: topic.departmentName ?? t('youth.theCity') })}</strong>{' '}
              <span class={`km-badge km-badge--${topic.answer.status}`}>{t(statusText(topic.answer.status))}</span>
            </p>
            <p>{topic.answer.text}</p>
            {topic.answer.reasons && (
              <p>
                <strong>{t('youth.reasons')}</strong> {topic.answer.reasons}
              </p>
            )}
          </>
        ) : (
          <p>{t('youth.noAnswer')}</p>
        )}
        {topic.due && (!topic.answer || topic.answer.status === 'in_pruefung') && (
          <p>
            {topic.overdue ? (
              <strong class="km-youth__overdue">{t('youth.overdue', { date: formatDate(topic.due, lang) })}</strong>
            ) : (
              t('youth.due', { date: formatDate(topic.due, lang) })
            )}
          </p>
        )}
      </div>
      {topic.attachments.length > 0 && (
        <ul class="km-youth__attachments">
          {topic.attachments.map((a) => (
            <li key={a.url}>
              <a class="kern-link" href={a.url} rel="noopener noreferrer">
                {a.title || t('youth.attachment')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {topic.photos.length > 0 && (
        <ul class="km-youth__photos">
          {topic.photos.map((p) => (
            <li key={p.id}>
              <img
                src={apiUrl(`/api/forum/attachments/${p.id}`)}
                alt={p.title ? t('youth.photo', { title: p.title }) : t('youth.photoOf', { title: topic.title })}
                loading="lazy"
              />
            </li>
          ))}
        </ul>
      )}
      {topic.source?.url && (
        <p>
          <a class="kern-link" href={topic.source.url} rel="noopener noreferrer">
            {t('youth.source')}
          </a>
        </p>
      )}
      <ReportLinks topic={topic} />
      <Support topic={topic} onSupported={onSupported} />
    </article>
  );
}

/** The reports (or one block of a report) the topic is linked to, where the report is public. */
function ReportLinks({ topic }: { topic: PublicTopic }) {
  const { t, href } = useApp();
  const reports = (topic.links ?? []).filter((l) => l.kind === 'report' && l.title);
  if (!reports.length) return null;
  return (
    <div class="km-youth__reports">
      <p>
        <strong>{t('youth.reportLinks')}</strong>
      </p>
      <ul>
        {reports.map((l) => (
          <li key={`${l.ref}#${l.block ?? ''}`}>
            <Link href={href('berichte', { report: l.ref })}>
              {l.block
                ? t('youth.reportBlockLink', { report: l.title!, block: l.blockTitle || l.block })
                : t('youth.reportLink', { report: l.title! })}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Support({ topic, onSupported }: { topic: PublicTopic; onSupported: () => void }) {
  const { t } = useApp();
  const [code, setCode] = useState('');
  const [age, setAge] = useState('');
  const [msg, setMsg] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      await postJSON(apiPath('POST /api/forum/topics/:id/support', { id: topic.id }), {
        code,
        ageBand: oneOf(AGE_BANDS, age) ?? null,
      });
      setMsg({ kind: 'success', text: t('youth.supportThanks') });
      setCode('');
      onSupported();
    } catch (err) {
      const s = err instanceof ApiError ? err.status : 0;
      setMsg({
        kind: 'error',
        text: t(
          s === 409
            ? 'youth.supportTwice'
            : s === 429
              ? 'youth.tooMany'
              : s === 400
                ? 'youth.codeWrong'
                : 'youth.failed',
        ),
      });
    } finally {
      setBusy(false);
    }
  };
  const id = `support-${topic.id}`;
  return (
    <details class="km-youth__support">
      <summary>{t('youth.support')}</summary>
      <form onSubmit={submit}>
        <TextField
          id={`${id}-code`}
          label={t('youth.code')}
          hint={t('youth.codeHint')}
          value={code}
          onInput={setCode}
          autoComplete="off"
          maxLength={20}
          required
        />
        <SelectField
          id={`${id}-age`}
          label={t('youth.age')}
          value={age}
          options={[
            { value: '', label: t('youth.ageNone') },
            ...AGE_BANDS.map((b) => ({ value: b, label: t(`youth.age.${b}` as Key) })),
          ]}
          onChange={setAge}
        />
        <Button type="submit" kind="primary" disabled={busy}>
          {t('youth.supportSend')}
        </Button>
        <div role="status" aria-live="polite">
          {msg && <p class={msg.kind === 'success' ? 'km-youth__ok' : 'km-youth__err'}>{msg.text}</p>}
        </div>
      </form>
    </details>
  );
}

function Propose({ forum }: { forum: string }) {
  const { t } = useApp();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [msg, setMsg] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      await postJSON(apiPath('POST /api/forum/topics'), { forum, title, description: text });
      setMsg({ kind: 'success', text: t('youth.proposeThanks') });
      setTitle('');
      setText('');
    } catch (err) {
      const contact = err instanceof ApiError && err.problems.some((p) => p.code === 'contact-data');
      const s = err instanceof ApiError ? err.status : 0;
      setMsg({
        kind: 'error',
        text: t(
          contact ? 'youth.noContact' : s === 429 ? 'youth.tooMany' : s === 400 ? 'youth.proposeCheck' : 'youth.failed',
        ),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="km-youth__propose" aria-labelledby="youth-propose">
      <h2 class="kern-heading-medium" id="youth-propose">
        {t('youth.propose')}
      </h2>
      <p>{t('youth.proposeIntro')}</p>
      <form onSubmit={submit}>
        <TextField
          id="youth-title"
          label={t('youth.proposeTitle')}
          value={title}
          onInput={setTitle}
          maxLength={200}
          required
        />
        <div class="kern-form-input km-field">
          <label class="kern-label" for="youth-text">
            {t('youth.proposeText')}
          </label>
          <div class="kern-hint" id="youth-text-hint">
            {t('youth.proposeHint')}
          </div>
          <textarea
            class="kern-form-input__input km-youth__textarea"
            id="youth-text"
            name="youth-text"
            rows={4}
            maxLength={4000}
            value={text}
            aria-describedby="youth-text-hint"
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </div>
        <Button type="submit" kind="primary" disabled={busy}>
          {t('youth.proposeSend')}
        </Button>
        <div role="status" aria-live="polite">
          {msg && <p class={msg.kind === 'success' ? 'km-youth__ok' : 'km-youth__err'}>{msg.text}</p>}
        </div>
      </form>
    </section>
  );
}

function Privacy() {
  const { t } = useApp();
  return (
    <section class="km-youth__privacy" aria-labelledby="youth-privacy">
      <h2 class="kern-heading-medium" id="youth-privacy">
        {t('youth.privacy')}
      </h2>
      <ul>
        {(['youth.privacy1', 'youth.privacy2', 'youth.privacy3', 'youth.privacy4', 'youth.privacy5'] as Key[]).map(
          (k) => (
            <li key={k}>{t(k)}</li>
          ),
        )}
      </ul>
    </section>
  );
}

/** The share for staff and public tables: "–" when nothing is due yet. */
export function shareText(share: number | null, lang: 'de' | 'en'): string {
  return share === null ? '–' : formatShare(share, lang, 0);
}
