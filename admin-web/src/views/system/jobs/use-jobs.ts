import { onBeforeUnmount, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { disableJob, enableJob, listJobs, runJob, type JobDefinition } from '@/api/jobs';
import { errorMessage } from '@/composables/use-server-errors';
import { confirmDanger } from '@/utils/confirm';
import { localLabel } from '@/utils/label';
import { ElMessage } from '@/utils/message';

/** The page looks again this often while it is open: runs start and finish by themselves. */
export const JOBS_REFRESH_MS = 5000;

/** The 任务 page: the registered jobs, refreshed while open, and the operator's levers. */
export function useJobs() {
  const { t } = useI18n();
  const items = ref<JobDefinition[]>([]);
  const runsInThisProcess = ref(true);
  const loading = ref(false);
  const loadError = ref('');
  /** the job whose run/disable/enable is on its way */
  const busy = ref<string | null>(null);
  const logsVisible = ref(false);
  const logsJob = ref<JobDefinition | null>(null);

  let timer: number | undefined;
  let inFlight = false;

  /** `quiet` for the automatic refresh: no loading mask, and a failure keeps the rows shown. */
  async function load(quiet = false): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    if (!quiet) loading.value = true;
    try {
      const result = await listJobs();
      items.value = result.items;
      runsInThisProcess.value = result.runsInThisProcess;
      loadError.value = '';
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      if (!quiet) items.value = [];
    } finally {
      inFlight = false;
      loading.value = false;
    }
  }

  onMounted(() => {
    void load();
    timer = window.setInterval(() => void load(true), JOBS_REFRESH_MS);
  });
  onBeforeUnmount(() => window.clearInterval(timer));

  const title = (job: JobDefinition) => localLabel(job.title, job.name);

  async function act(job: JobDefinition, action: () => Promise<unknown>, done: string): Promise<void> {
    busy.value = job.name;
    try {
      await action();
      ElMessage.success(done);
      await load(true);
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      busy.value = null;
    }
  }

  async function runNow(job: JobDefinition): Promise<void> {
    const name = title(job);
    const ok = await confirmDanger({
      title: t('jobs.runTitle'),
      message: t('jobs.runConfirm', { title: name, name: job.name }),
      confirmText: t('jobs.run'),
      tone: 'primary',
      testId: 'job-run',
    });
    if (ok) await act(job, () => runJob(job.name), t('jobs.runQueued', { title: name }));
  }

  async function toggle(job: JobDefinition): Promise<void> {
    const name = title(job);
    const disabling = !job.disabled;
    const ok = await confirmDanger({
      title: t(disabling ? 'jobs.disableTitle' : 'jobs.enableTitle'),
      message: t(disabling ? 'jobs.disableConfirm' : 'jobs.enableConfirm', { title: name, name: job.name }),
      confirmText: t(disabling ? 'jobs.disable' : 'jobs.enable'),
      tone: disabling ? 'danger' : 'primary',
      testId: disabling ? 'job-disable' : 'job-enable',
    });
    if (!ok) return;
    await act(job, () => (disabling ? disableJob(job.name) : enableJob(job.name)), t(disabling ? 'jobs.disabled' : 'jobs.enabled', { title: name }));
  }

  function openLogs(job: JobDefinition): void {
    logsJob.value = job;
    logsVisible.value = true;
  }

  return { items, runsInThisProcess, loading, loadError, load, busy, title, runNow, toggle, logsVisible, logsJob, openLogs };
}
