// The pure parts of the municipal comparison view (/kommunalvergleich): list toggling with the
// limit of ten, the table of a chart's values by reference date.
import type { CompareAnswer, ComparisonPoint } from '../../../../src/contracts/answers/index.ts';

export const MAX_OTHERS = 10;

/** Adds or removes a key; adding beyond `max` changes nothing. */
export function toggle(list: readonly string[], key: string, max = Infinity): string[] {
  if (list.includes(key)) return list.filter((k) => k !== key);
  return list.length >= max ? [...list] : [...list, key];
}

/** Per standard: the reference dates (ascending) and per municipality its point at each date. */
export function tableOf(
  answer: CompareAnswer,
  standard: string,
): { dates: string[]; rows: { key: string; name: string; own: boolean; points: (ComparisonPoint | undefined)[] }[] } {
  const series = answer.series.filter((s) => s.standard === standard);
  const dates = [...new Set(series.flatMap((s) => s.points.map((p) => p.referenceDate)))].sort();
  const rows = answer.municipalities.map((m) => {
    const s = series.find((x) => x.municipality === m.key);
    return {
      key: m.key,
      name: m.name,
      own: m.own,
      points: dates.map((d) => s?.points.find((p) => p.referenceDate === d)),
    };
  });
  return { dates, rows };
}
