import { useI18n } from 'vue-i18n';
import { listPlans, updatePlan, type PlanStatus, type TopupPlan } from '@/api/loyalty';
import { useClientList } from '@/composables/use-client-list';
import { useBusyRows, useEditDialog } from '@/composables/use-row-actions';
import { confirmDanger } from '@/utils/confirm';
import { formatMoney } from '@/utils/format';
import { ElMessage } from '@/utils/message';

/** 储值方案: the plans by status (in the URL), the create/edit dialog, and retiring or reactivating one. */
export function usePlans() {
  const { t } = useI18n();
  // A business has a handful of plans; the server returns them all.
  const list = useClientList({ status: '' }, async ({ status }) => {
    const result = await listPlans((status || undefined) as PlanStatus | undefined);
    // The counter shows plans in this order too.
    return [...result.items].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  });
  const dialog = useEditDialog<TopupPlan>();
  const { busy, run } = useBusyRows();

  function onSaved(): void {
    void list.load();
  }

  async function setStatus(plan: TopupPlan, status: PlanStatus): Promise<void> {
    const retire = status === 'retired';
    const ok = await confirmDanger({
      title: t(retire ? 'plans.retireTitle' : 'plans.reactivateTitle'),
      message: t(retire ? 'plans.retireConfirm' : 'plans.reactivateConfirm', {
        name: plan.name,
        amount: formatMoney(plan.amount),
        bonus: formatMoney(plan.bonus),
      }),
      confirmText: t(retire ? 'plans.retire' : 'plans.reactivate'),
      testId: retire ? 'plan-retire' : 'plan-reactivate',
      tone: retire ? 'danger' : 'primary',
    });
    if (!ok) return;
    await run(plan.id, async () => {
      await updatePlan(plan.id, { status });
      ElMessage.success(t(retire ? 'plans.retired' : 'plans.reactivated', { name: plan.name }));
      await list.load();
    });
  }

  return { ...list, ...dialog, busy, onSaved, setStatus };
}
