import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import { deleteMemberView, listMemberViews, saveMemberView, type SavedView } from '@/api/members';
import type { MemberExportQuery } from '@/api/member-files';
import { errorMessage } from '@/composables/use-server-errors';
import { fenToYuan } from '@/utils/format';
import { emptyMemberFilters, type MemberFilters } from './rule';

/** Filters the list keeps in yuan while the server keeps fen. */
const MONEY_FILTERS = new Set(['spendMin', 'spendMax']);

/**
 * 我的视图: the user's saved filter and sort combinations. A view is stored as the query
 * the server takes (the same one 导出 sends) and turned back into the list's URL filters
 * when applied; the server checks it again on every use.
 */
export function useSavedViews(options: {
  currentQuery: () => MemberExportQuery;
  apply: (filters: Partial<MemberFilters>) => void;
  appliedKeys: () => string[];
  isMoneyCustom: (key: string) => boolean;
}) {
  const { t } = useI18n();
  const views = ref<SavedView[]>([]);

  async function load(): Promise<void> {
    try {
      views.value = (await listMemberViews()).items;
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    }
  }

  function apply(view: SavedView): void {
    // Every filter starts empty, custom ones in the URL included, then the view's are set.
    const filters: Record<string, string> = { ...emptyMemberFilters(), after: '' };
    for (const key of options.appliedKeys()) if (key.startsWith('custom.')) filters[key] = '';
    for (const [key, value] of Object.entries(view.query)) {
      const money = MONEY_FILTERS.has(key) || (key.startsWith('custom.') && options.isMoneyCustom(key.slice('custom.'.length)));
      filters[key] = money && typeof value === 'number' ? String(fenToYuan(value)) : String(value);
    }
    options.apply(filters as Partial<MemberFilters>);
  }

  async function saveCurrent(): Promise<void> {
    let name: string;
    try {
      ({ value: name } = await ElMessageBox.prompt(t('members.views.namePrompt'), t('members.views.save'), {
        inputPattern: /^\S.{0,63}$/u,
        inputErrorMessage: t('members.views.nameRule'),
        confirmButtonText: t('common.save'),
        cancelButtonText: t('common.cancel'),
      }));
    } catch {
      return;
    }
    try {
      await saveMemberView(name.trim(), options.currentQuery());
      ElMessage.success(t('members.views.saved', { name: name.trim() }));
      await load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    }
  }

  async function remove(view: SavedView): Promise<void> {
    try {
      await ElMessageBox.confirm(t('members.views.confirmDelete', { name: view.name }), t('members.views.delete'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    try {
      await deleteMemberView(view.id);
      await load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    }
  }

  return { views, load, apply, saveCurrent, remove };
}
