// Breakdown member combinations ({ altersgruppe: "unter6", geschlecht: "w" }) by integer id:
// observations refer to them by id (migration 007). Id 0 is the empty combination.
import type { Queryable } from './db.ts';

export const NO_MEMBERS_ID = 0;

/** A canonical text of a combination: its entries sorted by dimension key. */
export function membersKey(members: Record<string, string>): string {
  const keys = Object.keys(members);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  let k = '';
  for (const d of keys) k += d + '\u0000' + members[d] + '\u0001';
  return k;
}

/** All stored combinations, by canonical key. */
export async function loadMemberCombinations(tx: Queryable): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ id: number; members: Record<string, string> }>(
    'SELECT id, members FROM member_combination',
  );
  return new Map(rows.map((r) => [membersKey(r.members), r.id]));
}

/** The members of the given combinations, by id (unknown ids are absent). */
export async function memberCombinationsById(
  tx: Queryable,
  ids: number[],
): Promise<Map<number, Record<string, string>>> {
  const { rows } = await tx.query<{ id: number; members: Record<string, string> }>(
    'SELECT id, members FROM member_combination WHERE id = ANY($1::int[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.members]));
}

/** Stores combinations (existing ones are kept) and returns the id of each, by canonical key. */
export async function storeMemberCombinations(
  tx: Queryable,
  combinations: Record<string, string>[],
): Promise<Map<string, number>> {
  if (!combinations.length) return new Map();
  const { rows } = await tx.query<{ id: number; members: Record<string, string> }>(
    `INSERT INTO member_combination (members) SELECT DISTINCT m::jsonb FROM unnest($1::text[]) AS t(m)
     ON CONFLICT (members) DO UPDATE SET members = EXCLUDED.members RETURNING id, members`,
    [combinations.map((c) => JSON.stringify(c))],
  );
  return new Map(rows.map((r) => [membersKey(r.members), r.id]));
}

/**
 * SQL condition: the observation alias `o` has a combination containing the filter members
 * (given as a jsonb parameter), e.g. `memberFilterSql('o', '$3')`.
 */
export function memberFilterSql(alias: string, param: string): string {
  return `${alias}.members_id IN (SELECT id FROM member_combination WHERE members @> ${param}::jsonb)`;
}
