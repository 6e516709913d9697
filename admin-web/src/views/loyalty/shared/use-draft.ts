import { computed, onMounted, reactive, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { useLeaveGuard } from '@/composables/use-leave-guard';
import { errorMessage } from '@/composables/use-server-errors';
import { useAuthStore } from '@/stores/auth';

export interface DraftOptions<T, F> {
  read: () => Promise<T>;
  /** the value as the form edits it (money in yuan) */
  toForm: (value: T) => F;
  /** the permission that may change it; without it the page only shows */
  permission: string;
}

/**
 * A page editing one thing the server keeps (the points settings, the tiers): read on
 * mount, edited as a form, dirty while the form differs from what was read or last saved,
 * put back by `revert`; leaving with unsaved changes asks first.
 */
export function useDraft<T, F extends object>(options: DraftOptions<T, F>, initial: F) {
  const { t } = useI18n();
  const auth = useAuthStore();
  const form = reactive(structuredClone(initial)) as F;
  const snapshot = ref(JSON.stringify(form));
  /** what the server last answered; null until it has */
  const saved = ref(null) as Ref<T | null>;
  const loading = ref(false);
  const loadError = ref('');
  const canEdit = computed(() => auth.can(options.permission));
  const dirty = computed(() => saved.value !== null && JSON.stringify(form) !== snapshot.value);

  /** The server's answer (read or saved) becomes the form and what "unchanged" means. */
  function show(value: T): void {
    saved.value = value;
    Object.assign(form, options.toForm(value));
    snapshot.value = JSON.stringify(form);
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      show(await options.read());
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  function revert(): void {
    Object.assign(form, JSON.parse(snapshot.value) as F);
  }

  useLeaveGuard(
    () => dirty.value,
    () => t('loyalty.unsavedConfirm'),
  );

  return { form, saved, loading, loadError, canEdit, dirty, show, load, revert };
}

/**
 * The form item a server error path lands on: the nearest one the form has
 * (`earn.methods.0` -> `earn.methods`), or null when the form shows no such field.
 */
export function nearestItem(form: FormInstance | undefined, path: string): string | null {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const prop = parts.slice(0, length).join('.');
    if (form?.getField(prop)) return prop;
  }
  return null;
}
