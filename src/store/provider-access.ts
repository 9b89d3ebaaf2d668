// Grants of access to this tenant's data for provider administrators (decision 0044): all SQL of
// services/provider-access.ts.
import type { Queryable } from './db.ts';

export interface ProviderAccessRow {
  admin: string;
  role: 'viewer' | 'analyst';
  until: string;
  grantedBy: string;
  grantedAt: string;
  /** Whether the grant is in force today. */
  current: boolean;
}

const COLUMNS = `admin_name AS admin, role, until::text AS until, granted_by AS "grantedBy",
  to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "grantedAt", until >= current_date AS current`;

export async function selectProviderAccess(db: Queryable): Promise<ProviderAccessRow[]> {
  const { rows } = await db.query<ProviderAccessRow>(`SELECT ${COLUMNS} FROM provider_access ORDER BY admin_name`);
  return rows;
}

/** Grants or renews; the account of an earlier grant stays the grant's. */
export async function upsertProviderAccess(
  tx: Queryable,
  g: { admin: string; role: string; until: string; grantedBy: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO provider_access (admin_name, role, until, granted_by) VALUES ($1, $2, $3::date, $4)
     ON CONFLICT (admin_name) DO UPDATE SET role = EXCLUDED.role, until = EXCLUDED.until, granted_by = EXCLUDED.granted_by, granted_at = now()`,
    [g.admin, g.role, g.until, g.grantedBy],
  );
}

/**
 * Ends a grant in force (its last day becomes yesterday; the row keeps the grant's account for a
 * later grant): the id of its account, null when it had none yet, undefined when no grant was in force.
 */
export async function endProviderAccess(tx: Queryable, admin: string): Promise<number | null | undefined> {
  const { rows } = await tx.query<{ userId: number | null }>(
    'UPDATE provider_access SET until = current_date - 1 WHERE admin_name = $1 AND until >= current_date RETURNING user_id AS "userId"',
    [admin],
  );
  return rows.length ? rows[0].userId : undefined;
}

/** The grant in force today, locked for the rest of the transaction. */
export async function currentProviderAccess(
  tx: Queryable,
  admin: string,
): Promise<{ role: 'viewer' | 'analyst'; until: string; userId: number | null } | undefined> {
  const { rows } = await tx.query<{ role: 'viewer' | 'analyst'; until: string; userId: number | null }>(
    'SELECT role, until::text AS until, user_id AS "userId" FROM provider_access WHERE admin_name = $1 AND until >= current_date FOR UPDATE',
    [admin],
  );
  return rows[0];
}

export async function setProviderAccessUser(tx: Queryable, admin: string, userId: number): Promise<void> {
  await tx.query('UPDATE provider_access SET user_id = $2 WHERE admin_name = $1', [admin, userId]);
}

/** The grant's account: present, enabled again and with the granted role. */
export async function enableGrantUser(tx: Queryable, userId: number, role: string): Promise<void> {
  await tx.query(
    'UPDATE app_user SET role = $2, disabled_at = NULL, department_id = NULL, sealed_office = false WHERE id = $1',
    [userId, role],
  );
}
