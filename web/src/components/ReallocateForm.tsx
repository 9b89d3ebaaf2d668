// Reallocation ("Daten umschlüsseln", issue #6) for stewards and administrators, on the congruence
// view: the count indicators with values on layer A are carried onto layer B (another boundary
// version or layer) with POST /api/reallocate, one request per indicator, and the answer is shown
// as a summary (periods, areas, totals before/after, values without a target, withheld values,
// the method stored with every estimate). A dry run (the default) changes nothing.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { errorMessageIn } from '../lib/servertext.ts';
import { renderKnown, type CodedLike } from '../../../src/contracts/codes/index.ts';
import type { ReallocateResult as ReallocateAnswer } from '../../../src/contracts/answers/index.ts';
import { currentPath } from '../router.ts';
import { ApiError, clearCache, postJSON, useApi, apiPath } from '../api.ts';
import { formatNumber, formatPeriod } from '../../../src/contracts/format.ts';
import { Button, SelectField, TextField } from './Fields.tsx';
import { Notice } from './States.tsx';
import { Link } from './Link.tsx';
import { splitPeriods } from '../lib/facilities.ts';
import { TableScroll } from './TableScroll.tsx';

/** Notes in the page's language: from their codes, each as the server wrote it where it has none. */
function notesIn(texts: string[], codes: CodedLike[] | undefined, lang: 'de' | 'en'): string[] {
  return texts.map((text, i) => (codes?.length === texts.length ? renderKnown(codes[i], lang) : undefined) ?? text);
}

type Outcome = { indicator: string; name: string; answer?: ReallocateAnswer; error?: string };

export function ReallocateForm({
  a,
  b,
  aLabel,
  bLabel,
}: {
  a: { layer: string; ref: string };
  b: { layer: string; ref: string; date: string | null };
  aLabel: string;
  bLabel: string;
}) {
  const { t, lang, me, href } = useApp();
  const role = me?.user?.role;
  const allowed = role === 'admin' || role === 'steward';
  const inds = useApi(allowed ? apiPath('GET /api/indicators') : null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [weights, setWeights] = useState<'area' | 'population'>('area');
  const [periods, setPeriods] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const counts = (inds.data?.indicators ?? []).filter(
    (i) => i.type === 'count' && !i.lineage && (i.layers ?? []).includes(a.layer),
  );
  const same = a.ref === b.ref;

  const run = async () => {
    setProblem(null);
    const keys = chosen.filter((k) => counts.some((i) => i.key === k));
    if (!keys.length) {
      setProblem(t('realloc.chooseOne'));
      return;
    }
    setBusy(true);
    const out: Outcome[] = [];
    for (const key of keys) {
      const name = counts.find((i) => i.key === key)?.name ?? key;
      const list = splitPeriods(periods);
      try {
        const answer = await postJSON(apiPath('POST /api/reallocate'), {
          indicator: key,
          from: a.ref,
          to: b.ref,
          weights,
          ...(list.length ? { periods: list } : {}),
          dryRun,
        });
        out.push({ indicator: key, name, answer });
      } catch (e) {
        out.push({ indicator: key, name, error: e instanceof ApiError ? errorMessageIn(e, lang) : String(e) });
      }
    }
    if (!dryRun) clearCache('/api/');
    setOutcomes(out);
    setBusy(false);
  };

  return (
    <section class="km-section km-realloc no-print" aria-labelledby="realloc-h">
      <h2 class="kern-heading-medium" id="realloc-h">
        {t('realloc.title')}
      </h2>
      <p>{t('realloc.intro', { a: aLabel, b: bLabel })}</p>
      {!me?.user ? (
        <Notice>
          {t('realloc.signIn')} <Link href={href('anmelden', { next: currentPath() })}>{t('realloc.signInLink')}</Link>
        </Notice>
      ) : !allowed ? (
        <Notice>{t('realloc.notAllowed', { role: role ?? '–' })}</Notice>
      ) : same ? (
        <Notice kind="warning">{t('realloc.sameLayer')}</Notice>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          {inds.data && !counts.length ? (
            <Notice>{t('realloc.none', { layer: aLabel })}</Notice>
          ) : (
            <fieldset aria-describedby={problem ? 'realloc-problem' : undefined}>
              <legend>{t('realloc.indicators')}</legend>
              {counts.map((i) => (
                <label key={i.key} class="km-check">
                  <input
                    type="checkbox"
                    name="realloc-indicator"
                    value={i.key}
                    checked={chosen.includes(i.key)}
                    onChange={(e) =>
                      setChosen((c) =>
                        (e.currentTarget as HTMLInputElement).checked ? [...c, i.key] : c.filter((x) => x !== i.key),
                      )
                    }
                  />
                  <span>
                    {i.name} <span class="km-muted">({i.key})</span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {problem && (
            <p class="kern-error" id="realloc-problem" role="alert">
              {problem}
            </p>
          )}
          <SelectField
            id="realloc-weights"
            label={t('realloc.weights')}
            value={weights}
            options={[
              { value: 'area', label: t('realloc.weights.area') },
              { value: 'population', label: t('realloc.weights.population') },
            ]}
            onChange={(v) => setWeights(v === 'population' ? 'population' : 'area')}
          />
          <TextField
            id="realloc-periods"
            label={t('realloc.periods')}
            hint={t('realloc.periodsHint')}
            value={periods}
            onInput={setPeriods}
          />
          <label class="km-check">
            <input
              type="checkbox"
              checked={dryRun}
              onChange={(e) => setDryRun((e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{t('realloc.dryRun')}</span>
          </label>
          <Button type="submit" kind="primary" disabled={busy}>
            {busy ? t('realloc.running') : dryRun ? t('realloc.check') : t('realloc.run')}
          </Button>
        </form>
      )}
      <div class="km-realloc__result" role="status" aria-live="polite">
        {outcomes.map((o) =>
          o.error ? (
            <Notice key={o.indicator} kind="warning">
              {t('realloc.failed', { indicator: o.name, message: o.error })}
            </Notice>
          ) : (
            <Summary
              key={o.indicator}
              name={o.name}
              answer={o.answer!}
              lang={lang}
              seriesHref={href('zeitreihe', {
                indicator: o.indicator,
                layer: b.layer,
                at: b.date ?? o.answer!.to.validFrom ?? undefined,
              })}
            />
          ),
        )}
      </div>
    </section>
  );
}

function Summary({
  name,
  answer,
  lang,
  seriesHref,
}: {
  name: string;
  answer: ReallocateAnswer;
  lang: 'de' | 'en';
  seriesHref: string;
}) {
  const { t } = useApp();
  const n = (x: number) => formatNumber(x, Number.isInteger(x) ? 0 : 1, lang);
  return (
    <div class="km-realloc__answer">
      <h3 class="kern-heading-small">{t('realloc.result', { indicator: name })}</h3>
      <p>
        {answer.dryRun
          ? t('realloc.dryRunDone')
          : t('realloc.stored', {
              inserted: n(answer.inserted),
              updated: n(answer.updated),
              unchanged: n(answer.unchanged),
            })}
      </p>
      <p class="km-muted">{t('realloc.method', { reason: answer.reason })}</p>
      {[...notesIn(answer.warnings, answer.warningCodes, lang), ...notesIn(answer.notes, answer.noteCodes, lang)].map(
        (w) => (
          <p key={w} class="km-muted">
            {w}
          </p>
        ),
      )}
      <TableScroll label={t('realloc.caption', { indicator: name })}>
        <table class="kern-table kern-table--small kern-table--striped km-table">
          <caption class="kern-sr-only">{t('realloc.caption', { indicator: name })}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              {(['period', 'source', 'target', 'input', 'output', 'lost', 'withheld'] as const).map((c) => (
                <th
                  key={c}
                  scope="col"
                  class={`kern-table__header ${c === 'period' ? '' : 'kern-table__header--numeric'}`}
                >
                  {t(`realloc.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {answer.periods.map((p) => (
              <tr key={p.period} class="kern-table__row">
                <th scope="row" class="kern-table__header km-rowheader">
                  {formatPeriod(p.period, lang)}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.sourceAreas)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.targetAreas)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.input)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.output)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.lost)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{n(p.withheld)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {!answer.dryRun && (
        <p>
          <Link href={seriesHref}>{t('realloc.seeSeries')}</Link>
        </p>
      )}
    </div>
  );
}
