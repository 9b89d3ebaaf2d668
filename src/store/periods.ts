// Periods (Stichtage and Zeiträume): stored once by key, shared by every indicator.
import type { Queryable } from './db.ts';

export interface PeriodKeyRow {
  key: string;
  type: string;
  start: string;
  end: string;
}

/** Stores periods (two spellings of one period, "31.12.2023" and "2023-12-31", are one row); ids by key. */
export async function storePeriods(tx: Queryable, periods: PeriodKeyRow[]): Promise<Map<string, number>> {
  const list = [...new Map(periods.map((p) => [p.key, p])).values()];
  const { rows } = await tx.query<{ id: number; key: string }>(
    `INSERT INTO period (key, type, start_date, end_date)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[])
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id, key`,
    [list.map((p) => p.key), list.map((p) => p.type), list.map((p) => p.start), list.map((p) => p.end)],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Stores one period; its id. */
export async function storePeriod(tx: Queryable, p: PeriodKeyRow): Promise<number> {
  return (await storePeriods(tx, [p])).get(p.key)!;
}
