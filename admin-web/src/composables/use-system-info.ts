import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { getSystemInfo, type SystemInfo } from '@/api/system';
import { isApiError } from '@/api/http';
import { splitDuration } from '@/utils/format';

/** Loads GET /system/info; `enabled` false skips the call (the user lacks the permission). */
export function useSystemInfo(enabled: () => boolean = () => true) {
  const { t } = useI18n();
  const info = ref<SystemInfo | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    if (!enabled()) return;
    loading.value = true;
    error.value = '';
    try {
      info.value = await getSystemInfo();
    } catch (cause) {
      error.value = isApiError(cause) ? cause.message : t('common.unknownError');
    } finally {
      loading.value = false;
    }
  }

  /** '3 天 4 小时 5 分钟', shortened when the server has not been up long. */
  function uptimeText(seconds: number): string {
    const { days, hours, minutes } = splitDuration(seconds);
    if (days > 0) return t('duration.days', { days, hours, minutes });
    if (hours > 0) return t('duration.hours', { hours, minutes });
    return t('duration.minutes', { minutes });
  }

  function dialectText(dialect: string): string {
    return dialect === 'sqlite' || dialect === 'mysql' ? t(`systemInfo.dialects.${dialect}`) : dialect;
  }

  onMounted(load);

  return { info, loading, error, load, uptimeText, dialectText };
}
