import { ref } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { listCouponTemplates, updateCouponTemplate, TEMPLATE_KINDS, TEMPLATE_STATUSES, type CouponTemplate, type TemplateKind, type TemplateStatus } from '@/api/coupons';
import { replaceRow, useBusyRows } from '@/composables/use-row-actions';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';
import { useCursorList } from '../shared/use-cursor-list';

export interface TemplateFilters {
  keyword: string;
  kind: string;
  status: string;
  [key: string]: string;
}

const PAGE = 20;

/** The moves a template's status may make from where it is (the server checks them too). */
export const STATUS_MOVES: Record<TemplateStatus, TemplateStatus[]> = {
  draft: ['active'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

/** 优惠券模板: the filters in the URL, status moves with a confirmation, and the issue dialog. */
export function useTemplates() {
  const { t } = useI18n();
  const router = useRouter();
  const list = useCursorList<CouponTemplate, TemplateFilters>({ keyword: '', kind: '', status: '' }, (applied, cursor) =>
    listCouponTemplates({
      keyword: applied.keyword.trim() || undefined,
      kind: (TEMPLATE_KINDS as readonly string[]).includes(applied.kind) ? (applied.kind as TemplateKind) : undefined,
      status: (TEMPLATE_STATUSES as readonly string[]).includes(applied.status) ? (applied.status as TemplateStatus) : undefined,
      limit: PAGE,
      cursor,
    }),
  );
  const { busy, run } = useBusyRows();

  const issueVisible = ref(false);
  const issuing = ref<CouponTemplate | null>(null);

  function openIssue(template: CouponTemplate): void {
    issuing.value = template;
    issueVisible.value = true;
  }

  /** A batch or a single issue changed how many are out. */
  function onIssued(): void {
    void list.load();
  }

  async function setStatus(template: CouponTemplate, status: TemplateStatus): Promise<void> {
    const ok = await confirmDanger({
      title: t(`coupons.templates.statusTitle.${status}`),
      message: t(`coupons.templates.statusConfirm.${status}`, { name: template.name }),
      confirmText: t(`coupons.templates.${statusVerb(template.status, status)}`),
      testId: `coupon-status-${status}`,
      tone: status === 'active' ? 'primary' : 'danger',
    });
    if (!ok) return;
    await run(template.id, async () => {
      const saved = await updateCouponTemplate(template.id, { status });
      if (!replaceRow(list.items.value, saved)) await list.load();
      ElMessage.success(t(`coupons.templates.statusDone.${status}`, { name: saved.name }));
    });
  }

  const openCreate = () => router.push({ name: 'coupon-template-new' });
  const openEdit = (template: CouponTemplate) => router.push({ name: 'coupon-template-edit', params: { id: template.id } });
  const openCoupons = (template: CouponTemplate) => router.push({ name: 'coupon-records', query: { templateId: String(template.id) } });

  return { ...list, busy, setStatus, issueVisible, issuing, openIssue, onIssued, openCreate, openEdit, openCoupons };
}

/** The button's word for a move: 启用 a draft, 恢复 a paused one, 暂停, 结束. */
export function statusVerb(from: TemplateStatus, to: TemplateStatus): 'activate' | 'resume' | 'pause' | 'end' {
  if (to === 'active') return from === 'paused' ? 'resume' : 'activate';
  return to === 'paused' ? 'pause' : 'end';
}
