import { computed, onMounted, ref } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { listOrders, ORDER_STATUSES, type OrderQuery, type OrderStatus, type OrderSummary } from '@/api/orders';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { emptyOrderFilters, orderFilterRules, type OrderFilters } from './rule';

const PAGE = 20;

/**
 * 订单: the filters in the URL (a shared link opens the same list), newest orders first,
 * 加载更多 appending the next cursor page (the server counts nothing).
 */
export function useOrderList() {
  const { t } = useI18n();
  const router = useRouter();
  const storeLookup = useStoreLookup();

  const items = ref<OrderSummary[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loadError = ref('');

  const query = useUrlQuery<OrderFilters>(emptyOrderFilters(), (filtersChanged) => {
    if (filtersChanged) void load();
  });
  const { filters, applied } = query;
  const filterRules = computed(() => orderFilterRules(t));
  const filtered = computed(() => Object.values(applied.value).some((value) => value !== ''));

  /** The date picker edits both ends at once. */
  const dateRange = computed<string[] | null>({
    get: () => (filters.from && filters.to ? [filters.from, filters.to] : null),
    set: (range: string[] | null) => {
      filters.from = range?.[0] ?? '';
      filters.to = range?.[1] ?? '';
    },
  });

  function serverQuery(current: OrderFilters, cursor?: string): OrderQuery {
    const status = (ORDER_STATUSES as readonly string[]).includes(current.status) ? (current.status as OrderStatus) : undefined;
    return {
      keyword: current.keyword.trim() || undefined,
      storeId: current.storeId ? Number(current.storeId) : undefined,
      status,
      from: current.from || undefined,
      to: current.to || undefined,
      limit: PAGE,
      cursor,
    };
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const page = await listOrders(serverQuery(applied.value));
      items.value = page.items;
      nextCursor.value = page.nextCursor;
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
      nextCursor.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value) return;
    loadingMore.value = true;
    try {
      const page = await listOrders(serverQuery(applied.value, nextCursor.value));
      items.value = [...items.value, ...page.items];
      nextCursor.value = page.nextCursor;
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loadingMore.value = false;
    }
  }

  onMounted(() => {
    void load();
    void storeLookup.loadStores();
  });

  function openOrder(order: OrderSummary): void {
    void router.push({ name: 'order-detail', params: { id: order.id } });
  }

  return {
    ...query,
    ...storeLookup,
    filterRules,
    filtered,
    dateRange,
    items,
    nextCursor,
    loading,
    loadingMore,
    loadError,
    load,
    loadMore,
    openOrder,
  };
}
