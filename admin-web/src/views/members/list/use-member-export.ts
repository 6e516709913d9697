import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { startMemberExport, type MemberExportQuery } from '@/api/member-files';
import { errorMessage } from '@/composables/use-server-errors';
import { useStartedTask } from '@/composables/use-started-task';
import { ElMessage } from '@/utils/message';

/**
 * 导出 on the member list: a confirmation saying how the file is masked, then a background
 * export of what the applied filters match, followed above the table and in 我的任务.
 */
export function useMemberExport(query: () => MemberExportQuery) {
  const { t } = useI18n();
  const confirmVisible = ref(false);
  const exporting = ref(false);
  const { task: exportTask, active: exportActive, follow, dismiss: dismissExport } = useStartedTask();

  function askExport(): void {
    if (!exportActive.value) confirmVisible.value = true;
  }

  async function startExport(): Promise<void> {
    if (exporting.value) return;
    exporting.value = true;
    try {
      follow(await startMemberExport(query()));
      confirmVisible.value = false;
    } catch (error) {
      // 422 MEMBER_EXPORT_TOO_LARGE names the count and the limit; 403 a filter the user may not use.
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      exporting.value = false;
    }
  }

  return { confirmVisible, exporting, exportTask, exportActive, askExport, startExport, dismissExport };
}
