/**
 * The member form engine: custom field definitions and the values members hold for them.
 * A pure library (no database, no HTTP): the members module stores definitions and
 * values, checks uniqueness and references, and registers searchable fields with the
 * field guard. See CONTEXT.md.
 */
export {
  CUSTOM_FIELD_TYPES,
  DEFAULT_RULES,
  FIELD_KEY_PATTERN,
  FIELD_TYPES,
  RULE_NAMES,
  hasOptions,
  isCustomFieldType,
  type CustomFieldType,
  type OptionFieldType,
  type FieldTypeTraits,
  type RuleName,
} from './field-types.js';
export type { CustomFieldDefinition, CustomValue, FieldOption, FieldRules, LocalizedText } from './definition.js';
export { BUILTIN_MEMBER_KEYS, CustomFieldDefinitionInput, isBuiltinMemberKey } from './definition-schema.js';
export { MAX_LENGTH_CAPS } from './definition-rules.js';
export { MAX_PATTERN_LENGTH, compileFieldPattern } from './field-pattern.js';
export { DEFINITION_CHANGE_CODES, checkDefinitionChange, type DefinitionChange } from './definition-change.js';
export {
  checkFieldValue,
  customPath,
  fieldSearchValue,
  isEmptyValue,
  validateCustomValues,
  type CustomValuesOptions,
  type CustomValuesResult,
  type FormOperation,
  type SearchValue,
} from './value-schema.js';
export { VALUE_ERROR_CODES, assertNoFieldErrors, type ValueErrorCode, type ValueProblem, type Outcome } from './problems.js';
export { isRegionCode } from './region-codes.js';
export { isDateText } from './value-formats.js';
