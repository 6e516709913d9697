import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { downloadTaskOutput, getTask, listTasks, type Task } from '@/api/jobs';
import { saveFile } from '@/api/http';
import { errorMessage } from '@/composables/use-server-errors';
import { i18n } from '@/locales';
import { taskTitle } from '@/utils/job-title';
import { ElMessage } from '@/utils/message';

const PAGE_SIZE = 20;
/** How often a queued or running task is looked at again. */
export const TASK_POLL_MS = 2000;

export function isTaskActive(task: Pick<Task, 'status'>): boolean {
  return task.status === 'queued' || task.status === 'running';
}

/**
 * 我的任务: the signed-in user's background tasks (exports, later imports), shared by the
 * header badge, its drawer and the pages that start a task. Polls while any task is queued or
 * running, so a user who leaves the page that started one still sees it finish.
 */
export const useTasksStore = defineStore('tasks', () => {
  const items = ref<Task[]>([]);
  const nextBefore = ref<number | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loadError = ref('');
  const drawerVisible = ref(false);
  const downloading = ref<number | null>(null);
  /** The server's answer to a failed download (an expired file), by task id. */
  const downloadErrors = ref<Record<number, string>>({});

  /** The server's count covers tasks older than the loaded page. */
  const serverActive = ref(0);
  const activeCount = computed(() => Math.max(serverActive.value, items.value.filter(isTaskActive).length));

  /** Tasks a page is showing with their own progress: finishing there needs no toast. */
  const onScreen = new Set<number>();

  let timer: number | undefined;
  // A reset (logout) makes the answers of requests still in flight stale.
  let generation = 0;
  let refreshing: Promise<void> | null = null;

  function find(id: number): Task | undefined {
    return items.value.find((task) => task.id === id);
  }

  /** Says so when a task this browser watched finishes while the user is elsewhere. */
  function announce(before: Map<number, Task['status']>, after: Task[]): void {
    for (const task of after) {
      const was = before.get(task.id);
      if (!was || !isTaskActive({ status: was }) || isTaskActive(task) || onScreen.has(task.id)) continue;
      const title = taskTitle(task);
      if (task.status === 'succeeded') ElMessage.success(i18n.global.t('tasks.finished', { title }));
      else ElMessage.error(i18n.global.t('tasks.failedNotice', { title, message: task.error?.message ?? '' }));
    }
  }

  /** The newest page again; tasks loaded further down ("load more") are kept. */
  async function fetchLatest(): Promise<void> {
    const started = generation;
    const before = new Map(items.value.map((task) => [task.id, task.status]));
    const page = await listTasks({ limit: PAGE_SIZE });
    if (started !== generation) return;
    serverActive.value = page.active;
    const oldest = page.items.length > 0 ? page.items[page.items.length - 1].id : Infinity;
    const older = page.nextBefore === null ? [] : items.value.filter((task) => task.id < oldest);
    // A task just submitted may not be on the page yet (another tab filled it): keep asking for it.
    const missing = items.value.filter((task) => task.id > oldest && isTaskActive(task) && !page.items.some((item) => item.id === task.id));
    const found = await Promise.all(missing.map((task) => getTask(task.id).catch(() => task)));
    if (started !== generation) return;
    const next = [...page.items, ...found].sort((a, b) => b.id - a.id);
    announce(before, next);
    items.value = [...next, ...older];
    if (older.length === 0) nextBefore.value = page.nextBefore;
  }

  function schedule(): void {
    window.clearTimeout(timer);
    timer = undefined;
    if (activeCount.value > 0) timer = window.setTimeout(() => void refresh(), TASK_POLL_MS);
  }

  /** Reloads the newest tasks (quietly: a failed poll keeps what is shown) and polls on while one is active. */
  function refresh(): Promise<void> {
    refreshing ??= fetchLatest()
      .then(() => {
        loadError.value = '';
      })
      .catch((error: unknown) => {
        loadError.value = errorMessage(error, i18n.global.t('common.unknownError'));
      })
      .finally(() => {
        refreshing = null;
        schedule();
      });
    return refreshing;
  }

  /** The first load of the drawer, with a loading mask. */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      await refresh();
    } finally {
      loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (nextBefore.value === null || loadingMore.value) return;
    const started = generation;
    loadingMore.value = true;
    try {
      const page = await listTasks({ before: nextBefore.value, limit: PAGE_SIZE });
      if (started !== generation) return;
      const known = new Set(items.value.map((task) => task.id));
      items.value = [...items.value, ...page.items.filter((task) => !known.has(task.id))];
      nextBefore.value = page.nextBefore;
    } catch (error) {
      ElMessage.error(errorMessage(error, i18n.global.t('common.unknownError')));
    } finally {
      loadingMore.value = false;
    }
  }

  /** A task a page just started: shown at once, then followed until it finishes. */
  function track(task: Task): void {
    items.value = [task, ...items.value.filter((item) => item.id !== task.id)];
    schedule();
  }

  /** A page shows (or stops showing) a task's progress itself. */
  function setOnScreen(id: number, shown: boolean): void {
    if (shown) onScreen.add(id);
    else onScreen.delete(id);
  }

  async function download(task: Task): Promise<void> {
    if (downloading.value !== null) return;
    downloading.value = task.id;
    const errors = { ...downloadErrors.value };
    delete errors[task.id];
    downloadErrors.value = errors;
    try {
      saveFile(await downloadTaskOutput(task.id));
    } catch (error) {
      const message = errorMessage(error, i18n.global.t('common.unknownError'));
      downloadErrors.value = { ...downloadErrors.value, [task.id]: message };
      ElMessage.error(message);
    } finally {
      downloading.value = null;
    }
  }

  function openDrawer(): void {
    drawerVisible.value = true;
  }

  /** Forgets everything (logout): another user may sign in in this tab. */
  function reset(): void {
    generation += 1;
    window.clearTimeout(timer);
    timer = undefined;
    items.value = [];
    serverActive.value = 0;
    nextBefore.value = null;
    loadError.value = '';
    downloadErrors.value = {};
    drawerVisible.value = false;
    onScreen.clear();
  }

  return {
    items,
    nextBefore,
    loading,
    loadingMore,
    loadError,
    drawerVisible,
    downloading,
    downloadErrors,
    activeCount,
    find,
    refresh,
    load,
    loadMore,
    track,
    setOnScreen,
    download,
    openDrawer,
    reset,
  };
});
