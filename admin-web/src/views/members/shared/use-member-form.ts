import { computed, nextTick, reactive, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { isApiError } from '@/api/http';
import type { MemberFields } from '@/api/member-fields';
import { createMember, updateMember, type Member, type MemberCreate } from '@/api/members';
import type { Store } from '@/api/stores';
import { memberFormSections, type FormItem } from '@/components/member-form/layout';
import { buildFormModel, createPayload, formItemRules, patchPayload } from '@/components/member-form/model';
import type { MemberFormModel } from '@/components/member-form/values';
import { localLabel } from '@/utils/label';
import { ElMessage } from '@/utils/message';

/** The member another registration collided with (409 MEMBER_PHONE_TAKEN), for 查看该会员. */
export interface ExistingMember {
  id: number | null;
  cardNo: string | null;
}

/**
 * The create/edit dialog's state: sections and model from GET /member-fields, the payload
 * (everything on create, the changes on edit) and the server's answer put where it belongs:
 * each field error on its item, a taken phone number with a way to the member who has it.
 */
export function useMemberForm(
  props: { member: Member | null; fields: MemberFields | null; stores: Store[]; storesKnown: boolean },
  visible: Ref<boolean>,
) {
  const { t } = useI18n();
  const formRef = ref<FormInstance>();
  const mode = computed(() => (props.member ? 'edit' : 'create'));
  const sections = computed(() => (props.fields ? memberFormSections(props.fields, mode.value) : []));
  const model = ref<MemberFormModel>({ custom: {} } as MemberFormModel);
  let original: MemberFormModel = { custom: {} } as MemberFormModel;
  const errors = reactive<Record<string, string>>({});
  const formError = ref('');
  const existing = ref<ExistingMember | null>(null);
  const saving = ref(false);

  // Without the store list the server decides (a user with one store needs not name it).
  const storeRequired = computed(() => props.storesKnown && props.stores.length !== 1);
  const rulesFor = (item: FormItem) => formItemRules(item, { mode: mode.value, storeRequired: storeRequired.value }, t);

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = '';
    existing.value = null;
  }

  async function open(): Promise<void> {
    if (!props.fields) return;
    const next = buildFormModel(props.fields, props.member);
    // One store to choose from: it is the home store.
    if (!props.member && props.stores.length === 1) next.homeStoreId = props.stores[0].id;
    model.value = next;
    original = buildFormModel(props.fields, props.member);
    clearErrors();
    await nextTick();
    formRef.value?.clearValidate();
  }

  const paths = computed(() => new Set(sections.value.flatMap((section) => section.items.map((item) => item.path))));
  const labelOf = (path: string) => {
    const item = sections.value.flatMap((section) => section.items).find((candidate) => candidate.path === path);
    return item ? localLabel(item.field.label, item.key) : path;
  };

  /** Field errors on their items; those on fields this form does not show, above the buttons. */
  function placeFieldErrors(byPath: Record<string, string>, fallback: string): void {
    const elsewhere: string[] = [];
    for (const [path, message] of Object.entries(byPath)) {
      if (paths.value.has(path)) errors[path] = message;
      else elsewhere.push(`${labelOf(path)}: ${message}`);
    }
    if (elsewhere.length > 0 || Object.keys(byPath).length === 0) formError.value = elsewhere.length > 0 ? elsewhere.join('; ') : fallback;
  }

  function apply(error: unknown): void {
    clearErrors();
    if (!isApiError(error)) {
      formError.value = t('common.unknownError');
      console.error(error);
      return;
    }
    const details = error.details;
    if (error.code === 'VALIDATION_FAILED') {
      placeFieldErrors(error.fieldErrorsByPath(), error.message);
    } else if (error.code === 'FIELD_NOT_EDITABLE' && Array.isArray(details.fields)) {
      placeFieldErrors(Object.fromEntries((details.fields as unknown[]).map((path) => [String(path), error.message])), error.message);
    } else if (error.code === 'MEMBER_PHONE_TAKEN') {
      errors.phone = error.message;
      existing.value = {
        id: typeof details.memberId === 'number' ? details.memberId : null,
        cardNo: typeof details.cardNo === 'string' ? details.cardNo : null,
      };
    } else if (typeof details.field === 'string') {
      placeFieldErrors({ [details.field]: error.message }, error.message);
    } else if (error.code === 'MEMBER_CARD_TAKEN') {
      placeFieldErrors({ cardNo: error.message }, error.message);
    } else {
      formError.value = error.message;
    }
  }

  /** Saves; resolves with the saved member, or null when nothing was sent. */
  async function submit(): Promise<Member | null> {
    if (saving.value) return null;
    clearErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return null;
    const member = props.member;
    const payload = member ? patchPayload(sections.value, model.value, original) : createPayload(sections.value, model.value);
    if (member && Object.keys(payload).length === 0) {
      ElMessage.info(t('members.form.unchanged'));
      visible.value = false;
      return null;
    }
    saving.value = true;
    try {
      const saved = member ? await updateMember(member.id, payload) : await createMember(payload as MemberCreate);
      visible.value = false;
      return saved;
    } catch (error) {
      apply(error);
      return null;
    } finally {
      saving.value = false;
    }
  }

  return { formRef, mode, sections, model, errors, formError, existing, saving, rulesFor, open, submit };
}
