import { computed, ref, watch } from 'vue';
import { listStores, type Store } from '@/api/stores';
import { STORAGE_KEYS, readStorage, writeStorage } from '@/utils/storage';

/**
 * The store this counter checks out for: the user's open stores; with one it is fixed,
 * with several the choice is remembered on this browser (a counter stays in its store).
 */
export function useCashierStore() {
  const stores = ref<Store[]>([]);
  const storeId = ref<number | null>(null);
  const loaded = ref(false);
  const loadError = ref('');

  const fixed = computed(() => stores.value.length === 1);
  const store = computed(() => stores.value.find((candidate) => candidate.id === storeId.value) ?? null);

  async function load(): Promise<void> {
    try {
      stores.value = (await listStores()).items.filter((candidate) => candidate.status === 'open');
    } catch (error) {
      stores.value = [];
      loadError.value = error instanceof Error ? error.message : String(error);
    } finally {
      loaded.value = true;
    }
    const saved = Number(readStorage(STORAGE_KEYS.cashierStore));
    if (stores.value.length === 1) storeId.value = stores.value[0].id;
    else if (stores.value.some((candidate) => candidate.id === saved)) storeId.value = saved;
  }

  watch(storeId, (id) => {
    if (id !== null && stores.value.length > 1) writeStorage(STORAGE_KEYS.cashierStore, String(id));
  });

  return { stores, storeId, store, fixed, loaded, loadError, load };
}
