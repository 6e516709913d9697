import { computed, onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorMessage } from './use-server-errors';
import { useUrlQuery, type QueryFilters } from './use-url-query';

export interface ClientListOptions<T, F extends QueryFilters> {
  /**
   * Filters applied here, to the rows loaded once, when the server has no such filter (an
   * API key's status depends on the clock); changing them then asks the server nothing.
   */
  narrow?: (items: T[], applied: F) => T[];
}

/**
 * A list the server sends whole (a business has tens of stores, channels, plans, staff or
 * keys, not thousands), with its filters and page in the URL and the pages cut here. A
 * failed load empties the table, so no stale rows sit under the error. `listPage` is what
 * ListPage takes: `<ListPage v-bind="listPage" :title="…">`.
 */
export function useClientList<T, F extends QueryFilters>(defaults: F, fetch: (applied: F) => Promise<T[]>, options: ClientListOptions<T, F> = {}) {
  const { t } = useI18n();
  const items = ref([]) as Ref<T[]>;
  const loading = ref(false);
  const loadError = ref('');

  const query = useUrlQuery(defaults, (filtersChanged) => {
    if (filtersChanged && !options.narrow) void load();
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      items.value = await fetch(query.applied.value);
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  const shown = computed(() => (options.narrow ? options.narrow(items.value, query.applied.value) : items.value));
  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return shown.value.slice(start, start + query.pageSize.value);
  });
  /** The empty table says "nothing matches" rather than "nothing yet". */
  const filtered = computed(() => Object.values(query.applied.value).some((value) => value !== ''));

  const listPage = computed(() => ({
    model: query.filters,
    loading: loading.value,
    error: loadError.value,
    total: shown.value.length,
    page: query.page.value,
    pageSize: query.pageSize.value,
    pageSizes: query.pageSizes,
    onSearch: query.search,
    onReset: query.reset,
    onRefresh: load,
    'onUpdate:page': query.setPage,
    'onUpdate:pageSize': query.setPageSize,
  }));

  return { ...query, items, shown, pageItems, filtered, loading, loadError, load, listPage };
}
