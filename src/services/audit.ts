// The append-only audit trail.
import type { Database, Queryable } from '../store/db.ts';
import { principalName, requireAdmin, type Principal } from '../core/access.ts';
import { csvLine } from '../formats/csv-write.ts';
import type { AuditRow } from '../contracts/answers/index.ts';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectKey?: string;
  batchId?: number | null;
  details?: Record<string, unknown>;
  ip?: string;
}

export async function audit(db: Queryable, who: Principal, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, actor_user_id, action, object_type, object_key, import_batch_id, details, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [principalName(who), who.kind === 'user' ? who.id : null, e.action, e.objectType ?? null, e.objectKey ?? null, e.batchId ?? null, JSON.stringify(e.details ?? {}), e.ip ?? null],
  );
}

export type { AuditRow };

export async function readAudit(db: Queryable, o: { from?: string; to?: string; actor?: string; action?: string; limit?: number } = {}): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT id::int AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action, object_type AS "objectType", object_key AS "objectKey",
            import_batch_id AS "importBatchId", details, ip
       FROM audit_log
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
        AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)
      ORDER BY id DESC LIMIT $5`,
    [o.from ?? null, o.to ?? null, o.actor ?? null, o.action ?? null, Math.min(o.limit ?? 1000, 100_000)],
  );
  return rows;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  limit?: number;
}

/** Reading the trail is itself recorded, the same from the CLI and over HTTP (admins only). */
export async function readAuditTrail(db: Database, who: Principal, q: AuditQuery): Promise<AuditRow[]> {
  requireAdmin(who);
  return db.transaction(async (tx) => {
    const rows = await readAudit(tx, q);
    await audit(tx, who, { action: 'audit.read', objectType: 'audit', details: { ...q } });
    return rows;
  });
}

export function auditToCsv(rows: AuditRow[]): string {
  const lines = ['id;at;actor;action;object_type;object_key;import_batch_id;details;ip'];
  for (const r of rows) lines.push(csvLine([r.id, r.at, r.actor, r.action, r.objectType, r.objectKey, r.importBatchId, r.details, r.ip]));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
