// The note under a table or chart with estimated values: how many, and by which method (the
// API gives the method as the value's `reason`), so an estimate is never shown as a plain number.
import { useApp } from '../context.ts';
import { reasonText } from '../lib/reasons.ts';
import type { ReasonFields } from '../../../src/core/reasons.ts';
import { estimateMethods, type Status } from '../../../src/contracts/format.ts';

export function EstimateNote(p: {
  values: readonly ({ status: Status } & ReasonFields)[];
  id?: string;
  lead?: string;
  generic?: string;
}) {
  const { t, lang } = useApp();
  const n = p.values.filter((v) => v.status === 'estimated').length;
  if (!n) return null;
  const methods = estimateMethods(p.values);
  // A method's value (its code and parameters) by its English text: the first estimated value that has it.
  const byText = new Map<string, ReasonFields>();
  for (const v of p.values) if (v.status === 'estimated' && v.reason && !byText.has(v.reason)) byText.set(v.reason, v);
  return (
    <div class="km-estimate-note" id={p.id}>
      <p>{p.lead ?? t('estimates.count', { n })}</p>
      {methods.map((m) => (
        <p key={m} class="km-muted">
          {t('ts.estimateMethod', { method: reasonText(t, lang, byText.get(m))! })}
        </p>
      ))}
      {methods.length === 0 && <p class="km-muted">{p.generic ?? t('estimates.noMethod')}</p>}
    </div>
  );
}
