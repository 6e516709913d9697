import { onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorMessage } from '@/composables/use-server-errors';

const PAGE = 20;

export interface CursorQuery {
  cursor?: string;
  limit: number;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One of the 360 page's history tabs (orders, points, stored value): the newest page on
 * opening, 加载更多 appending the next cursor page.
 */
export function useCursorLedger<T>(fetchPage: (query: CursorQuery) => Promise<CursorPage<T>>) {
  const { t } = useI18n();
  const items = ref([]) as Ref<T[]>;
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function fetch(cursor?: string): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      const page = await fetchPage({ cursor, limit: PAGE });
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } catch (failure) {
      error.value = t('members.detail.ledger.failed', { message: errorMessage(failure, t('common.unknownError')) });
    } finally {
      loading.value = false;
    }
  }

  const reload = () => fetch();
  const loadMore = () => (nextCursor.value ? fetch(nextCursor.value) : Promise.resolve());

  onMounted(reload);
  return { items, nextCursor, loading, error, reload, loadMore };
}
