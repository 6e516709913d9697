import { Op, type Sequelize, type Transaction } from 'sequelize';
import { formatCardNumber } from '../../../platform/ids/card-number.js';
import { reserveInSequence } from '../../../platform/ids/sequence.js';
import type { AuditService } from '../../audit/service.js';
import type { PlainRecord } from '../../access/field-policy/record-shape.js';
import { contactChanges, type MemberContact } from '../contact.js';
import { indexed, indexValues, type CustomIndex } from '../custom-index.js';
import type { CustomFieldDefinition, CustomValue } from '../form/index.js';
import { memberColumns, newMemberRow } from '../member-view.js';
import type { MemberModels } from '../models.js';
import { CARD_SEQUENCE } from '../service.js';
import type { PreparedChunk } from './prepare.js';

/**
 * Writes one prepared chunk in the caller's transaction: new members in one multi-row
 * insert (card numbers reserved as a block), their custom index rows in another, changed
 * members one by one, and one audit record naming every member the chunk touched.
 */
export interface ChunkWriter {
  sequelize: Sequelize;
  models: MemberModels;
  contact: MemberContact;
  index: CustomIndex;
  audit: AuditService;
  definitions: readonly CustomFieldDefinition[];
  cardPrefix: string;
  taskId: number;
}

export async function writeChunk(chunk: PreparedChunk, w: ChunkWriter, transaction: Transaction): Promise<{ created: number; updated: number }> {
  const needNumbers = chunk.creates.filter((c) => c.input.cardNo === undefined).length;
  let next = needNumbers > 0 ? await reserveInSequence(w.sequelize, CARD_SEQUENCE, needNumbers) : 0;
  const registeredAt = new Date();
  const rows = chunk.creates.map((c) => {
    const cardNo = (c.input.cardNo as string | undefined) ?? formatCardNumber(w.cardPrefix, next++);
    return newMemberRow(c.input, c.custom, w.contact, { cardNo, homeStoreId: c.homeStoreId, registeredAt });
  });
  let createdIds: number[] = [];
  if (rows.length > 0) {
    await w.models.Member.bulkCreate(rows as never[], { transaction });
    // Ids by card number: multi-row inserts do not report every id on every database.
    const created = await w.models.Member.findAll({ where: { cardNo: { [Op.in]: rows.map((r) => r.cardNo as string) } }, attributes: ['id', 'cardNo'], transaction });
    const idOf = new Map(created.map((m) => [m.cardNo, m.id]));
    createdIds = rows.map((r) => idOf.get(r.cardNo as string)!);
    const indexRows = chunk.creates.flatMap((c, i) =>
      w.definitions.filter(indexed).flatMap((d) =>
        indexValues(c.custom[d.key] as CustomValue | null).map((value) => ({ memberId: createdIds[i], fieldKey: d.key, value, uniqueKey: d.unique ? d.key : null })),
      ),
    );
    if (indexRows.length > 0) await w.models.MemberCustomValue.bulkCreate(indexRows, { transaction });
  }
  for (const change of chunk.updates) {
    const member = change.member;
    const custom = change.custom ? { ...(JSON.parse(member.custom ?? '{}') as PlainRecord), ...change.custom } : undefined;
    member.set({
      ...memberColumns(change.patch),
      ...w.contact.seal(contactChanges(change.patch)),
      ...(custom ? { custom: JSON.stringify(custom) } : {}),
    } as never);
    await member.save({ transaction });
    if (custom) await w.index.write(member.id, custom, w.definitions, transaction);
  }
  const lines = [...chunk.creates, ...chunk.updates].map((r) => r.line);
  if (lines.length > 0) {
    await w.audit.record({
      action: 'member.import',
      entityType: 'member',
      summary: `导入会员（后台任务 ${w.taskId}，第 ${Math.min(...lines)}–${Math.max(...lines)} 行）：新建 ${createdIds.length} 位，更新 ${chunk.updates.length} 位`,
      diff: { taskId: w.taskId, created: createdIds, updated: chunk.updates.map((u) => u.member.id) },
    });
  }
  return { created: createdIds.length, updated: chunk.updates.length };
}
