import type { FormItemRule } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { CustomFieldDefinition } from '@/api/member-fields';
import { yuanToFen } from '@/utils/format';
import { localLabel } from '@/utils/label';
import { isEmptyFormValue, type BuiltinFormKey, type FormValue } from './values';

/**
 * The member form's rules, mirroring the server's checks (schemas.ts for built-in fields,
 * form/value-formats.ts and value-rules.ts for custom ones) so most mistakes show before a
 * round trip. The server stays the judge: its field errors land on the same items.
 */
type Check = (value: FormValue) => string | null;

function rule(check: Check, trigger: string | string[] = 'blur'): FormItemRule {
  return {
    trigger,
    validator: (_rule, value, callback) => {
      const message = isEmptyFormValue(value as FormValue) ? null : check(value as FormValue);
      if (message) callback(new Error(message));
      else callback();
    },
  };
}

/** `zeroIsEmpty` for a rating, whose untouched stars hold 0. */
function requiredRule(message: string, zeroIsEmpty = false): FormItemRule {
  return {
    // `required` only draws the asterisk: the validator decides what counts as empty.
    required: true,
    trigger: ['blur', 'change'],
    validator: (_rule, value, callback) => {
      const empty = isEmptyFormValue(value as FormValue) || (zeroIsEmpty && value === 0);
      if (empty) callback(new Error(message));
      else callback();
    },
  };
}

export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@"(),:;<>[\\\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const CHANNEL = /^[A-Za-z0-9_-]{1,32}$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Spaces, dashes and a +86 prefix are what people type around a mobile number. */
export function normalisePhone(value: string): string {
  return value.replace(/[\s-]/g, '').replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
}

function isResidentId(value: string): boolean {
  const id = value.replace(/\s/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The whole value must match, with the 'u' flag, as the server compiles it; a pattern that does not compile is the server's to refuse. */
function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true;
  }
}

const DEFAULT_MAX_LENGTH: Partial<Record<string, number>> = { text: 200, textarea: 2000 };

/** Why a (non-empty) custom value would be refused, or null. */
export function customValueProblem(field: CustomFieldDefinition, value: FormValue, t: ComposerTranslation): string | null {
  const { type } = field;
  const rules = field.rules ?? {};
  const min = rules.min;
  const max = rules.max;
  const numberBounds = (n: number, shown: (bound: number) => string = String): string | null => {
    if (typeof min === 'number' && n < min) return t('members.rules.min', { min: shown(min) });
    if (typeof max === 'number' && n > max) return t('members.rules.max', { max: shown(max) });
    return null;
  };

  switch (type) {
    case 'text':
    case 'textarea': {
      const text = String(value).trim();
      const length = [...text].length;
      const maxLength = rules.maxLength ?? DEFAULT_MAX_LENGTH[type];
      if (type === 'text' && /[\r\n]/.test(text)) return t('members.rules.noLineBreaks');
      if (rules.minLength !== undefined && length < rules.minLength) return t('members.rules.minLength', { min: rules.minLength });
      if (maxLength !== undefined && length > maxLength) return t('validation.maxLength', { max: maxLength });
      if (rules.pattern && !matchesPattern(rules.pattern, text)) return t('members.rules.pattern');
      return null;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return t('members.rules.integer');
      return numberBounds(value);
    case 'decimal': {
      const scale = rules.scale ?? 2;
      if (typeof value !== 'number' || !Number.isFinite(value)) return t('members.rules.number');
      if (Number(value.toFixed(scale)) !== value) return t('members.rules.scale', { scale });
      return numberBounds(value);
    }
    case 'money': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return t('members.rules.number');
      const fen = yuanToFen(value);
      const lowest = typeof min === 'number' ? min : 0;
      if (fen < lowest) return t('members.rules.min', { min: (lowest / 100).toFixed(2) });
      if (typeof max === 'number' && fen > max) return t('members.rules.max', { max: (max / 100).toFixed(2) });
      return null;
    }
    case 'date': {
      const day = String(value);
      if (typeof min === 'string' && day < min) return t('members.rules.min', { min });
      if (typeof max === 'string' && day > max) return t('members.rules.max', { max });
      return null;
    }
    case 'phone':
      return MAINLAND_MOBILE.test(normalisePhone(String(value))) ? null : t('members.rules.phone');
    case 'email':
      return EMAIL.test(String(value).trim()) && String(value).trim().length <= 254 ? null : t('members.rules.email');
    case 'url':
      return isWebAddress(String(value).trim()) ? null : t('members.rules.url');
    case 'multiselect':
    case 'checkbox': {
      const count = Array.isArray(value) ? value.length : 0;
      if (typeof min === 'number' && count < min) return t('members.rules.minCount', { min });
      if (typeof max === 'number' && count > max) return t('members.rules.maxCount', { max });
      return null;
    }
    case 'rating': {
      const top = rules.maxRating ?? 5;
      if (value === 0) return null; // no stars given: empty
      if (typeof value !== 'number' || value < 1 || value > top) return t('members.rules.rating', { max: top });
      return numberBounds(value);
    }
    default:
      return null;
  }
}

/** The rules of one custom field's form item. */
export function customFieldRules(field: CustomFieldDefinition, t: ComposerTranslation): FormItemRule[] {
  const label = localLabel(field.label, field.key);
  const rules: FormItemRule[] = [];
  // A switch always holds true or false: there is nothing to leave empty.
  if (field.required && field.type !== 'switch') rules.push(requiredRule(t('members.rules.required', { label }), field.type === 'rating'));
  const change = ['date', 'datetime', 'select', 'multiselect', 'radio', 'checkbox', 'region', 'rating', 'member_ref', 'staff_ref'].includes(field.type);
  rules.push(rule((value) => customValueProblem(field, value, t), change ? ['blur', 'change'] : 'blur'));
  return rules;
}

/** The rules of one built-in field's form item; `required` for the phone on create and the store when there is a choice. */
export function builtinFieldRules(key: BuiltinFormKey, label: string, required: boolean, t: ComposerTranslation): FormItemRule[] {
  const rules: FormItemRule[] = [];
  if (required) rules.push(requiredRule(t('members.rules.required', { label })));
  const maxLength = (max: number) => rule((value) => ([...String(value).trim()].length > max ? t('validation.maxLength', { max }) : null));
  switch (key) {
    case 'name':
    case 'nickname':
    case 'wechatId':
      rules.push(maxLength(64));
      break;
    case 'notes':
      rules.push(maxLength(1000));
      break;
    case 'phone':
      rules.push(rule((value) => (MAINLAND_MOBILE.test(normalisePhone(String(value))) ? null : t('members.rules.phone'))));
      break;
    case 'email':
      rules.push(rule((value) => (EMAIL.test(String(value).trim()) ? null : t('members.rules.email'))));
      break;
    case 'idNumber':
      rules.push(rule((value) => (isResidentId(String(value)) ? null : t('members.rules.idNumber'))));
      break;
    case 'channel':
      rules.push(rule((value) => (CHANNEL.test(String(value).trim()) ? null : t('members.rules.channel'))));
      break;
    case 'cardNo':
      rules.push(rule((value) => (/^\d{2,32}$/.test(String(value).trim()) ? null : t('members.rules.cardNo'))));
      break;
    default:
      break;
  }
  return rules;
}
