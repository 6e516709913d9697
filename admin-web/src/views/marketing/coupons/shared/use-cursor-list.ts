import { computed, onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Page } from '@/api/coupons';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery, type QueryFilters } from '@/composables/use-url-query';

/** What the page frame (coupon-list-page.vue) drives of a cursor list. */
export interface CursorListView {
  filters: QueryFilters;
  items: Readonly<Ref<readonly unknown[]>>;
  nextCursor: Readonly<Ref<string | null>>;
  loading: Readonly<Ref<boolean>>;
  loadingMore: Readonly<Ref<boolean>>;
  loadError: Readonly<Ref<string>>;
  search: () => void;
  reset: () => void;
  load: () => Promise<void>;
  loadMore: () => Promise<void>;
}

/**
 * A coupon list the server pages by cursor (templates, coupons, redemptions): the filters in
 * the URL, the newest page first, 加载更多 appending the next (the server counts nothing). A
 * failed load empties the table so no stale rows sit under the error.
 */
export function useCursorList<T, F extends QueryFilters>(defaults: F, fetch: (applied: F, cursor?: string) => Promise<Page<T>>) {
  const { t } = useI18n();
  const items = ref([]) as Ref<T[]>;
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loadError = ref('');

  const query = useUrlQuery<F>(defaults, (filtersChanged) => {
    if (filtersChanged) void load();
  });
  const filtered = computed(() => Object.values(query.applied.value).some((value) => value !== ''));

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const page = await fetch(query.applied.value);
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
      const page = await fetch(query.applied.value, nextCursor.value);
      items.value = [...items.value, ...page.items];
      nextCursor.value = page.nextCursor;
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loadingMore.value = false;
    }
  }

  onMounted(load);

  return { ...query, items, nextCursor, loading, loadingMore, loadError, filtered, load, loadMore };
}

/** A URL filter holding an id as a number for the server, or undefined when empty or not a number. */
export function idFilter(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}
