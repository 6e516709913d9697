import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listStores, updateStore, type Store, type StoreStatus } from '@/api/stores';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';

export function useStores() {
  const { t } = useI18n();
  const items = ref<Store[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  /** store ids whose status switch is waiting for the server */
  const switching = ref<Set<number>>(new Set());

  const dialogVisible = ref(false);
  const editing = ref<Store | null>(null);

  const query = useUrlQuery({ keyword: '', status: '' }, (filtersChanged) => {
    if (filtersChanged) void load();
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const { keyword, status } = query.applied.value;
      const result = await listStores({ keyword: keyword || undefined, status: (status || undefined) as StoreStatus | undefined });
      items.value = result.items;
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  // The server returns every matching store (a chain has tens, not thousands); pages are cut here.
  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return items.value.slice(start, start + query.pageSize.value);
  });
  const filtered = computed(() => query.applied.value.keyword !== '' || query.applied.value.status !== '');

  function openCreate(): void {
    editing.value = null;
    dialogVisible.value = true;
  }

  function openEdit(store: Store): void {
    editing.value = store;
    dialogVisible.value = true;
  }

  function onSaved(store: Store): void {
    const index = items.value.findIndex((item) => item.id === store.id);
    if (index >= 0) items.value.splice(index, 1, store);
    else void load();
  }

  /** Opening needs no confirmation; closing a store hides it from the counters, so it asks. */
  async function setStatus(store: Store, status: StoreStatus): Promise<void> {
    if (status === 'closed') {
      const ok = await confirmDanger({
        title: t('stores.closeTitle'),
        message: t('stores.closeConfirm', { name: store.name }),
        confirmText: t('stores.closeButton'),
        testId: 'store-close',
      });
      if (!ok) return;
    }
    switching.value.add(store.id);
    try {
      onSaved(await updateStore(store.id, { status }));
      ElMessage.success(t(status === 'open' ? 'stores.opened' : 'stores.closed', { name: store.name }));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      switching.value.delete(store.id);
    }
  }

  return {
    ...query,
    items,
    pageItems,
    filtered,
    loading,
    loadError,
    load,
    switching,
    dialogVisible,
    editing,
    openCreate,
    openEdit,
    onSaved,
    setStatus,
  };
}
