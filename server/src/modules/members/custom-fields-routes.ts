import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { z } from '../../platform/http/zod.js';
import type { CustomFieldService } from './custom-fields-service.js';
import { CUSTOM_FIELD_TYPES, CustomFieldDefinitionInput, FIELD_KEY_PATTERN } from './form/index.js';

const text = z.object({ zh: z.string(), en: z.string() });
const definitionShape = {
  key: z.string(),
  label: text,
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean(),
  unique: z.boolean(),
  defaultValue: z.unknown(),
  rules: z.object({
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
    pattern: z.string().optional(),
    scale: z.number().int().optional(),
    maxRating: z.number().int().optional(),
  }),
  options: z.array(z.object({ value: z.string(), label: text, retired: z.boolean() })),
  helpText: text.nullable(),
  group: z.string().nullable(),
  order: z.number().int(),
  onRegistration: z.boolean(),
  searchable: z.boolean(),
  retired: z.boolean().optional(),
};
const CustomField = z.object(definitionShape).openapi('MemberCustomField');
const level = z.enum(['masked', 'read', 'edit']);

const MemberFields = z
  .object({
    builtin: z.array(
      z.object({ key: z.string(), label: text, sensitivity: z.string(), level, mask: z.string().nullable(), creatable: z.boolean() }),
    ),
    custom: z.array(z.object({ ...definitionShape, level, creatable: z.boolean() })),
    types: z.array(
      z.object({ type: z.string(), label: text, options: z.boolean(), multiple: z.boolean(), searchable: z.boolean(), unique: z.boolean(), rules: z.array(z.string()) }),
    ),
  })
  .openapi('MemberFields');

const KeyParams = z.strictObject({ key: z.string().regex(FIELD_KEY_PATTERN) });
const OrderBody = z.strictObject({
  items: z
    .array(z.strictObject({ key: z.string().regex(FIELD_KEY_PATTERN), group: z.string().trim().max(32).nullable(), order: z.number().int().min(0).max(99_999) }))
    .min(1)
    .max(500),
});

/** 表单设计: the member form's custom fields. Reading them is part of viewing members. */
export function customFieldRoutes(fields: CustomFieldService): RouteSpec[] {
  const write = access.permission('system:form:update');
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/member-fields',
      summary: 'The member form for this caller: built-in and custom fields with their levels, and the field types',
      tags: ['members'],
      access: access.permission('member:member:view'),
      response: MemberFields,
      handler: ({ principal }) => fields.describe(principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/member-fields',
      summary: 'Define a custom member field',
      tags: ['members'],
      access: write,
      body: CustomFieldDefinitionInput,
      response: CustomField,
      status: 201,
      errors: ['MEMBER_FIELD_KEY_TAKEN'],
      handler: ({ body }) => fields.create(body),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/member-fields/order',
      summary: 'Arrange the custom fields in groups and order',
      tags: ['members'],
      access: write,
      body: OrderBody,
      status: 204,
      errors: ['MEMBER_FIELD_NOT_FOUND'],
      handler: ({ body }) => fields.reorder(body.items),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/member-fields/:key',
      summary: 'Change a custom field: key and type stay; options may be added, relabelled or retired, never removed',
      tags: ['members'],
      access: write,
      params: KeyParams,
      body: CustomFieldDefinitionInput,
      response: CustomField,
      errors: ['MEMBER_FIELD_NOT_FOUND', 'MEMBER_FIELD_VALUES_NOT_UNIQUE'],
      handler: ({ params, body }) => fields.update(params.key, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/member-fields/:key/retire',
      summary: 'Retire a custom field: it leaves the form, members keep their values',
      tags: ['members'],
      access: write,
      params: KeyParams,
      response: CustomField,
      errors: ['MEMBER_FIELD_NOT_FOUND'],
      handler: ({ params }) => fields.setRetired(params.key, true),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/member-fields/:key/restore',
      summary: 'Bring a retired custom field back to the form',
      tags: ['members'],
      access: write,
      params: KeyParams,
      response: CustomField,
      errors: ['MEMBER_FIELD_NOT_FOUND', 'MEMBER_FIELD_VALUES_NOT_UNIQUE'],
      handler: ({ params }) => fields.setRetired(params.key, false),
    }),
  ];
}
