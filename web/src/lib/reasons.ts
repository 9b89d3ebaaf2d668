// The reasons the API gives with a value (why none is shown, how an estimate was made), in the
// language of the interface. The rules and their texts are shared with the exports
// (src/core/reasons.ts); the texts are part of the interface's dictionaries (web/src/i18n), so
// they come through the translator like every other text. Texts stored with the data (a method,
// a reason for suppression) come through as they are.
import { writeReason } from '../../../src/core/reasons.ts';
import type { Translate } from '../i18n/index.ts';
import { formatNumber, type Lang } from './format.ts';

/** The reason in the interface's language; texts stored with the data are returned unchanged. */
export function reasonText(t: Translate, lang: Lang, reason: string | undefined | null): string | undefined {
  if (!reason) return undefined;
  return writeReason(reason, { text: (key, params) => t(key, params), num: (s) => formatNumber(Number(s), null, lang) });
}
