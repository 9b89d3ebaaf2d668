// Counting in the sealed pipeline: each record → its breakdown members (age band at the
// reference date, mapped categories) and its area codes → one count per (area, member
// combination) on every storage layer, or one count of an unassignable reason. Pure: the records
// are seen one at a time and nothing of them is kept but the counts. Every record lands in
// exactly one place on the primary layer: area counts + unassignable = records read.
import type { Breakdown } from './definition.ts';
import { parseCalendarDate } from './definition.ts';
import { UNASSIGNABLE_REASONS, type UnassignableReason } from '../../contracts/vocabulary.ts';

// Why a record could not be counted in an area (the order is the order of the checks): the API's vocabulary.
export { UNASSIGNABLE_REASONS, type UnassignableReason };

/** German names of the reasons: the members of the dimension zuordnungsgrund. */
export const REASON_NAMES: Record<UnassignableReason, string> = {
  address_missing: 'Anschrift fehlt',
  address_unmatched: 'Anschrift nicht im Adressregister',
  address_ambiguous: 'Anschrift mehrdeutig',
  outside_areas: 'Anschrift außerhalb der Gebiete',
  birthdate_invalid: 'Geburtsdatum ungültig',
  age_outside_bands: 'Alter außerhalb der Altersgruppen',
  category_unmapped: 'Merkmal nicht zugeordnet',
};

/** Completed years between a date of birth and a reference date (ISO dates); negative when born after it. */
function ageAt(birth: string, reference: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ry, rm, rd] = reference.split('-').map(Number);
  return ry - by - (rm < bm || (rm === bm && rd < bd) ? 1 : 0);
}

/** A breakdown ready to derive members: member keys in order, and a function from cell text to member index or reason. */
export interface CompiledBreakdown {
  dimension: string;
  from: string;
  members: string[];
  memberOf(text: string): number | UnassignableReason;
}

export function compileBreakdown(b: Breakdown, referenceDate: string): CompiledBreakdown {
  if (b.kind === 'bands') {
    const members = b.bands.map((x) => x[2]);
    const bands = b.bands;
    // Ages repeat: a table from age to band (ages beyond the last band are outside).
    const top = Math.max(...bands.map((x) => x[1]));
    const byAge = new Int32Array(top + 1).fill(-1);
    bands.forEach(([from, to], i) => {
      for (let a = from; a < to; a++) byAge[a] = i;
    });
    // Dates of birth repeat (one per day of a few years): the member of each spelling is kept (bounded).
    const seen = new Map<string, number | UnassignableReason>();
    const derive = (text: string): number | UnassignableReason => {
      const iso = parseCalendarDate(text);
      if (!iso) return 'birthdate_invalid';
      const age = ageAt(iso, referenceDate);
      if (age < 0 || age > 150) return 'birthdate_invalid';
      const i = age <= top ? byAge[age] : -1;
      return i < 0 ? 'age_outside_bands' : i;
    };
    return {
      dimension: b.dimension,
      from: b.from,
      members,
      memberOf(text) {
        let m = seen.get(text);
        if (m === undefined) {
          m = derive(text);
          if (seen.size < 100_000) seen.set(text, m);
        }
        return m;
      },
    };
  }
  const members = [...new Set(Object.values(b.map))];
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const [cell, m] of Object.entries(b.map)) {
    exact.set(cell.trim(), members.indexOf(m));
    const f = cell.trim().toLowerCase();
    if (!folded.has(f)) folded.set(f, members.indexOf(m));
  }
  return {
    dimension: b.dimension,
    from: b.from,
    members,
    memberOf(text) {
      const t = text.trim();
      return exact.get(t) ?? folded.get(t.toLowerCase()) ?? 'category_unmapped';
    },
  };
}

/** Every member combination in a fixed order (the first breakdown varies slowest). */
function combinations(breakdowns: readonly CompiledBreakdown[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const b of breakdowns) out = out.flatMap((c) => b.members.map((m) => ({ ...c, [b.dimension]: m })));
  return out;
}

/** The combination index of a record's member indexes (as ordered by combinations()). */
function combinationIndex(breakdowns: readonly CompiledBreakdown[], memberIndexes: readonly number[]): number {
  let k = 0;
  for (let i = 0; i < breakdowns.length; i++) k = k * breakdowns[i].members.length + memberIndexes[i];
  return k;
}

export interface LayerCounts {
  layer: string;
  /** Area code → count per combination (index as in combinations()). */
  byArea: Map<string, Float64Array>;
  /** Records counted on this layer. */
  counted: number;
  /** Records with members whose address has no area of this layer (for the primary layer: the outside_areas reason). */
  outside: number;
}

export interface CountResult {
  records: number;
  /** Records counted on the primary layer. */
  assigned: number;
  unassignable: Record<UnassignableReason, number>;
  layers: LayerCounts[];
  combinations: Record<string, string>[];
}

/**
 * Counts records. `layers[0]` is the primary layer: a record without an area there is
 * unassignable (outside_areas); on further layers (overlays) it is counted where it has an area.
 * `validCodes` gives the area codes of each layer valid at the reference date (a code the
 * register gives but the boundaries do not know counts as outside).
 */
export class SealedCounter {
  private readonly counts: LayerCounts[];
  private readonly valid: (Set<string> | null)[];
  private readonly unassignable = Object.fromEntries(UNASSIGNABLE_REASONS.map((r) => [r, 0])) as Record<
    UnassignableReason,
    number
  >;
  readonly combos: Record<string, string>[];
  private records = 0;
  private readonly memberIdx: number[];

  constructor(
    readonly layers: readonly string[],
    readonly breakdowns: readonly CompiledBreakdown[],
    validCodes: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ) {
    if (!layers.length) throw new Error('SealedCounter needs at least one layer');
    this.counts = layers.map((layer) => ({ layer, byArea: new Map(), counted: 0, outside: 0 }));
    this.valid = layers.map((l) => (validCodes.get(l) as Set<string> | undefined) ?? null);
    this.combos = combinations(breakdowns);
    this.memberIdx = new Array(breakdowns.length).fill(0);
  }

  /**
   * One record: its area codes per layer (null with the address reason when the address was not
   * assigned) and the texts of its breakdown columns (in the order of the breakdowns).
   */
  add(
    codes: Readonly<Record<string, string | null | undefined>> | null,
    addressReason: UnassignableReason | null,
    memberTexts: readonly string[],
  ): UnassignableReason | null {
    this.records++;
    if (!codes) return this.refuse(addressReason ?? 'address_unmatched');
    const primary = codes[this.layers[0]];
    const primaryOk = !!primary && (this.valid[0] === null || this.valid[0].has(primary));
    // The members first (outside_areas is an address reason, but a record without members is not counted anywhere).
    for (let i = 0; i < this.breakdowns.length; i++) {
      const m = this.breakdowns[i].memberOf(memberTexts[i] ?? '');
      if (typeof m === 'string') return this.refuse(primaryOk ? m : 'outside_areas');
      this.memberIdx[i] = m;
    }
    const k = combinationIndex(this.breakdowns, this.memberIdx);
    if (!primaryOk) {
      this.counts[0].outside++;
      this.countOthers(codes, k);
      return this.refuse('outside_areas');
    }
    this.bump(0, primary!, k);
    this.countOthers(codes, k);
    return null;
  }

  private countOthers(codes: Readonly<Record<string, string | null | undefined>>, k: number): void {
    for (let l = 1; l < this.layers.length; l++) {
      const code = codes[this.layers[l]];
      if (code && (this.valid[l] === null || this.valid[l]!.has(code))) this.bump(l, code, k);
      else this.counts[l].outside++;
    }
  }

  private bump(l: number, code: string, k: number): void {
    const c = this.counts[l];
    let row = c.byArea.get(code);
    if (!row) c.byArea.set(code, (row = new Float64Array(this.combos.length)));
    row[k]++;
    c.counted++;
  }

  private refuse(reason: UnassignableReason): UnassignableReason {
    this.unassignable[reason]++;
    return reason;
  }

  result(): CountResult {
    return {
      records: this.records,
      assigned: this.counts[0].counted,
      unassignable: { ...this.unassignable },
      layers: this.counts,
      combinations: this.combos,
    };
  }
}

/** Σ of the unassignable counts. */
export function unassignableTotal(r: Pick<CountResult, 'unassignable'>): number {
  return Object.values(r.unassignable).reduce((a, b) => a + b, 0);
}
