import { onBeforeRouteLeave } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessageBox } from '@/utils/message';

/** Leaving the page while `unsaved()` asks first, with `message()`; 否 stays. */
export function useLeaveGuard(unsaved: () => boolean, message: () => string): void {
  const { t } = useI18n();
  onBeforeRouteLeave(async () => {
    if (!unsaved()) return true;
    try {
      await ElMessageBox.confirm(message(), { type: 'warning', confirmButtonText: t('common.yes'), cancelButtonText: t('common.no') });
      return true;
    } catch {
      return false;
    }
  });
}
