import { computed, onMounted, reactive, ref, toRaw } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { isApiError } from '@/api/http';
import { errorMessage } from '@/composables/use-server-errors';
import { useAuthStore } from '@/stores/auth';
import { ElMessage, ElMessageBox } from '@/utils/message';

export interface SettingsFormOptions<T, F extends object> {
  read: () => Promise<T>;
  write: (value: T) => Promise<T>;
  /** the settings as the form edits them (money in yuan) */
  toForm: (value: T) => F;
  /** the form back as the server takes it (money in fen) */
  fromForm: (form: F) => T;
  /** i18n key of the toast after saving */
  savedKey: string;
}

/**
 * A settings page's form: read once, edit, save with PUT. Server field errors arrive by
 * path (`earn.pointsPerYuan`, `events.referral.dailyCap`) and land on the form item with
 * that prop, since the same last segment appears in several sections. Leaving with unsaved
 * changes asks first.
 */
export function useSettingsForm<T, F extends object>(options: SettingsFormOptions<T, F>, initial: F) {
  const { t } = useI18n();
  const auth = useAuthStore();
  const formRef = ref<FormInstance>();
  const form = reactive(structuredClone(initial)) as F;
  const snapshot = ref(JSON.stringify(initial));
  const loaded = ref(false);
  const loading = ref(false);
  const loadError = ref('');
  const saving = ref(false);
  const fieldErrors = reactive<Record<string, string>>({});
  const formError = ref('');
  const canEdit = computed(() => auth.can('loyalty:settings:update'));
  const dirty = computed(() => loaded.value && JSON.stringify(form) !== snapshot.value);

  function clearErrors(): void {
    for (const key of Object.keys(fieldErrors)) fieldErrors[key] = '';
    formError.value = '';
  }

  function show(value: T): void {
    const next = options.toForm(value);
    Object.assign(form, next);
    snapshot.value = JSON.stringify(form);
    loaded.value = true;
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

  function itemFor(path: string): string | null {
    const parts = path.split('.');
    for (let length = parts.length; length > 0; length -= 1) {
      const prop = parts.slice(0, length).join('.');
      if (formRef.value?.getField(prop)) return prop;
    }
    return null;
  }

  function applyError(error: unknown): void {
    if (!isApiError(error)) {
      formError.value = t('common.unknownError');
      console.error(error);
      return;
    }
    const byPath = error.code === 'VALIDATION_FAILED' ? error.fieldErrorsByPath() : {};
    const paths = Object.keys(byPath);
    const unplaced: string[] = [];
    for (const path of paths) {
      // The message goes on the nearest form item (`earn.methods.0` -> `earn.methods`); one the form does not show is said above the buttons.
      const item = itemFor(path);
      if (item) fieldErrors[item] = fieldErrors[item] ? `${fieldErrors[item]}; ${byPath[path]}` : byPath[path];
      else unplaced.push(`${path}: ${byPath[path]}`);
    }
    if (paths.length === 0) formError.value = error.message;
    else if (unplaced.length > 0) formError.value = unplaced.join('; ');
  }

  async function submit(): Promise<void> {
    if (saving.value || !canEdit.value) return;
    clearErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      show(await options.write(options.fromForm(structuredClone(toRaw(form)) as F)));
      ElMessage.success(t(options.savedKey));
    } catch (error) {
      applyError(error);
    } finally {
      saving.value = false;
    }
  }

  function discard(): void {
    Object.assign(form, JSON.parse(snapshot.value) as F);
    clearErrors();
    formRef.value?.clearValidate();
  }

  onBeforeRouteLeave(async () => {
    if (!dirty.value) return true;
    try {
      await ElMessageBox.confirm(t('loyalty.unsavedConfirm'), { type: 'warning', confirmButtonText: t('common.yes'), cancelButtonText: t('common.no') });
      return true;
    } catch {
      return false;
    }
  });

  /** What SettingsPage takes: `<SettingsPage v-bind="settingsPage" :title="…">`. */
  const settingsPage = computed(() => ({
    loading: loading.value,
    loadError: loadError.value,
    formError: formError.value,
    saving: saving.value,
    dirty: dirty.value,
    canEdit: canEdit.value,
    onSave: submit,
    onDiscard: discard,
    onRetry: load,
  }));

  return { formRef, form, fieldErrors, canEdit, submit, settingsPage };
}
