import crypto from 'node:crypto';

/** The fields of an audit record that its HMAC covers, in a fixed order. */
export interface MacFields {
  uid: string;
  occurredAt: Date;
  actorType: string;
  actorId: number | null;
  actorName: string | null;
  actorRoles: string | null;
  storeId: number | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  result: string;
  summary: string;
  diff: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export function recordMac(key: Buffer, record: MacFields): string {
  const canonical = JSON.stringify([
    'huiji-audit-v1',
    record.uid,
    record.occurredAt.toISOString(),
    record.actorType,
    record.actorId === null ? null : Number(record.actorId),
    record.actorName,
    record.actorRoles,
    record.storeId === null ? null : Number(record.storeId),
    record.ip,
    record.userAgent,
    record.requestId,
    record.action,
    record.entityType,
    record.entityId,
    record.result,
    record.summary,
    record.diff,
  ]);
  return crypto.createHmac('sha256', key).update(canonical).digest('hex');
}

/** One link: binds a record's id and HMAC to its place after everything sealed before it. */
export function chainHash(prevHash: string, seq: number, recordId: number, mac: string): string {
  return crypto.createHash('sha256').update(`${prevHash}|${seq}|${recordId}|${mac}`).digest('hex');
}

export interface CheckpointFields {
  kind: string;
  seqTo: number;
  chainHash: string;
  purgedBefore: Date | null;
  createdAt: Date;
}

export function checkpointPayload(checkpoint: CheckpointFields): string {
  return [
    'huiji-audit-checkpoint-v1',
    checkpoint.kind,
    checkpoint.seqTo,
    checkpoint.chainHash,
    checkpoint.purgedBefore ? checkpoint.purgedBefore.toISOString() : '-',
    checkpoint.createdAt.toISOString(),
  ].join('|');
}
