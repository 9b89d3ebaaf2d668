// Primary suppression: the cells that reveal too few cases (or a dominant contributor) themselves.
import type { Cell, DisclosureRule, LinkedTables, PrimaryReason } from './model.ts';

/** Why one cell is primary, or undefined when it may be published as far as it alone goes. */
function primaryReason(c: Cell, rule: DisclosureRule): PrimaryReason | undefined {
  if (c.delivered) return 'delivered';
  // Zeros are shown: a published "–" reveals nobody. 1 … k−1 cases are primary.
  if (c.frequency > 0 && c.frequency < rule.minFrequency) return 'frequency';
  const d = rule.dominance;
  if (d && c.largest && c.largest.length > 0 && c.value > 0) {
    const xs = [...c.largest].sort((a, b) => b - a);
    if (d.n !== undefined && d.k !== undefined) {
      const top = xs.slice(0, d.n).reduce((s, x) => s + x, 0);
      if (top > (d.k / 100) * c.value) return 'dominance';
    }
    if (d.p !== undefined) {
      // p % rule: the second largest contributor estimates the largest from the value less its own
      // contribution; the estimate is too close when value − x1 − x2 < p % of x1.
      const x1 = xs[0];
      const x2 = xs[1] ?? 0;
      if (c.value - x1 - x2 < (d.p / 100) * x1) return 'dominance';
    }
  }
  return undefined;
}

/** Every primary cell of the linked tables, with its reason (delivered before frequency before dominance). */
export function primaryCells(t: LinkedTables, rule: DisclosureRule): Map<string, PrimaryReason> {
  if (!(rule.minFrequency >= 1))
    throw new RangeError(`disclosure rule: minFrequency must be at least 1, got ${rule.minFrequency}`);
  const out = new Map<string, PrimaryReason>();
  const ids = t.cells.map((c) => c.id).sort();
  const byId = new Map(t.cells.map((c) => [c.id, c]));
  for (const id of ids) {
    const r = primaryReason(byId.get(id)!, rule);
    if (r) out.set(id, r);
  }
  return out;
}

/** The width the attacker's interval of a primary cell must reach (protection range). */
export function requiredWidth(rule: DisclosureRule): number {
  return rule.protectionWidth ?? rule.minFrequency;
}
