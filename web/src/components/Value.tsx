// One indicator value on screen: number, unit and status flag in the reader's language, the
// symbol of why no number is shown, and the status in words for pointer and screen-reader users.
import { formatMeasured, type MeasuredValue, type ValueDisplay } from '../../../src/contracts/format.ts';
import { useApp } from '../context.ts';

export function Value({ v, of, unit = true }: { v: MeasuredValue; of: ValueDisplay; unit?: boolean }) {
  const { t, lang } = useApp();
  const words = v.status === 'final' ? undefined : t(`status.${v.status}` as 'status.final');
  return (
    <span class="km-cell" title={words}>
      {formatMeasured(v, of, lang, { unit })}
    </span>
  );
}
