import { reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/http';

/**
 * Puts a failed request's message where it belongs: VALIDATION_FAILED field errors on the
 * form items (`:error="fieldErrors.name"`), everything else in `formError` above the buttons.
 * `codes` maps other error codes to a field (409 STORE_CODE_TAKEN -> 'code').
 */
export function useServerErrors<K extends string>(fields: readonly K[], codes: Partial<Record<string, K>> = {}) {
  const { t } = useI18n();
  const fieldErrors = reactive({}) as Record<K, string>;
  const formError = ref('');

  function clear(): void {
    for (const field of fields) fieldErrors[field] = '';
    formError.value = '';
  }

  function apply(error: unknown): void {
    clear();
    if (!isApiError(error)) {
      formError.value = t('common.unknownError');
      console.error(error);
      return;
    }
    const field = codes[error.code];
    if (field) {
      fieldErrors[field] = error.message;
      return;
    }
    if (error.code === 'VALIDATION_FAILED') {
      const byField = error.fieldErrors();
      const known = fields.filter((name) => byField[name]);
      for (const name of known) fieldErrors[name] = byField[name];
      // Errors on fields this form does not show still need saying.
      const others = Object.keys(byField).filter((name) => !(fields as readonly string[]).includes(name));
      if (known.length === 0 || others.length > 0) {
        formError.value = others.length > 0 ? others.map((name) => `${name}: ${byField[name]}`).join('; ') : error.message;
      }
      return;
    }
    formError.value = error.message;
  }

  clear();
  return { fieldErrors, formError, clear, apply };
}

/** The message to show for a failed request. */
export function errorMessage(error: unknown, fallback: string): string {
  return isApiError(error) ? error.message : fallback;
}
