// The key facts at the top of an area profile (issue #15, item 2): one plain sentence per rate with a
// polarity — value, count behind it, multiple of the city value, change since the first period of
// the boundary version — and a spine chart: the range of all areas of the layer (line), their middle
// half (band), the city (tick) and the area (dot, red when worse than the city, blue when better,
// grey for neutral). Colour is never alone: the sentence says "ungünstig" / "günstig".
import { useMemo } from 'preact/hooks';
import { useApp } from '../context.ts';
import { useApiAll, type Profile, apiPath } from '../api.ts';
import { formatDate, formatValue, hasValue, type Lang } from '../../../src/contracts/format.ts';
import {
  decimalsOfMeta,
  isKeyFact,
  keyFact,
  spineOf,
  spinePos,
  type Judgement,
  type KeyFact,
  type Spine,
} from '../lib/facts.ts';

const COLOR: Record<Judgement, string> = { worse: '#b2182b', better: '#2166ac', same: '#4c5270', none: '#4c5270' };

export function KeyFacts({ profile }: { profile: Profile }) {
  const { t, lang } = useApp();
  const entries = useMemo(() => profile.themes.flatMap((th) => th.entries), [profile]);
  const facts = useMemo(() => entries.filter(isKeyFact), [entries]);
  const urls = facts.map((e) =>
    apiPath('GET /api/observations', { indicator: e.indicator.key, layer: profile.layer.key, period: e.period }),
  );
  const obs = useApiAll(urls);
  if (!facts.length) return null;
  return (
    <section class="km-facts" aria-labelledby="facts-h" id="kernaussagen">
      <h2 class="kern-heading-medium" id="facts-h">
        {t('facts.title')}
      </h2>
      <p class="km-muted km-facts__legend">
        <span class="km-facts__key km-facts__key--dot" aria-hidden="true" /> {profile.area.name}{' '}
        <span class="km-facts__key km-facts__key--city" aria-hidden="true" /> {t('col.city')}{' '}
        <span class="km-facts__key km-facts__key--band" aria-hidden="true" />{' '}
        {t('facts.middle', { layer: profile.layer.name })}
      </p>
      <ul class="km-facts__list">
        {facts.map((e, k) => {
          const o = obs.data?.[k];
          const f = keyFact(e, entries, lang);
          const spine =
            o && o.indicator.key === e.indicator.key
              ? spineOf(o.values.filter((v) => hasValue(v.status)).map((v) => v.value))
              : null;
          return (
            <li key={e.indicator.key} class="km-fact" data-indicator={e.indicator.key} data-level={f.level}>
              <p class="km-fact__text">
                <FactSentence f={f} />
              </p>
              {spine && (
                <SpineChart
                  spine={spine}
                  value={e.value as number}
                  city={e.cityValue}
                  level={f.level}
                  dec={decimalsOfMeta(e.indicator)}
                  unit={e.indicator.unit}
                  layer={profile.layer.name}
                  lang={lang}
                />
              )}
              <p class="km-fact__source km-muted" data-source={e.indicator.source ?? undefined}>
                {t('facts.source', {
                  source: e.indicator.source ?? t('facts.noSource'),
                  date: formatDate(e.referenceDate, lang),
                })}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function FactSentence({ f }: { f: KeyFact }) {
  const { t } = useApp();
  const parts: string[] = [];
  if (f.level === 'same') parts.push(t('facts.likeCity', { city: f.city }));
  else if (f.ratio) parts.push(t('facts.ratio', { ratio: f.ratio, city: f.city }));
  else parts.push(t('facts.city', { city: f.city }));
  return (
    <>
      <strong>
        {f.name} {f.value}
      </strong>
      {f.count && <> ({f.count})</>}
      {' — '}
      {parts.join(', ')}
      {f.level !== 'none' && f.level !== 'same' && (
        <>
          {' '}
          <span class={`km-judge km-judge--${f.level}`}>
            ({t(f.level === 'worse' ? 'facts.levelWorse' : 'facts.levelBetter')})
          </span>
        </>
      )}
      {f.trend && (
        <>
          {', '}
          <span class={`km-trendword km-judge--${f.trend.judgement}`}>
            <span aria-hidden="true">{f.trend.dir === 'up' ? '▲ ' : f.trend.dir === 'down' ? '▼ ' : '► '}</span>
            {t(f.trend.dir === 'up' ? 'facts.up' : f.trend.dir === 'down' ? 'facts.down' : 'facts.flat', {
              since: f.trend.since,
              from: f.trend.from,
            })}
            {(f.trend.judgement === 'worse' || f.trend.judgement === 'better') && (
              <> – {t(f.trend.judgement === 'worse' ? 'facts.trendWorse' : 'facts.trendBetter')}</>
            )}
          </span>
        </>
      )}
    </>
  );
}

function SpineChart({
  spine,
  value,
  city,
  level,
  dec,
  unit,
  layer,
  lang,
}: {
  spine: Spine;
  value: number;
  city: number | null;
  level: Judgement;
  dec: number;
  unit: string;
  layer: string;
  lang: Lang;
}) {
  const { t } = useApp();
  const W = 300;
  const x = (v: number) => 6 + spinePos(spine, v) * (W - 12);
  // The spread of all areas' values (minimum, maximum): statistics of them, with no status of their own.
  const fmt = (v: number) => formatValue(v, dec, unit, lang);
  return (
    <div class="km-spine">
      <svg
        class="km-spine__svg"
        viewBox={`0 0 ${W} 24`}
        preserveAspectRatio="none"
        aria-hidden="true"
        focusable="false"
      >
        <line
          x1={x(spine.min)}
          x2={x(spine.max)}
          y1="12"
          y2="12"
          stroke="#8a8fa8"
          stroke-width="2"
          vector-effect="non-scaling-stroke"
        />
        <rect x={x(spine.q1)} width={Math.max(1, x(spine.q3) - x(spine.q1))} y="6" height="12" fill="#c5c9d6" />
        {city !== null && (
          <line
            x1={x(city)}
            x2={x(city)}
            y1="1"
            y2="23"
            stroke="#131525"
            stroke-width="2.5"
            vector-effect="non-scaling-stroke"
          />
        )}
      </svg>
      <span
        class="km-spine__dot"
        style={{ left: `calc(${(x(value) / W) * 100}% - .45rem)`, background: COLOR[level] }}
        aria-hidden="true"
      />
      <p class="km-spine__range km-muted">
        {t('facts.range', { layer, min: fmt(spine.min), max: fmt(spine.max), n: spine.n })}
      </p>
    </div>
  );
}
