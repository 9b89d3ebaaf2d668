// The append-only audit trail.
import type { Database, Queryable } from '../store/db.ts';
import { principalName, requireAdmin, type Principal } from '../core/access.ts';
import { csvLine } from '../formats/csv-write.ts';
import { insertAuditEntry, selectAudit } from '../store/audit.ts';
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
  await insertAuditEntry(db, {
    actor: principalName(who),
    actorUserId: who.kind === 'user' ? who.id : null,
    action: e.action,
    objectType: e.objectType ?? null,
    objectKey: e.objectKey ?? null,
    batchId: e.batchId ?? null,
    details: JSON.stringify(e.details ?? {}),
    ip: e.ip ?? null,
  });
}

export type { AuditRow };

export async function readAudit(
  db: Queryable,
  o: { from?: string; to?: string; actor?: string; action?: string; limit?: number } = {},
): Promise<AuditRow[]> {
  return selectAudit(db, {
    from: o.from ?? null,
    to: o.to ?? null,
    actor: o.actor ?? null,
    action: o.action ?? null,
    limit: Math.min(o.limit ?? 1000, 100_000),
  });
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
  for (const r of rows)
    lines.push(csvLine([r.id, r.at, r.actor, r.action, r.objectType, r.objectKey, r.importBatchId, r.details, r.ip]));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
