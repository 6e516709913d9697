import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from '@/utils/message';
import { errorMessage } from './use-server-errors';

/** The row a list's form dialog edits (null: a new one) and whether the dialog is open. */
export function useEditDialog<T>() {
  const dialogVisible = ref(false);
  const editing = ref(null) as Ref<T | null>;

  function openCreate(): void {
    editing.value = null;
    dialogVisible.value = true;
  }

  function openEdit(row: T): void {
    editing.value = row;
    dialogVisible.value = true;
  }

  return { dialogVisible, editing, openCreate, openEdit };
}

/**
 * Rows with a request under way (a status switch, a revoke, a password reset): their buttons
 * spin or wait meanwhile. A failure is a message, since the row stays as it was.
 */
export function useBusyRows() {
  const { t } = useI18n();
  const busy = ref<Set<number>>(new Set());

  async function run(id: number, work: () => Promise<void>): Promise<void> {
    busy.value.add(id);
    try {
      await work();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      busy.value.delete(id);
    }
  }

  return { busy, run };
}

/**
 * Puts a row the server sent back in its old place. False when the list does not hold it: a
 * new row, which the caller reloads for, since it may not match the filters.
 */
export function replaceRow<T extends { id: number }>(items: T[], row: T): boolean {
  const index = items.findIndex((item) => item.id === row.id);
  if (index < 0) return false;
  items.splice(index, 1, row);
  return true;
}
