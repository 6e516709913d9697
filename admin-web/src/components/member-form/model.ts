import type { FormItemRule } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { CustomValue, MemberFields } from '@/api/member-fields';
import type { Member, MemberWrite } from '@/api/members';
import { localLabel } from '@/utils/label';
import type { FormItem, FormMode, FormSection } from './layout';
import { builtinFieldRules, customFieldRules } from './rules';
import {
  BUILTIN_FORM_KEYS,
  builtinToForm,
  builtinToPayload,
  customToForm,
  customToPayload,
  samePayload,
  type MemberFormModel,
} from './values';

/**
 * The member form's model and what it sends: a new member gets every value typed (and the
 * custom fields' defaults, prefilled so the clerk sees them), an edit only what changed.
 */
export function buildFormModel(fields: MemberFields, member: Member | null): MemberFormModel {
  const model = { custom: {} } as MemberFormModel;
  for (const key of BUILTIN_FORM_KEYS) model[key] = builtinToForm(key, member);
  for (const field of fields.custom) {
    if (field.retired) continue;
    model.custom[field.key] = customToForm(field, member ? member.custom?.[field.key] : field.defaultValue);
  }
  return model;
}

function itemPayload(item: FormItem, model: MemberFormModel): unknown {
  return item.kind === 'builtin' ? builtinToPayload(item.key, model[item.key]) : customToPayload(item.field, model.custom[item.key]);
}

function editableItems(sections: FormSection[]): FormItem[] {
  return sections.flatMap((section) => section.items).filter((item) => item.editable);
}

/** A registration: every editable field that holds a value. */
export function createPayload(sections: FormSection[], model: MemberFormModel): MemberWrite {
  const payload: Record<string, unknown> = {};
  const custom: Record<string, CustomValue> = {};
  for (const item of editableItems(sections)) {
    const value = itemPayload(item, model);
    if (value === null) continue;
    if (item.kind === 'custom') custom[item.key] = value as CustomValue;
    else payload[item.key] = value;
  }
  if (Object.keys(custom).length > 0) payload.custom = custom;
  return payload as MemberWrite;
}

/** An edit: the editable fields whose value moved from `original`; null clears a field. */
export function patchPayload(sections: FormSection[], model: MemberFormModel, original: MemberFormModel): MemberWrite {
  const payload: Record<string, unknown> = {};
  const custom: Record<string, CustomValue | null> = {};
  for (const item of editableItems(sections)) {
    const value = itemPayload(item, model);
    if (samePayload(value, itemPayload(item, original))) continue;
    if (item.kind === 'custom') custom[item.key] = value as CustomValue | null;
    else payload[item.key] = value;
  }
  if (Object.keys(custom).length > 0) payload.custom = custom;
  return payload as MemberWrite;
}

export interface RuleOptions {
  mode: FormMode;
  /** the user has more than one store to choose from */
  storeRequired: boolean;
}

/** The rules of a form item: every member has a phone number, and a home store (required when there is a choice). */
export function formItemRules(item: FormItem, options: RuleOptions, t: ComposerTranslation): FormItemRule[] {
  if (item.kind === 'custom') return customFieldRules(item.field, t);
  const required = item.key === 'phone' || (item.key === 'homeStoreId' && (options.mode === 'edit' || options.storeRequired));
  return builtinFieldRules(item.key, localLabel(item.field.label, item.key), required, t);
}
