import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { getBackups, startBackup, type BackupOverview } from '@/api/backups';
import { errorMessage } from '@/composables/use-server-errors';
import { useStartedTask } from '@/composables/use-started-task';
import { ElMessage } from '@/utils/message';

/** While a backup runs the page looks every 2 s; otherwise every 15 s, since the daily run starts by itself. */
export const BACKUPS_POLL_MS = 2000;
export const BACKUPS_IDLE_MS = 15_000;

/**
 * 系统 > 备份: the backups and their settings, kept fresh while the page is open, and 立即备份,
 * whose progress the page shows from the job (and 我的任务 from the task, if the user leaves).
 */
export function useBackups() {
  const { t } = useI18n();
  const overview = ref<BackupOverview | null>(null);
  const loading = ref(false);
  const loadError = ref('');
  const starting = ref(false);
  const { task, follow } = useStartedTask();

  let timer: number | undefined;
  let inFlight = false;
  let stopped = false;

  const settings = computed(() => overview.value?.settings ?? null);
  const running = computed(() => overview.value?.running ?? null);
  const items = computed(() => overview.value?.items ?? []);
  const keyReady = computed(() => settings.value?.publicKey.status === 'ok');
  const canStart = computed(() => keyReady.value && !running.value && !starting.value);

  /** `quiet` for the automatic refresh: no loading mask, and a failure keeps the rows shown. */
  async function load(quiet = false): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    if (!quiet) loading.value = true;
    try {
      overview.value = await getBackups();
      loadError.value = '';
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      inFlight = false;
      loading.value = false;
      plan();
    }
  }

  function plan(): void {
    window.clearTimeout(timer);
    if (stopped) return;
    timer = window.setTimeout(() => void load(true), running.value ? BACKUPS_POLL_MS : BACKUPS_IDLE_MS);
  }

  async function start(): Promise<void> {
    if (!canStart.value) return;
    starting.value = true;
    try {
      follow((await startBackup()).task);
      ElMessage.success(t('system.backups.started'));
    } catch (error) {
      // 409: a backup already runs (another IT person, or the daily run), or the key is missing.
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      starting.value = false;
      await load(true);
    }
  }

  // The user's own backup ended while the page shows it: say how, and show the new row.
  watch(
    () => task.value?.status,
    (status, before) => {
      if (!task.value || before === undefined || status === before) return;
      if (status === 'succeeded') ElMessage.success(t('system.backups.finished', { name: String(task.value.summary?.file ?? '') }));
      if (status === 'failed') ElMessage.error(t('system.backups.failed', { message: task.value.error?.message ?? '' }));
      if (status === 'succeeded' || status === 'failed') void load(true);
    },
  );

  /** What the running backup is doing: the job's own words when this user started it. */
  const runningText = computed(() => {
    const current = running.value;
    if (!current) return '';
    if (task.value && current.taskId === task.value.id && task.value.message) return task.value.message;
    if (current.state === 'queued') return t('system.backups.running.queued');
    return t(current.scheduled ? 'system.backups.running.scheduled' : 'system.backups.running.manual');
  });

  onMounted(() => void load());
  onBeforeUnmount(() => {
    stopped = true;
    window.clearTimeout(timer);
  });

  return { overview, settings, running, items, loading, loadError, load, starting, keyReady, canStart, start, runningText };
}
