import { computed, reactive, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  getCouponBatch,
  issueCoupon,
  previewCouponBatch,
  startCouponBatch,
  type BatchPreview,
  type BatchTarget,
  type CouponBatch,
  type CouponTemplate,
  type SkipReason,
} from '@/api/coupons';
import type { MemberQuery } from '@/api/members';
import { errorMessage } from '@/composables/use-server-errors';
import { useStartedTask } from '@/composables/use-started-task';
import { formatCount, yuanToFen } from '@/utils/format';
import { newIdempotencyKey } from '@/utils/idempotency';
import { ElMessage } from '@/utils/message';
import { listValues, MAX_LIST_VALUES } from './list-file';

export type IssueTarget = 'member' | 'filter' | 'list';

/** What an estimate or a finished batch counts: members matched, members and coupons issued, and who got nothing, by reason. */
export interface IssueCounts {
  matched: number;
  /** members who get coupons; null when the batch does not say */
  members: number | null;
  coupons: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/** The member list's filters the dialog offers, as typed (yuan, a date range). */
export interface IssueFilter {
  keyword: string;
  storeId: number | null;
  registered: [string, string] | null;
  birthdayMonth: number | null;
  spendMin: number | null;
  spendMax: number | null;
}

const blankFilter = (): IssueFilter => ({ keyword: '', storeId: null, registered: null, birthdayMonth: null, spendMin: null, spendMax: null });

/** The filter as GET /members takes it; only normal members get coupons, so the status is fixed. */
function memberQuery(filter: IssueFilter): Omit<MemberQuery, 'limit' | 'cursor'> {
  const query: Omit<MemberQuery, 'limit' | 'cursor'> = { status: 'normal' };
  if (filter.keyword.trim()) query.keyword = filter.keyword.trim();
  if (filter.storeId) query.storeId = filter.storeId;
  if (filter.registered) [query.registeredFrom, query.registeredTo] = filter.registered;
  if (filter.birthdayMonth) query.birthdayMonth = filter.birthdayMonth;
  if (filter.spendMin !== null) query.spendMin = yuanToFen(filter.spendMin);
  if (filter.spendMax !== null) query.spendMax = yuanToFen(filter.spendMax);
  return query;
}

/**
 * 发券: to whom (one member, the member list's filters, or a list of phones / card numbers),
 * then 预估 (how many match, how many would get one, who is skipped and why), then the issue:
 * one member at once (with an Idempotency-Key made at the estimate, so a retried click never
 * issues twice), a filter or list as a background batch whose progress the dialog follows.
 */
export function useIssue(template: Ref<CouponTemplate | null>, visible: Ref<boolean>, onIssued: () => void) {
  const { t } = useI18n();
  const target = ref<IssueTarget>('member');
  const memberId = ref<number | null>(null);
  const count = ref(1);
  const reason = ref('');
  const filter = reactive<IssueFilter>(blankFilter());
  const listText = ref('');

  const preview = ref<BatchPreview | null>(null);
  const previewedFor = ref('');
  const previewing = ref(false);
  const submitting = ref(false);
  const error = ref('');
  const batch = ref<CouponBatch | null>(null);
  const started = useStartedTask();
  let idempotencyKey = '';

  const values = computed(() => listValues(listText.value));

  /** The batch target as it stands, or a reason it cannot be sent yet. */
  const body = computed<{ target: BatchTarget } | { missing: string }>(() => {
    if (target.value === 'member') return memberId.value ? { target: { type: 'members', ids: [memberId.value] } } : { missing: t('coupons.issue.needMember') };
    if (target.value === 'filter') return { target: { type: 'filter', query: memberQuery(filter) } };
    if (values.value.length === 0) return { missing: t('coupons.issue.needList') };
    if (values.value.length > MAX_LIST_VALUES) return { missing: t('coupons.issue.listTooMany', { max: formatCount(MAX_LIST_VALUES) }) };
    return { target: { type: 'list', values: values.value } };
  });
  const bodyKey = computed(() => JSON.stringify([body.value, count.value]));
  /** The estimate on screen is for another target than the one now in the form. */
  const stale = computed(() => preview.value !== null && previewedFor.value !== bodyKey.value);
  const canConfirm = computed(() => preview.value !== null && !stale.value && preview.value.coupons > 0 && !batch.value);

  function reset(): void {
    target.value = 'member';
    memberId.value = null;
    count.value = 1;
    reason.value = '';
    Object.assign(filter, blankFilter());
    listText.value = '';
    preview.value = null;
    previewedFor.value = '';
    error.value = '';
    batch.value = null;
    started.dismiss();
  }
  watch(visible, (open) => {
    if (open) reset();
  });

  async function estimate(): Promise<void> {
    const current = body.value;
    if (!template.value || previewing.value) return;
    error.value = '';
    if ('missing' in current) {
      error.value = current.missing;
      return;
    }
    previewing.value = true;
    try {
      const key = bodyKey.value;
      preview.value = await previewCouponBatch({ templateId: template.value.id, target: current.target, count: count.value });
      previewedFor.value = key;
      idempotencyKey = newIdempotencyKey();
    } catch (failure) {
      preview.value = null;
      error.value = errorMessage(failure, t('common.unknownError'));
    } finally {
      previewing.value = false;
    }
  }

  async function confirm(): Promise<void> {
    const current = body.value;
    if (!template.value || submitting.value || !canConfirm.value || 'missing' in current) return;
    submitting.value = true;
    error.value = '';
    try {
      if (target.value === 'member' && memberId.value) {
        const result = await issueCoupon(template.value.id, { memberId: memberId.value, count: count.value, reason: reason.value.trim() || undefined }, idempotencyKey);
        const member = result.items[0]?.member;
        const name = [member?.name, member?.cardNo].filter(Boolean).join(' ') || `#${memberId.value}`;
        ElMessage.success(t('coupons.issue.issued', { member: name, n: result.items.length }));
        onIssued();
        visible.value = false;
      } else {
        const result = await startCouponBatch({ templateId: template.value.id, target: current.target, count: count.value });
        batch.value = result.batch;
        started.follow(result.task);
      }
    } catch (failure) {
      error.value = errorMessage(failure, t('common.unknownError'));
    } finally {
      submitting.value = false;
    }
  }

  /** The batch's counts once its task ends. */
  watch(
    () => started.task.value?.status,
    async (status) => {
      if (!batch.value || (status !== 'succeeded' && status !== 'failed')) return;
      try {
        batch.value = await getCouponBatch(batch.value.id);
      } catch {
        // the task card still says how it ended
      }
      if (status === 'succeeded') onIssued();
    },
  );

  return { target, memberId, count, reason, filter, listText, values, preview, previewing, stale, canConfirm, submitting, error, batch, task: started.task, estimate, confirm };
}
