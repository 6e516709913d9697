import { nextTick, ref, watch, type Ref } from 'vue';
import type { FormInstance } from 'element-plus';
import { useServerErrors } from './use-server-errors';

export interface FormDialogOptions<K extends string> {
  /** the dialog's v-model */
  visible: Ref<boolean>;
  /** the form items that show the server's field errors (VALIDATION_FAILED) */
  fields?: readonly K[];
  /** other error codes that belong to one field: { STORE_CODE_TAKEN: 'code' } */
  codes?: Partial<Record<string, K>>;
  /** fills the form for this opening: blank, or the record being edited (awaited if it loads) */
  reset: () => unknown;
  /** sends the validated form; the dialog closes unless it answers false */
  save: () => Promise<boolean | void>;
}

/**
 * The round of a dialog with a form: every opening starts from `reset` with no errors left
 * from the last one; 保存 checks the rules before the server is asked, does nothing while a
 * save is under way (a double click must not create two records), and puts what the server
 * refuses on the field it names, or above the buttons. The dialog binds `formRef` to its
 * el-form, `fieldErrors` to the items, and `formError` and `saving` to FormDialog.
 */
export function useFormDialog<K extends string = never>(options: FormDialogOptions<K>) {
  const formRef = ref<FormInstance>();
  const saving = ref(false);
  const errors = useServerErrors<K>(options.fields ?? [], options.codes);

  watch(options.visible, async (open) => {
    if (!open) return;
    errors.clear();
    await options.reset();
    // The fields have re-rendered with the new values; messages from the last opening go.
    await nextTick();
    formRef.value?.clearValidate();
  });

  async function submit(): Promise<void> {
    if (saving.value) return;
    errors.clear();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      if ((await options.save()) !== false) options.visible.value = false;
    } catch (error) {
      errors.apply(error);
    } finally {
      saving.value = false;
    }
  }

  return { formRef, saving, submit, ...errors };
}
