import { localized } from '../../../platform/http/validation.js';
import { z } from '../../../platform/http/zod.js';
import type { CustomFieldDefinition, FieldRules } from './definition.js';
import { misfitProblems, ruleProblems, type DefinitionProblem } from './definition-rules.js';
import { CUSTOM_FIELD_TYPES, DEFAULT_RULES, FIELD_KEY_PATTERN, FIELD_TYPES, RULE_NAMES } from './field-types.js';
import { checkFieldValue, isEmptyValue } from './value-schema.js';

/**
 * What an admin submits to define (or redefine) a custom member field. The output is a
 * complete `CustomFieldDefinition`: defaults filled in, the default value normalized and
 * checked against the field's own rules. Whether a change to an existing field is
 * allowed is definition-change.ts's question.
 */

/** Built-in member attributes; see `isBuiltinMemberKey`. */
export const BUILTIN_MEMBER_KEYS = [
  'cardNo', 'name', 'nickname', 'gender', 'birthday', 'region', 'phone', 'email', 'wechatId', 'idNumber',
  'status', 'frozenReason', 'homeStoreId', 'channel', 'referrerId', 'managerId', 'registeredAt', 'lastVisitAt',
  'notes', 'pointsBalance', 'storedValueBalance', 'totalSpent', 'points', 'wallet', 'tierId',
] as const;

// Record keys every member has, and the object custom values live in.
const RECORD_KEYS = ['id', 'custom', 'createdAt', 'updatedAt'];
const squash = (key: string) => key.replace(/_/g, '').toLowerCase();
const TAKEN = new Set([...BUILTIN_MEMBER_KEYS, ...RECORD_KEYS].map(squash));

/**
 * `card_no` or `CARDNO` would sit beside `cardNo` in every export, import and filter, and
 * nobody could tell which is which, so keys are compared without case or underscores.
 */
export function isBuiltinMemberKey(key: string): boolean {
  return TAKEN.has(squash(key));
}

const localizedText = (zhMax: number, enMax: number) =>
  z
    .strictObject({
      zh: z.string().trim().min(1).max(zhMax),
      en: z.string().trim().max(enMax).nullish(),
    })
    .transform(({ zh, en }) => ({ zh, en: en || zh }));

const bound = z.union([z.number(), z.string()]).nullish();

const RulesInput = z.strictObject({
  min: bound,
  max: bound,
  minLength: z.number().int().min(0).nullish(),
  maxLength: z.number().int().min(1).nullish(),
  pattern: z.string().min(1).nullish(),
  scale: z.number().int().min(0).max(6).nullish(),
  maxRating: z.number().int().min(3).max(10).nullish(),
});

const OptionInput = z.strictObject({
  value: z.string().regex(/^[a-z0-9_]{1,32}$/, {
    error: localized('选项值只能包含小写字母、数字和 _，最长 32 位', 'Lower-case letters, digits and _ only, at most 32'),
  }),
  label: localizedText(32, 64),
  retired: z.boolean().default(false),
});

const DefinitionFields = z.strictObject({
  key: z
    .string()
    .regex(FIELD_KEY_PATTERN, {
      abort: true,
      error: localized(
        '字段标识须以小写字母开头，只含小写字母、数字和 _，最长 64 位',
        'A key starts with a lower-case letter and has only lower-case letters, digits and _, at most 64',
      ),
    })
    .refine((key) => !isBuiltinMemberKey(key), {
      error: localized('与会员的内置字段重名，请换一个标识', 'This key names a built-in member field; choose another'),
    }),
  label: localizedText(32, 64),
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean().default(false),
  unique: z.boolean().default(false),
  defaultValue: z.unknown().optional(),
  rules: RulesInput.nullish(),
  options: z.array(OptionInput).max(200).nullish(),
  helpText: localizedText(200, 400).nullish(),
  group: z.string().trim().max(32).nullish(),
  order: z.number().int().min(0).max(99_999).default(0),
  onRegistration: z.boolean().default(false),
  searchable: z.boolean().default(false),
});

type DefinitionFields = z.output<typeof DefinitionFields>;

function withDefaults(fields: DefinitionFields): CustomFieldDefinition {
  const traits = FIELD_TYPES[fields.type];
  const rules: FieldRules = { ...DEFAULT_RULES[fields.type] };
  for (const name of RULE_NAMES) {
    const value = fields.rules?.[name];
    if (value !== null && value !== undefined) Object.assign(rules, { [name]: value });
  }
  return {
    key: fields.key,
    label: fields.label,
    type: fields.type,
    required: fields.required,
    unique: fields.unique,
    defaultValue: null,
    rules,
    options: traits.options ? (fields.options ?? []) : [],
    helpText: fields.helpText ?? null,
    group: fields.group || null,
    order: fields.order,
    onRegistration: fields.onRegistration,
    searchable: fields.searchable,
  };
}

function reject(ctx: z.RefinementCtx, problems: DefinitionProblem[]): never {
  for (const { path, message } of problems) ctx.addIssue({ code: 'custom', path, message });
  return z.NEVER;
}

export const CustomFieldDefinitionInput = DefinitionFields.transform((fields, ctx): CustomFieldDefinition => {
  const misfits = misfitProblems(fields);
  if (misfits.length > 0) return reject(ctx, misfits);
  const definition = withDefaults(fields);
  const contradictions = ruleProblems(definition);
  if (contradictions.length > 0) return reject(ctx, contradictions);
  if (isEmptyValue(fields.defaultValue)) return definition;
  const checked = checkFieldValue(definition, fields.defaultValue);
  if (!checked.ok) return reject(ctx, [{ path: ['defaultValue'], message: checked.problem.message }]);
  return { ...definition, defaultValue: checked.value };
});

export type CustomFieldDefinitionInput = z.input<typeof CustomFieldDefinitionInput>;
