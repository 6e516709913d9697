import { i18n } from '@/locales';
import { ElMessageBox } from './message';

export interface DangerConfirm {
  title: string;
  /** names the object: 「华东一店」 */
  message: string;
  confirmText: string;
  /** the data-test of the confirm button, for browser tests */
  testId?: string;
  /** 'primary' for an action that is easily undone (run now, enable): a blue button */
  tone?: 'danger' | 'primary';
}

/**
 * Asks before an action that cannot be undone. Resolves true on confirm, false on cancel or close;
 * the confirm button is red (blue with tone 'primary') and focus starts on cancel, so a stray
 * Enter does nothing.
 */
export async function confirmDanger(options: DangerConfirm): Promise<boolean> {
  try {
    await ElMessageBox.confirm(options.message, options.title, {
      type: 'warning',
      confirmButtonText: options.confirmText,
      cancelButtonText: i18n.global.t('common.cancel'),
      confirmButtonClass: `el-button--${options.tone ?? 'danger'}${options.testId ? ` confirm-${options.testId}` : ''}`,
      autofocus: false,
      closeOnClickModal: false,
      distinguishCancelAndClose: false,
    });
    return true;
  } catch {
    return false;
  }
}
