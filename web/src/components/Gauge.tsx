// A warning gauge shaped like a rev counter: green / amber / red bands by the thresholds and the
// indicator's polarity, a needle at the value, the value and the level in words (colour is never
// the only carrier of meaning).
import { arcPath, gaugeAngle, gaugeBands, gaugeLevel, gaugeRange, type Level, type Thresholds } from '../lib/gauge.ts';
import { formatTick } from '../../../src/contracts/format.ts';
import { useApp } from '../context.ts';

const LEVEL_COLORS: Record<Level, string> = { green: '#2e7d32', amber: '#c77700', red: '#c62828' };

export function Gauge(p: {
  value: number | null;
  thresholds: Thresholds;
  polarity: string;
  unit: string;
  valueText: string;
  label: string;
}) {
  const { lang } = useApp();
  const range = gaugeRange(p.value, p.thresholds, p.unit);
  const bands = gaugeBands(range, p.thresholds, p.polarity);
  const cx = 120;
  const cy = 120;
  const r1 = 100;
  const r0 = 70;
  const a = p.value === null ? null : gaugeAngle(p.value, range);
  const needle = a === null ? null : { x: cx - (r1 + 4) * Math.cos(a), y: cy - (r1 + 4) * Math.sin(a) };
  const tick = (v: number) => {
    const ang = gaugeAngle(v, range);
    return {
      x1: cx - (r1 + 2) * Math.cos(ang),
      y1: cy - (r1 + 2) * Math.sin(ang),
      x2: cx - (r1 + 10) * Math.cos(ang),
      y2: cy - (r1 + 10) * Math.sin(ang),
      tx: cx - (r1 + 20) * Math.cos(ang),
      ty: cy - (r1 + 20) * Math.sin(ang),
    };
  };
  const level = p.value === null ? null : gaugeLevel(p.value, p.thresholds, p.polarity);
  return (
    <svg class="km-gauge" viewBox="-12 -12 264 170" role="img" aria-label={p.label} data-level={level ?? 'none'}>
      {bands.map((b) => (
        <path
          key={b.level}
          d={arcPath(cx, cy, r0, r1, gaugeAngle(b.from, range), gaugeAngle(b.to, range))}
          fill={LEVEL_COLORS[b.level]}
          opacity={level && b.level !== level ? 0.45 : 1}
        />
      ))}
      {[p.thresholds.amber, p.thresholds.red, range[0], range[1]].map((v, i) => {
        const tk = tick(v);
        return (
          <g key={i}>
            <line x1={tk.x1} y1={tk.y1} x2={tk.x2} y2={tk.y2} stroke="#131525" stroke-width="1.5" />
            <text x={tk.tx} y={tk.ty} class="km-gauge__tick" text-anchor="middle" dominant-baseline="middle">
              {formatTick(v, lang)}
            </text>
          </g>
        );
      })}
      {needle && (
        <>
          <line x1={cx} y1={cy} x2={needle.x} y2={needle.y} stroke="#131525" stroke-width="4" stroke-linecap="round" />
          <circle cx={cx} cy={cy} r="8" fill="#131525" />
        </>
      )}
      <text x={cx} y={cy + 30} class="km-gauge__value">
        {p.valueText}
      </text>
    </svg>
  );
}
