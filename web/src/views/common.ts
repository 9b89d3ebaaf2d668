// Helpers shared by the views: default choices, theme lists, labels for areas and values.
import { useEffect, useState } from 'preact/hooks';
import type { IndicatorInfo, LayerInfo } from '../api.ts';
import { formatCell, formatDate, formatNumber, type Lang, type Status } from '../../../src/contracts/format.ts';
import type { Translate } from '../i18n/index.ts';

const DEFAULT_INDICATOR = 'anteil_unter6';

/** Themes in catalogue order (first appearance). */
export function themesOf(indicators: readonly IndicatorInfo[]): string[] {
  const out: string[] = [];
  for (const i of indicators) for (const th of i.themes) if (!out.includes(th)) out.push(th);
  return out;
}

/**
 * The indicators grouped by theme (issue 15, item 11): themes in alphabetical order, the
 * indicators of each by name (German collation); an indicator with several themes is listed under each.
 */
export function indicatorsByTheme(
  indicators: readonly IndicatorInfo[],
): { theme: string; indicators: IndicatorInfo[] }[] {
  const byName = (a: IndicatorInfo, b: IndicatorInfo) => a.name.localeCompare(b.name, 'de');
  return themesOf(indicators)
    .sort((a, b) => a.localeCompare(b, 'de'))
    .map((theme) => ({ theme, indicators: indicators.filter((i) => i.themes.includes(theme)).sort(byName) }));
}

/** The indicators sorted by their first theme, then by name: the order of the atlas's indicator select. */
export function sortByTheme(indicators: readonly IndicatorInfo[]): IndicatorInfo[] {
  return [...indicators].sort(
    (a, b) => (a.themes[0] ?? '').localeCompare(b.themes[0] ?? '', 'de') || a.name.localeCompare(b.name, 'de'),
  );
}

/** Select options of indicators, sorted by theme and name and labelled "Theme: Name" (as the atlas's select). */
export function themedIndicatorOptions(indicators: readonly IndicatorInfo[]): { value: string; label: string }[] {
  return sortByTheme(indicators).map((i) => ({
    value: i.key,
    label: i.themes[0] ? `${i.themes[0]}: ${i.name}` : i.name,
  }));
}

export function pickIndicator(
  indicators: readonly IndicatorInfo[],
  key: string | undefined,
  theme?: string,
): IndicatorInfo | undefined {
  const inTheme = theme ? indicators.filter((i) => i.themes.includes(theme)) : indicators;
  return (
    indicators.find((i) => i.key === key) ??
    inTheme.find((i) => i.key === DEFAULT_INDICATOR) ??
    inTheme.find((i) => i.periods.length) ??
    indicators[0]
  );
}

/** The layer most useful by default: the hierarchical layer with most areas up to 60, else the first. */
export function defaultLayer(layers: readonly LayerInfo[]): LayerInfo | undefined {
  const n = (l: LayerInfo) => l.versions[l.versions.length - 1]?.areas ?? 0;
  const candidates = layers.filter((l) => l.kind === 'hierarchical' && n(l) > 1 && n(l) <= 60);
  candidates.sort((a, b) => n(b) - n(a));
  return candidates[0] ?? layers[0];
}

export function pickLayer(layers: readonly LayerInfo[], key: string | undefined): LayerInfo | undefined {
  return layers.find((l) => l.key === key) ?? defaultLayer(layers);
}

/** The top layer with a single area (the whole city), if the structure has one. */
export function cityLayer(layers: readonly LayerInfo[]): LayerInfo | undefined {
  return layers.find((l) => l.kind === 'hierarchical' && !l.parentLayer && l.versions.every((v) => v.areas === 1));
}

export function pickPeriod(periods: readonly string[], key: string | undefined): string | undefined {
  return key && periods.includes(key) ? key : periods[periods.length - 1];
}

export function statusText(t: Translate, status: Status): string {
  return t(`status.${status}` as 'status.final');
}

/** "12,3 % (vorläufig)" or "/ (unter Mindestbasis)" — for screen-reader labels and tooltips. */
export function spokenValue(
  t: Translate,
  lang: Lang,
  value: number | null,
  status: Status,
  decimals: number | null,
  unit: string,
): string {
  const cell = formatCell(value, status, decimals, unit, lang).replace(/\u00a0[ps]$/, '');
  return status === 'final' ? cell : `${cell} (${statusText(t, status)})`;
}

export function baseText(base: number | null, lang: Lang): string {
  return base === null ? '' : formatNumber(base, Number.isInteger(base) ? 0 : 1, lang);
}

export function versionText(t: Translate, lang: Lang, validFrom: string | null): string {
  return validFrom ? t('profile.version', { date: formatDate(validFrom, lang) }) : '';
}

/** Keeps `n` significant items of a list with a "show all" toggle handled by the caller. */
export function decimalsOf(i: { decimals: number | null; type: string }): number | null {
  return i.decimals ?? (i.type === 'count' ? 0 : 1);
}

/** The value once it has not changed for `ms` milliseconds (so typing does not post on every key). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** The width up to which the monitor lays itself out for phones (tables as cards, search first). */
export const PHONE = '(max-width: 640px)';

/** Whether a media query matches, kept current. */
export function useMedia(query: string): boolean {
  const [m, setM] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const q = matchMedia(query);
    const on = () => setM(q.matches);
    on();
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, [query]);
  return m;
}

/** Today as an ISO date, fixed for the life of the component (a render must not read the clock). */
export function useToday(): string {
  const [today] = useState(() => new Date().toISOString().slice(0, 10));
  return today;
}
