import crypto from 'node:crypto';
import { Op, QueryTypes, type Sequelize } from 'sequelize';
import type { Locale } from '../../platform/http/request-context.js';
import type { AuditKeys } from './keys.js';
import { GENESIS_HASH, chainHash, checkpointPayload, recordMac } from './integrity.js';
import type { AuditModels } from './models.js';

const PAGE = 5000;
/** A record unsealed for longer than this was not written by Huiji's own path. */
const SEAL_GRACE_MS = 10 * 60_000;
/** Checkpoints come hourly; a longer silence is reported (the server may simply have been down). */
const CHECKPOINT_GAP_MS = 75 * 60_000;

export interface VerifyResult {
  ok: boolean;
  /** Records whose HMAC and chain link were checked. */
  checked: number;
  /** `reason` is English for logs and scripts; `message` is in the caller's language. */
  firstBad?: { id: number; code: BreakCode; reason: string; message: string };
  /** Recent records not sealed yet: normal for up to a minute. */
  pending: number;
  checkpoints: number;
  warnings: string[];
}

/**
 * Walks the whole trail: checkpoint signatures, every chain link in order, every record's
 * HMAC, and records that never entered the chain. Reports the first break with its record id.
 */
export async function verifyAuditTrail(
  sequelize: Sequelize,
  models: AuditModels,
  keys: AuditKeys,
  locale: Locale = 'en',
): Promise<VerifyResult> {
  const warnings: string[] = [];
  const fail = (id: number, code: BreakCode, params: Record<string, number>, checked: number, checkpoints: number): VerifyResult => ({
    ok: false,
    checked,
    firstBad: { id, code, reason: describeBreak(code, params, 'en'), message: describeBreak(code, params, locale) },
    pending: 0,
    checkpoints,
    warnings,
  });

  const checkpoints = await models.AuditCheckpoint.findAll({ order: [['id', 'ASC']] });
  for (const checkpoint of checkpoints) {
    const payload = checkpointPayload({
      kind: checkpoint.kind,
      seqTo: Number(checkpoint.seqTo),
      chainHash: checkpoint.chainHash,
      purgedBefore: checkpoint.purgedBefore,
      createdAt: checkpoint.createdAt,
    });
    const valid =
      checkpoint.keyId === keys.signingKeyId &&
      crypto.verify('sha256', Buffer.from(payload), keys.publicKeyPem, Buffer.from(checkpoint.signature, 'base64'));
    if (!valid) return fail(checkpoint.id, 'CHECKPOINT_SIGNATURE', { checkpoint: checkpoint.id }, 0, checkpoints.length);
  }
  for (let i = 1; i < checkpoints.length; i++) {
    const gap = checkpoints[i].createdAt.getTime() - checkpoints[i - 1].createdAt.getTime();
    if (gap > CHECKPOINT_GAP_MS) {
      warnings.push(`no checkpoint between ${checkpoints[i - 1].createdAt.toISOString()} and ${checkpoints[i].createdAt.toISOString()}`);
    }
  }

  // Verification starts after the newest purge: its signed hash stands for everything before.
  const anchor = [...checkpoints].reverse().find((c) => c.kind === 'purge');
  let seq = anchor ? Number(anchor.seqTo) : 0;
  let prev = anchor?.chainHash ?? GENESIS_HASH;
  const expectations = new Map<number, { id: number; hash: string }>();
  for (const checkpoint of checkpoints) {
    if (Number(checkpoint.seqTo) > seq) expectations.set(Number(checkpoint.seqTo), { id: checkpoint.id, hash: checkpoint.chainHash });
  }

  let checked = 0;
  for (;;) {
    const links = await models.AuditChain.findAll({ where: { seq: { [Op.gt]: seq } }, order: [['seq', 'ASC']], limit: PAGE });
    if (links.length === 0) break;
    const records = await models.AuditLog.findAll({ where: { id: links.map((link) => link.recordId) } });
    const byId = new Map(records.map((record) => [Number(record.id), record]));
    for (const link of links) {
      const linkSeq = Number(link.seq);
      const recordId = Number(link.recordId);
      if (linkSeq !== seq + 1) return fail(recordId, 'LINK_MISSING', { link: seq + 1 }, checked, checkpoints.length);
      if (link.prevHash !== prev) return fail(recordId, 'LINK_OUT_OF_ORDER', { link: linkSeq, previous: seq }, checked, checkpoints.length);
      const record = byId.get(recordId);
      if (!record) return fail(recordId, 'RECORD_DELETED', { record: recordId }, checked, checkpoints.length);
      if (recordMac(keys.hmacKey, record) !== record.mac) {
        return fail(recordId, 'RECORD_ALTERED', { record: recordId }, checked, checkpoints.length);
      }
      if (chainHash(prev, linkSeq, recordId, record.mac) !== link.hash) {
        return fail(recordId, 'LINK_ALTERED', { link: linkSeq, record: recordId }, checked, checkpoints.length);
      }
      const expected = expectations.get(linkSeq);
      if (expected && expected.hash !== link.hash) {
        return fail(recordId, 'CHECKPOINT_MISMATCH', { checkpoint: expected.id, link: linkSeq }, checked, checkpoints.length);
      }
      expectations.delete(linkSeq);
      seq = linkSeq;
      prev = link.hash;
      checked += 1;
    }
  }
  const [missingTail] = [...expectations.entries()].sort((a, b) => a[0] - b[0]);
  if (missingTail) {
    return fail(0, 'CHAIN_TRUNCATED', { checkpoint: missingTail[1].id, link: missingTail[0], end: seq }, checked, checkpoints.length);
  }

  // Records outside the chain: recent ones await the sealer; old ones were slipped in.
  const unsealed = await sequelize.query<{ id: number; occurred_at: Date | string }>(
    `SELECT a.id AS id, a.occurred_at AS occurred_at FROM audit_logs a
     LEFT JOIN audit_chain c ON c.record_id = a.id WHERE c.record_id IS NULL ORDER BY a.id`,
    { type: QueryTypes.SELECT },
  );
  let pending = 0;
  for (const row of unsealed) {
    const record = await models.AuditLog.findByPk(row.id);
    if (!record) continue;
    if (anchor?.purgedBefore && record.occurredAt < anchor.purgedBefore) continue;
    if (recordMac(keys.hmacKey, record) !== record.mac) {
      return fail(Number(row.id), 'RECORD_FORGED', { record: row.id }, checked, checkpoints.length);
    }
    if (Date.now() - record.occurredAt.getTime() > SEAL_GRACE_MS) {
      return fail(Number(row.id), 'RECORD_UNSEALED', { record: row.id }, checked, checkpoints.length);
    }
    pending += 1;
  }
  const last = checkpoints.at(-1);
  if (last && Date.now() - last.createdAt.getTime() > CHECKPOINT_GAP_MS) {
    warnings.push(`the newest checkpoint is from ${last.createdAt.toISOString()}`);
  }
  return { ok: true, checked, pending, checkpoints: checkpoints.length, warnings };
}

const BREAKS = {
  CHECKPOINT_SIGNATURE: ['checkpoint {checkpoint} has an invalid signature', '检查点 {checkpoint} 的签名无效'],
  LINK_MISSING: ['chain link {link} is missing (links deleted)', '链条第 {link} 环缺失（有链接被删除）'],
  LINK_OUT_OF_ORDER: ['chain link {link} does not follow link {previous}', '链条第 {link} 环与第 {previous} 环接不上'],
  RECORD_DELETED: ['record {record} was deleted', '记录 {record} 已被删除'],
  RECORD_ALTERED: ['record {record} was altered after it was written', '记录 {record} 写入后被修改'],
  LINK_ALTERED: ['chain link {link} for record {record} was altered', '记录 {record} 的链条第 {link} 环被修改'],
  CHECKPOINT_MISMATCH: ['checkpoint {checkpoint} does not match the chain at link {link}', '检查点 {checkpoint} 与链条第 {link} 环不符'],
  CHAIN_TRUNCATED: [
    'checkpoint {checkpoint} covers link {link}, but the chain ends at {end} (links deleted)',
    '检查点 {checkpoint} 覆盖到第 {link} 环，但链条止于第 {end} 环（有链接被删除）',
  ],
  RECORD_FORGED: ['record {record} is not a genuine record (its HMAC does not match)', '记录 {record} 不是真实记录（HMAC 不符，疑似伪造）'],
  RECORD_UNSEALED: ['record {record} was never sealed into the chain', '记录 {record} 从未被封入链条（疑似绕过系统写入）'],
} as const;

export type BreakCode = keyof typeof BREAKS;

function describeBreak(code: BreakCode, params: Record<string, number>, locale: Locale): string {
  const [en, zh] = BREAKS[code];
  return (locale === 'en' ? en : zh).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}
