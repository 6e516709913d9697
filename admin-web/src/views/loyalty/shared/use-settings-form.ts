import { computed, reactive, ref, toRaw } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { isApiError } from '@/api/http';
import { ElMessage } from '@/utils/message';
import { nearestItem, useDraft, type DraftOptions } from './use-draft';

export interface SettingsFormOptions<T, F extends object> extends DraftOptions<T, F> {
  write: (value: T) => Promise<T>;
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
  const formRef = ref<FormInstance>();
  const { form, loading, loadError, canEdit, dirty, show, load, revert } = useDraft(options, initial);
  const saving = ref(false);
  const fieldErrors = reactive<Record<string, string>>({});
  const formError = ref('');

  function clearErrors(): void {
    for (const key of Object.keys(fieldErrors)) fieldErrors[key] = '';
    formError.value = '';
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
      // A path the form does not show is said above the buttons.
      const item = nearestItem(formRef.value, path);
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
    revert();
    clearErrors();
    formRef.value?.clearValidate();
  }

  /** What EditPage takes: `<EditPage v-bind="settingsPage" :title="…">`. */
  const settingsPage = computed(() => ({
    loading: loading.value,
    loadError: loadError.value,
    loadFailedText: t('loyalty.loadFailed'),
    formError: formError.value,
    saving: saving.value,
    dirty: dirty.value,
    canEdit: canEdit.value,
    readonlyText: t('loyalty.readonly'),
    discardText: t('loyalty.discard'),
    saveText: t('loyalty.saveSettings'),
    maxWidth: '960px',
    onSave: submit,
    onDiscard: discard,
    onRetry: load,
  }));

  return { formRef, form, fieldErrors, canEdit, submit, settingsPage };
}
