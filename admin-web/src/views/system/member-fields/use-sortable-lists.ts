import { nextTick, onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import Sortable from 'sortablejs';

/**
 * Drag to reorder across several lists (the designer's groups) with SortableJS, leaving the
 * DOM to Vue: when a drag ends the moved row is put back where it was and `onMove` changes
 * the data, from which Vue draws the new order. Lists are the elements under `root` with
 * `data-sortable-group="<index>"`, rows are their element children, dragged by `.field-row__handle`.
 */
export function useSortableLists(
  root: Ref<HTMLElement | undefined>,
  enabled: () => boolean,
  rebuildOn: WatchSource,
  onMove: (from: number, oldIndex: number, to: number, newIndex: number) => void,
): void {
  let instances: Sortable[] = [];

  function destroy(): void {
    for (const instance of instances) instance.destroy();
    instances = [];
  }

  function setup(): void {
    destroy();
    if (!root.value || !enabled()) return;
    for (const list of root.value.querySelectorAll<HTMLElement>('[data-sortable-group]')) {
      instances.push(
        Sortable.create(list, {
          group: 'member-fields',
          handle: '.field-row__handle',
          animation: 150,
          ghostClass: 'field-row--ghost',
          onEnd: (event) => {
            const { from, to, item, oldIndex, newIndex } = event;
            if (oldIndex === undefined || newIndex === undefined) return;
            item.remove();
            from.insertBefore(item, from.children[oldIndex] ?? null);
            onMove(Number(from.dataset.sortableGroup), oldIndex, Number(to.dataset.sortableGroup), newIndex);
          },
        }),
      );
    }
  }

  onMounted(setup);
  watch(rebuildOn, () => void nextTick(setup), { deep: false });
  onBeforeUnmount(destroy);
}
