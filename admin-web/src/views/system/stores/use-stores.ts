import { useI18n } from 'vue-i18n';
import { listStores, updateStore, type Store, type StoreStatus } from '@/api/stores';
import { useClientList } from '@/composables/use-client-list';
import { replaceRow, useBusyRows, useEditDialog } from '@/composables/use-row-actions';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';

export function useStores() {
  const { t } = useI18n();
  // The server returns every matching store: a chain has tens, not thousands.
  const list = useClientList({ keyword: '', status: '' }, async ({ keyword, status }) => {
    const result = await listStores({ keyword: keyword || undefined, status: (status || undefined) as StoreStatus | undefined });
    return result.items;
  });
  const dialog = useEditDialog<Store>();
  const { busy, run } = useBusyRows();

  function onSaved(store: Store): void {
    if (!replaceRow(list.items.value, store)) void list.load();
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
    await run(store.id, async () => {
      onSaved(await updateStore(store.id, { status }));
      ElMessage.success(t(status === 'open' ? 'stores.opened' : 'stores.closed', { name: store.name }));
    });
  }

  return { ...list, ...dialog, busy, onSaved, setStatus };
}
