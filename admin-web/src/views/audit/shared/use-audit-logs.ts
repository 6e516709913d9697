import { computed, onMounted, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { listAuditLogs, startAuditExport, verifyAuditLogs, type AuditLog, type AuditQuery, type AuditResult, type AuditVerifyResult } from '@/api/audit';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useStartedTask } from '@/composables/use-started-task';
import { useUrlQuery } from '@/composables/use-url-query';
import { businessInstant } from '@/utils/format';
import { ElMessage } from '@/utils/message';
import { auditFilterRules, emptyAuditFilters, type AuditFilters } from './rule';

const PAGE_SIZE = 50;

export interface AuditLogsOptions {
  /** the login log: only auth.* records, whatever the URL says */
  fixedAction?: string;
}

/**
 * The operation log and the login log: filters in the URL, keyset pages appended by "load
 * more", a detail drawer, the background export of what the filters show, and the integrity check.
 */
export function useAuditLogs(options: AuditLogsOptions = {}) {
  const { t } = useI18n();
  const storeLookup = useStoreLookup();
  const filterRules = computed(() => auditFilterRules(t));

  const items = ref<AuditLog[]>([]);
  const nextBefore = ref<number | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loadError = ref('');
  const exporting = ref(false);
  /** The export this page started; 我的任务 keeps it fresh while it runs. */
  const { task: exportTask, active: exportActive, follow: followExport, dismiss: dismissExport } = useStartedTask();
  const detailVisible = ref(false);
  const detail = ref<AuditLog | null>(null);
  const verifying = ref(false);
  const verifyVisible = ref(false);
  const verifyResult = ref<AuditVerifyResult | null>(null);

  const query = useUrlQuery<AuditFilters>(emptyAuditFilters(), (filtersChanged) => {
    if (filtersChanged) void load();
  });
  const { filters, applied } = query;

  /** The date picker's [from, to], both business wall clock. */
  const range = computed<[string, string] | null>({
    get: () => (filters.from && filters.to ? ([filters.from, filters.to] as [string, string]) : null),
    set: (value) => {
      filters.from = value?.[0] ?? '';
      filters.to = value?.[1] ?? '';
    },
  });

  const atId = computed(() => (applied.value.at ? Number(applied.value.at) : null));
  const filtered = computed(() => Object.entries(applied.value).some(([, value]) => value !== ''));

  function serverQuery(current: AuditFilters): Omit<AuditQuery, 'before' | 'limit'> {
    return {
      from: current.from ? businessInstant(current.from) || undefined : undefined,
      to: current.to ? businessInstant(current.to) || undefined : undefined,
      actorId: current.actorId ? Number(current.actorId) : undefined,
      action: options.fixedAction ?? (current.action || undefined),
      entityType: current.entityType || undefined,
      entityId: current.entityId || undefined,
      storeId: current.storeId ? Number(current.storeId) : undefined,
      result: (current.result || undefined) as AuditResult | undefined,
    };
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const at = atId.value;
      const page = await listAuditLogs({
        ...serverQuery(applied.value),
        before: at && Number.isInteger(at) && at > 0 ? at + 1 : undefined,
        limit: PAGE_SIZE,
      });
      items.value = page.items;
      nextBefore.value = page.nextBefore;
      // Arriving from the integrity check: open the record it named.
      if (at) {
        const record = page.items.find((item) => item.id === at);
        if (record) openDetail(record);
      }
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
      nextBefore.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (nextBefore.value === null || loadingMore.value) return;
    loadingMore.value = true;
    try {
      const page = await listAuditLogs({ ...serverQuery(applied.value), before: nextBefore.value, limit: PAGE_SIZE });
      items.value = [...items.value, ...page.items];
      nextBefore.value = page.nextBefore;
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      loadingMore.value = false;
    }
  }

  onMounted(() => {
    void load();
    void storeLookup.loadStores();
  });

  /** Called once the filter form has validated (ListPage does that). */
  function search(): void {
    // A new search starts from the newest record again.
    filters.at = '';
    query.search();
  }

  function openDetail(record: AuditLog): void {
    detail.value = record;
    detailVisible.value = true;
  }

  /** Lists from one record down, with no other filter, and opens it. */
  function showRecord(id: number): void {
    verifyVisible.value = false;
    query.searchWith({ at: String(id) });
  }

  function clearAt(): void {
    filters.at = '';
    query.search();
  }

  /** Queues an export of the applied filters; its progress shows here and in 我的任务. */
  async function exportLogs(): Promise<void> {
    if (exporting.value || exportActive.value) return;
    exporting.value = true;
    try {
      followExport(await startAuditExport(serverQuery(applied.value)));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      exporting.value = false;
    }
  }

  async function verify(): Promise<void> {
    if (verifying.value) return;
    verifying.value = true;
    try {
      verifyResult.value = await verifyAuditLogs();
      verifyVisible.value = true;
      // The check writes an audit record of its own; show it.
      if (!applied.value.at) void load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      verifying.value = false;
    }
  }

  // The drawer's record follows a reload (same id, possibly a fresher copy).
  watch(items, (list) => {
    if (detail.value) detail.value = list.find((item) => item.id === detail.value?.id) ?? detail.value;
  });

  return {
    ...query,
    ...storeLookup,
    filterRules,
    range,
    atId,
    filtered,
    items,
    nextBefore,
    loading,
    loadingMore,
    loadError,
    load,
    loadMore,
    search,
    detailVisible,
    detail,
    openDetail,
    showRecord,
    clearAt,
    exporting,
    exportTask,
    exportActive,
    exportLogs,
    dismissExport,
    verifying,
    verifyVisible,
    verifyResult,
    verify,
  };
}
