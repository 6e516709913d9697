import type { Directive, DirectiveBinding } from 'vue';
import { useAuthStore } from '@/stores/auth';

type PermValue = string | readonly string[];

const savedDisplay = new WeakMap<HTMLElement, string>();

// Hides, never removes: the server enforces every permission; this only spares users
// buttons they cannot use. Hiding keeps Vue's DOM bookkeeping intact when permissions change.
function apply(el: HTMLElement, binding: DirectiveBinding<PermValue>): void {
  if (!savedDisplay.has(el)) savedDisplay.set(el, el.style.display);
  const allowed = useAuthStore().can(binding.value);
  el.style.display = allowed ? (savedDisplay.get(el) ?? '') : 'none';
}

/** `v-perm="'system:info:view'"` or `v-perm="['a:b:c', 'd:e:f']"` (any of them). */
export const vPerm: Directive<HTMLElement, PermValue> = {
  mounted: apply,
  updated: apply,
};
