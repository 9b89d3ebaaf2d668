// Warning gauges: which band (green / amber / red) a value falls in, given two thresholds and the
// indicator's polarity, and the geometry of a rev-counter-like dial.
// Pure functions, unit-tested in test/web/gauge.test.ts.

import type { GaugeLevel as Level } from '../../../src/core/cockpit.ts';

export type { Level };

export interface Thresholds {
  amber: number;
  red: number;
}

/**
 * For "higher is worse" (and neutral): green below amber, amber from amber, red from red.
 * For "higher is better": red below red, amber below amber, green otherwise.
 */
export function gaugeLevel(value: number, t: Thresholds, polarity: string): Level {
  if (polarity === 'higher_is_better') {
    if (value < t.red) return 'red';
    if (value < t.amber) return 'amber';
    return 'green';
  }
  if (value >= t.red) return 'red';
  if (value >= t.amber) return 'amber';
  return 'green';
}

/** Whether the thresholds are in the order the polarity needs (amber < red for "higher is worse"). */
export function thresholdsValid(t: Thresholds, polarity: string): boolean {
  if (!Number.isFinite(t.amber) || !Number.isFinite(t.red)) return false;
  return polarity === 'higher_is_better' ? t.red < t.amber : t.amber < t.red;
}

function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** The dial's range: 0 … 100 for percentages up to 100, otherwise a round number above value and thresholds. */
export function gaugeRange(value: number | null, t: Thresholds, unit: string): [number, number] {
  const top = Math.max(value ?? 0, t.amber, t.red);
  const min = Math.min(0, value ?? 0);
  if (unit === '%' && top <= 100 && min >= 0) return [0, 100];
  return [min, niceCeil(top * 1.15)];
}

/** Coloured bands of the dial in value space, in ascending order. */
export function gaugeBands(
  range: [number, number],
  t: Thresholds,
  polarity: string,
): { from: number; to: number; level: Level }[] {
  const [lo, hi] = range;
  const clamp = (v: number) => Math.max(lo, Math.min(hi, v));
  const bands =
    polarity === 'higher_is_better'
      ? [
          { from: lo, to: clamp(t.red), level: 'red' as Level },
          { from: clamp(t.red), to: clamp(t.amber), level: 'amber' as Level },
          { from: clamp(t.amber), to: hi, level: 'green' as Level },
        ]
      : [
          { from: lo, to: clamp(t.amber), level: 'green' as Level },
          { from: clamp(t.amber), to: clamp(t.red), level: 'amber' as Level },
          { from: clamp(t.red), to: hi, level: 'red' as Level },
        ];
  return bands.filter((b) => b.to > b.from);
}

/** Angle (radians, 0 = pointing left, π = pointing right, over the top) of a value on a half-circle dial. */
export function gaugeAngle(value: number, range: [number, number]): number {
  const [lo, hi] = range;
  const f = hi > lo ? (Math.max(lo, Math.min(hi, value)) - lo) / (hi - lo) : 0;
  return f * Math.PI;
}

/** SVG path of an arc band on a half-circle dial centred at (cx, cy). */
export function arcPath(cx: number, cy: number, r0: number, r1: number, a0: number, a1: number): string {
  const pt = (r: number, a: number) =>
    [cx - r * Math.cos(a), cy - r * Math.sin(a)].map((n) => Math.round(n * 100) / 100).join(' ');
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return `M${pt(r1, a0)}A${r1} ${r1} 0 ${large} 1 ${pt(r1, a1)}L${pt(r0, a1)}A${r0} ${r0} 0 ${large} 0 ${pt(r0, a0)}Z`;
}

/** Whether data of this periodicity with this latest reference date are overdue on `now` (a day's grace). */
export function isStale(referenceDate: string, periodicity: string | null, now: Date): boolean {
  const days = periodicity === 'daily' ? 1 : periodicity === 'weekly' ? 7 : null;
  if (!days) return false;
  const ref = Date.parse(`${referenceDate}T00:00:00Z`);
  if (!Number.isFinite(ref)) return false;
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return (today - ref) / 864e5 > days + 1;
}
