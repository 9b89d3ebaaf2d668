// The append-only audit trail: writing an entry and reading the log.
import type { Queryable } from './db.ts';

import type { AuditRow } from '../contracts/answers/index.ts';
export type { AuditRow };

export interface AuditInsert {
  actor: string;
  actorUserId: number | null;
  action: string;
  objectType: string | null;
  objectKey: string | null;
  batchId: number | null;
  /** JSON text. */
  details: string;
  ip: string | null;
}

export async function insertAuditEntry(db: Queryable, e: AuditInsert): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, actor_user_id, action, object_type, object_key, import_batch_id, details, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.actor, e.actorUserId, e.action, e.objectType, e.objectKey, e.batchId, e.details, e.ip],
  );
}

export async function selectAudit(
  db: Queryable,
  o: { from: string | null; to: string | null; actor: string | null; action: string | null; limit: number },
): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT id::int AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action, object_type AS "objectType", object_key AS "objectKey",
            import_batch_id AS "importBatchId", details, ip
       FROM audit_log
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
        AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)
      ORDER BY id DESC LIMIT $5`,
    [o.from, o.to, o.actor, o.action, o.limit],
  );
  return rows;
}
