// Staff link a topic (/jugendforum, "Thema bearbeiten") to measures of the registry, indicators
// and reports — a report as a whole or one of its blocks (by the block's stable key). Each add or
// remove replaces the topic's links on the server (PUT /api/forum/topics/:id/links), which checks
// that every target exists.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { useApi, apiPath, putJSON } from '../api.ts';
import { SelectField, Button } from '../components/Fields.tsx';
import type { Key } from '../i18n/de.ts';
import type { TopicLink } from '../../../src/core/forum.ts';
import type { ReportDetail } from '../../../src/contracts/answers/index.ts';

type Act = (fn: () => Promise<unknown>, ok?: string) => Promise<void>;
type Kind = TopicLink['kind'];

export function TopicLinks({ topic, act }: { topic: { id: number; links: TopicLink[] }; act: Act }) {
  const { t } = useApp();
  const measures = useApi(apiPath('GET /api/measures'));
  const indicators = useApi(apiPath('GET /api/indicators'));
  const reports = useApi(apiPath('GET /api/reports'));
  const [kind, setKind] = useState<Kind>('measure');
  const [ref, setRef] = useState('');
  const [block, setBlock] = useState('');
  const report = useApi(kind === 'report' && ref ? apiPath('GET /api/reports/:key', { key: ref }) : null);

  const names: Record<Kind, Map<string, string>> = {
    measure: new Map((measures.data?.measures ?? []).map((m) => [m.key, m.title])),
    indicator: new Map((indicators.data?.indicators ?? []).map((i) => [i.key, i.name])),
    report: new Map((reports.data ?? []).map((r) => [r.key, r.title])),
  };
  const blocksOf = (r: ReportDetail | undefined) =>
    (r?.definition.sections ?? []).flatMap((s) =>
      s.blocks.map((b) => {
        // A text block has no title of its own.
        const title = 'title' in b.spec ? b.spec.title : undefined;
        return { key: b.key, title: title ? `${title} (${s.title})` : `${b.key} (${s.title})` };
      }),
    );
  const blocks = report.data && report.data.key === ref ? blocksOf(report.data) : [];
  const label = (l: TopicLink) => {
    const name = names[l.kind].get(l.ref) ?? l.ref;
    return l.block
      ? t('forum.linkLabel.block', { name, block: l.block })
      : t(`forum.linkLabel.${l.kind}` as Key, { name });
  };
  const targets = [...names[kind].entries()].map(([value, name]) => ({ value, label: `${name} (${value})` }));
  const put = (links: TopicLink[]) =>
    act(() => putJSON(apiPath('PUT /api/forum/topics/:id/links', { id: topic.id }), { links }));
  return (
    <div class="km-forum__links">
      <h3 class="kern-heading-small" id="forum-links">
        {t('forum.links')}
      </h3>
      <p>{t('forum.linksIntro')}</p>
      {topic.links.length === 0 ? (
        <p class="km-muted">{t('forum.linksNone')}</p>
      ) : (
        <ul class="km-forum__link-list" aria-labelledby="forum-links">
          {topic.links.map((l, i) => (
            <li key={`${l.kind}:${l.ref}:${l.block ?? ''}`}>
              {label(l)}{' '}
              <Button
                small
                kind="tertiary"
                label={t('forum.linkRemove', { label: label(l) })}
                onClick={() => put(topic.links.filter((_, j) => j !== i))}
              >
                <span aria-hidden="true">✕</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <SelectField
        id="link-kind"
        label={t('forum.linkKind')}
        value={kind}
        options={(['measure', 'indicator', 'report'] as const).map((k) => ({
          value: k,
          label: t(`forum.linkKind.${k}` as Key),
        }))}
        onChange={(v) => {
          setKind(v as Kind);
          setRef('');
          setBlock('');
        }}
      />
      <SelectField
        id="link-target"
        label={t('forum.linkTarget')}
        value={ref}
        options={[{ value: '', label: t('forum.none') }, ...targets]}
        onChange={(v) => {
          setRef(v);
          setBlock('');
        }}
      />
      {kind === 'report' && ref && (
        <SelectField
          id="link-block"
          label={t('forum.linkBlock')}
          value={block}
          options={[
            { value: '', label: t('forum.linkWholeReport') },
            ...blocks.map((b) => ({ value: b.key, label: b.title })),
          ]}
          onChange={setBlock}
        />
      )}
      <Button
        disabled={!ref}
        onClick={async () => {
          const link: TopicLink = kind === 'report' && block ? { kind, ref, block } : { kind, ref };
          await put([...topic.links, link]);
          setRef('');
          setBlock('');
        }}
      >
        {t('forum.linkAdd')}
      </Button>
    </div>
  );
}
