import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listPlans, updatePlan, type PlanStatus, type TopupPlan } from '@/api/loyalty';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { confirmDanger } from '@/utils/confirm';
import { formatMoney } from '@/utils/format';
import { ElMessage } from '@/utils/message';

/** 储值方案: the plans by status (in the URL), the create/edit dialog, and retiring or reactivating one. */
export function usePlans() {
  const { t } = useI18n();
  const items = ref<TopupPlan[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  /** ids of plans whose status change is waiting for the server */
  const switching = ref<Set<number>>(new Set());
  const dialogVisible = ref(false);
  const editing = ref<TopupPlan | null>(null);

  const query = useUrlQuery({ status: '' }, (filtersChanged) => {
    if (filtersChanged) void load();
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const status = (query.applied.value.status || undefined) as PlanStatus | undefined;
      const result = await listPlans(status);
      // The counter shows plans in this order too.
      items.value = [...result.items].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  // A business has a handful of plans; the server returns them all and pages are cut here.
  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return items.value.slice(start, start + query.pageSize.value);
  });
  const filtered = computed(() => query.applied.value.status !== '');

  function openCreate(): void {
    editing.value = null;
    dialogVisible.value = true;
  }

  function openEdit(plan: TopupPlan): void {
    editing.value = plan;
    dialogVisible.value = true;
  }

  function onSaved(): void {
    void load();
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
    switching.value.add(plan.id);
    try {
      await updatePlan(plan.id, { status });
      ElMessage.success(t(retire ? 'plans.retired' : 'plans.reactivated', { name: plan.name }));
      await load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      switching.value.delete(plan.id);
    }
  }

  return { ...query, items, pageItems, filtered, loading, loadError, load, switching, dialogVisible, editing, openCreate, openEdit, onSaved, setStatus };
}
