import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { getMemberFields, type CustomField, type MemberFields } from '@/api/member-fields';
import { errorMessage } from '@/composables/use-server-errors';
import { i18n } from '@/locales';

/**
 * The member form for the signed-in user (GET /member-fields): which built-in and custom
 * fields they see and at what level. The list, the 360 page and the form dialog share one
 * copy; 表单设计 reloads it after each change so the other pages see the new form. A
 * logout drops it with the rest of the session (the layout unmounts and resets it).
 */
export const useMemberFieldsStore = defineStore('member-fields', () => {
  const fields = ref<MemberFields | null>(null);
  const loading = ref(false);
  const error = ref('');
  let pending: Promise<MemberFields | null> | null = null;

  async function fetch(): Promise<MemberFields | null> {
    loading.value = true;
    error.value = '';
    try {
      fields.value = await getMemberFields();
    } catch (cause) {
      error.value = errorMessage(cause, i18n.global.t('common.unknownError'));
    } finally {
      loading.value = false;
      pending = null;
    }
    return fields.value;
  }

  /** The fields, fetched once; `force` fetches again (after a change in 表单设计). */
  function load(force = false): Promise<MemberFields | null> {
    if (fields.value && !force) return Promise.resolve(fields.value);
    if (!pending) pending = fetch();
    return pending;
  }

  const builtinByKey = computed(() => new Map((fields.value?.builtin ?? []).map((field) => [field.key, field])));
  const customByKey = computed(() => new Map<string, CustomField>((fields.value?.custom ?? []).map((field) => [field.key, field])));

  /** Whether the user sees a built-in field at all (before the fields load: unknown, so yes). */
  function sees(key: string): boolean {
    return fields.value === null || builtinByKey.value.has(key);
  }

  function reset(): void {
    fields.value = null;
    error.value = '';
  }

  return { fields, loading, error, load, builtinByKey, customByKey, sees, reset };
});
