import { computed, onBeforeUnmount, ref } from 'vue';
import type { Task } from '@/api/jobs';
import { isTaskActive, useTasksStore } from '@/stores/tasks';

/**
 * A background task this page started (an export, an import): shown as queued at once, then
 * kept fresh by 我的任务's polling, so the page and the drawer always agree. While the page
 * shows it, its end raises no toast; once the user leaves, it does.
 */
export function useStartedTask() {
  const tasks = useTasksStore();
  const started = ref<Task | null>(null);

  const task = computed(() => (started.value ? (tasks.find(started.value.id) ?? started.value) : null));
  const active = computed(() => task.value !== null && isTaskActive(task.value));

  function follow(next: Task): void {
    dismiss();
    tasks.track(next);
    tasks.setOnScreen(next.id, true);
    started.value = next;
  }

  function dismiss(): void {
    if (started.value) tasks.setOnScreen(started.value.id, false);
    started.value = null;
  }

  onBeforeUnmount(dismiss);

  return { task, active, follow, dismiss };
}
