import type { AuditService } from '../audit/service.js';
import type { FieldGuard } from '../access/field-policy/index.js';
import type { MemberRecord } from './models.js';

/**
 * Reads of unmasked contact data (phone, e-mail, ID number, WeChat) are audited like
 * writes: one record per response naming the members and the fields, written before the
 * response leaves, so a failed record fails the read. Masked views are not recorded: they
 * show nothing a reveal would.
 */
export class SensitiveReads {
  constructor(private readonly audit: AuditService) {}

  async record(guard: FieldGuard, members: readonly MemberRecord[], via: 'list' | 'detail' | 'lookup' | 'export'): Promise<void> {
    if (members.length === 0) return;
    const fields = guard
      .visibleFields()
      .filter((field) => field.sensitivity === 'contact' && (field.level === 'read' || field.level === 'edit'))
      .map((field) => field.key);
    if (fields.length === 0) return;
    const ids = members.map((member) => member.id);
    const single = members.length === 1 ? members[0] : null;
    await this.audit.record({
      action: 'member.read_sensitive',
      entityType: 'member',
      entityId: single ? single.id : undefined,
      storeId: single ? single.homeStoreId : undefined,
      summary: single ? `查看会员 ${single.cardNo ?? single.id} 的联系方式（${VIA[via]}）` : `查看 ${ids.length} 位会员的联系方式（${VIA[via]}）`,
      diff: { via, fields, memberIds: ids },
    });
  }
}

const VIA = { list: '列表', detail: '详情', lookup: '收银查询', export: '导出' } as const;
