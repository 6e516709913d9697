import { computed, nextTick, reactive, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { isApiError } from '@/api/http';
import {
  RULE_NAMES,
  createMemberField,
  updateMemberField,
  type CustomFieldDefinition,
  type CustomFieldInput,
  type CustomFieldType,
  type FieldRules,
  type FieldTypeInfo,
} from '@/api/member-fields';
import { customToForm, customToPayload, emptyFormValue } from '@/components/member-form/values';
import { fenToYuan, yuanToFen } from '@/utils/format';
import { draftProblems, emptyRules, fieldRules, typeDefaultRules, type FieldDraft, type RulesDraft } from './rule';

/** Paths the dialog has an item for; other server errors show above the buttons. */
const ITEM_PATHS = ['key', 'type', 'label.zh', 'label.en', 'group', 'helpText.zh', 'helpText.en', 'defaultValue', 'unique', 'searchable', 'required', 'options'];

function emptyDraft(type: CustomFieldType = 'text'): FieldDraft {
  return {
    key: '',
    type,
    labelZh: '',
    labelEn: '',
    required: false,
    unique: false,
    searchable: false,
    onRegistration: false,
    group: '',
    helpZh: '',
    helpEn: '',
    rules: typeDefaultRules(type),
    options: [],
    defaultValue: emptyFormValue(type),
  };
}

function rulesToDraft(type: CustomFieldType, rules: FieldRules): RulesDraft {
  const draft = emptyRules();
  const bound = (value: number | string | undefined) =>
    value === undefined ? null : type === 'money' && typeof value === 'number' ? fenToYuan(value) : value;
  draft.min = bound(rules.min);
  draft.max = bound(rules.max);
  draft.minLength = rules.minLength ?? null;
  draft.maxLength = rules.maxLength ?? null;
  draft.pattern = rules.pattern ?? '';
  draft.scale = rules.scale ?? null;
  draft.maxRating = rules.maxRating ?? null;
  return draft;
}

function definitionToDraft(field: CustomFieldDefinition): FieldDraft {
  return {
    key: field.key,
    type: field.type,
    labelZh: field.label.zh,
    labelEn: field.label.en === field.label.zh ? '' : field.label.en,
    required: field.required,
    unique: field.unique,
    searchable: field.searchable,
    onRegistration: field.onRegistration,
    group: field.group ?? '',
    helpZh: field.helpText?.zh ?? '',
    helpEn: field.helpText && field.helpText.en !== field.helpText.zh ? field.helpText.en : '',
    rules: rulesToDraft(field.type, field.rules ?? {}),
    options: field.options.map((option) => ({ value: option.value, zh: option.label.zh, en: option.label.en === option.label.zh ? '' : option.label.en, retired: option.retired, saved: true })),
    defaultValue: customToForm(field, field.defaultValue),
  };
}

/** Only the rules the type takes, and only those filled in; money bounds go as fen. */
function draftRules(draft: FieldDraft, traits: FieldTypeInfo | undefined): FieldRules {
  const rules: FieldRules = {};
  for (const name of RULE_NAMES) {
    if (!traits?.rules.includes(name)) continue;
    const value = draft.rules[name];
    if (value === null || value === '') continue;
    if ((name === 'min' || name === 'max') && draft.type === 'money' && typeof value === 'number') rules[name] = yuanToFen(value);
    else Object.assign(rules, { [name]: value });
  }
  return rules;
}

/**
 * The 新增字段 / 编辑 dialog: the draft, the definition it becomes (also what the default
 * value input and the preview draw with), and the server's answer on the right item.
 */
export function useFieldForm(
  props: { field: CustomFieldDefinition | null; types: FieldTypeInfo[]; nextOrder: number },
  visible: Ref<boolean>,
) {
  const { t } = useI18n();
  const formRef = ref<FormInstance>();
  const draft = reactive<FieldDraft>(emptyDraft());
  const errors = reactive<Record<string, string>>({});
  const formError = ref('');
  const saving = ref(false);
  const creating = computed(() => props.field === null);
  const rules = computed(() => fieldRules(t, creating.value));
  const traits = computed(() => props.types.find((type) => type.type === draft.type));

  /** The definition as it would be saved; the default value input and the preview use it. */
  const definition = computed<CustomFieldInput>(() => {
    const type = traits.value;
    return {
      key: draft.key.trim(),
      label: { zh: draft.labelZh.trim(), en: draft.labelEn.trim() },
      type: draft.type,
      required: draft.required,
      unique: type?.unique ? draft.unique : false,
      defaultValue: null,
      rules: draftRules(draft, type),
      options: type?.options
        ? draft.options.map((option) => ({ value: option.value.trim(), label: { zh: option.zh.trim(), en: option.en.trim() }, retired: option.retired }))
        : [],
      helpText: draft.helpZh.trim() ? { zh: draft.helpZh.trim(), en: draft.helpEn.trim() } : null,
      group: draft.group.trim() || null,
      order: props.field?.order ?? props.nextOrder,
      onRegistration: draft.onRegistration,
      searchable: type?.searchable ? draft.searchable : false,
    };
  });

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = '';
  }

  watch(visible, async (open) => {
    if (!open) return;
    Object.assign(draft, props.field ? definitionToDraft(props.field) : emptyDraft());
    clearErrors();
    await nextTick();
    formRef.value?.clearValidate();
  });

  /** A new field's type brings its own default rules and an empty default value. */
  function onTypeChange(type: CustomFieldType): void {
    draft.rules = typeDefaultRules(type);
    draft.defaultValue = emptyFormValue(type);
    if (traits.value?.options && draft.options.length === 0) draft.options.push({ value: '', zh: '', en: '', retired: false, saved: false });
  }

  function apply(error: unknown): void {
    clearErrors();
    if (!isApiError(error)) {
      formError.value = t('common.unknownError');
      return;
    }
    if (error.code === 'MEMBER_FIELD_KEY_TAKEN') {
      errors.key = error.message;
      return;
    }
    const byPath = error.fieldErrorsByPath();
    const elsewhere: string[] = [];
    for (const [path, message] of Object.entries(byPath)) {
      if (ITEM_PATHS.includes(path) || path.startsWith('rules') || path.startsWith('options.')) errors[path] = message;
      else elsewhere.push(`${path}: ${message}`);
    }
    if (elsewhere.length > 0 || Object.keys(byPath).length === 0) formError.value = elsewhere.length > 0 ? elsewhere.join('; ') : error.message;
  }

  async function submit(): Promise<CustomFieldDefinition | null> {
    if (saving.value) return null;
    clearErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    const problems = draftProblems(draft, traits.value, t);
    Object.assign(errors, problems);
    if (!valid || Object.keys(problems).length > 0) return null;
    const payload: CustomFieldInput = {
      ...definition.value,
      key: props.field?.key ?? definition.value.key,
      defaultValue: definition.value.unique ? null : customToPayload(definition.value, draft.defaultValue),
    };
    saving.value = true;
    try {
      const saved = props.field ? await updateMemberField(props.field.key, payload) : await createMemberField(payload);
      visible.value = false;
      return saved;
    } catch (error) {
      apply(error);
      return null;
    } finally {
      saving.value = false;
    }
  }

  return { formRef, draft, rules, errors, formError, saving, creating, traits, definition, onTypeChange, submit };
}
