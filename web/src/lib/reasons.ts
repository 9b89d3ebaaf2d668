// The reasons the API gives with a value (why none is shown, how an estimate was made), in the
// language of the interface: from the reason's registered code and parameters
// (src/contracts/codes/reasons.ts, shared with the exports), numbers in the interface's format.
// Texts stored with the data (a method, a reason for suppression) have no code and come through
// as they are. No reason text is interpreted.
import { renderKnown } from '../../../src/contracts/codes/index.ts';
import type { ReasonFields } from '../../../src/core/reasons.ts';
import type { Translate } from '../i18n/index.ts';
import type { Lang } from '../../../src/contracts/format.ts';

/** The reason of a value in the interface's language; texts stored with the data are returned unchanged. */
export function reasonText(_t: Translate, lang: Lang, v: ReasonFields | undefined | null): string | undefined {
  if (!v?.reason) return undefined;
  return (v.reasonCode ? renderKnown({ code: v.reasonCode, params: v.reasonParams }, lang) : undefined) ?? v.reason;
}
