import { currentRequestContext } from '../../platform/http/request-context.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { Batch, BatchBody, BatchCreated, BatchPage, BatchPreview, BatchQuery, IdParams } from './batch-schemas.js';
import type { CouponBatches } from './batches.js';
import type { TaskService } from '../jobs/task-service.js';

const locale = () => currentRequestContext()?.locale ?? DEFAULT_LOCALE;
const tags = ['coupons'];
const TARGET_ERRORS = [
  'COUPON_TEMPLATE_NOT_FOUND',
  'COUPON_TEMPLATE_NOT_ACTIVE',
  'COUPON_TEMPLATE_EXPIRED',
  'COUPON_BATCH_SEGMENT_UNAVAILABLE',
  'FIELD_FILTER_FORBIDDEN',
  'FIELD_NOT_FILTERABLE',
] as const;

/** Batch issues: preview, queue (a background task), and the batches so far. */
export function couponBatchRoutes(batches: CouponBatches, tasks: TaskService): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/coupon-batches/preview',
      summary: 'How many members a batch issue would reach and why the others would get nothing; writes nothing',
      tags,
      access: access.permission('marketing:coupon:issue'),
      body: BatchBody,
      response: BatchPreview,
      errors: [...TARGET_ERRORS],
      handler: ({ principal, body }) => batches.preview(principal!, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/coupon-batches',
      summary:
        'Issue a template to members in bulk in the background: answers with the batch and its task (progress at /api/v1/tasks/{id}; the file of values and members not issued at /api/v1/tasks/{id}/output)',
      tags,
      access: access.permission('marketing:coupon:issue'),
      body: BatchBody,
      response: BatchCreated,
      status: 202,
      errors: [...TARGET_ERRORS],
      handler: async ({ principal, body }) => {
        const { batch, task } = await batches.submit(principal!, body, locale());
        return { batch, task: tasks.view(task, locale()) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-batches',
      summary: 'Batch issues, newest first (a caller limited to some stores sees the batches they started)',
      tags,
      access: access.permission('marketing:coupon:view'),
      query: BatchQuery,
      response: BatchPage,
      handler: ({ principal, query }) => batches.list(principal!, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-batches/:id',
      summary: 'One batch issue with its counts so far',
      tags,
      access: access.permission('marketing:coupon:view'),
      params: IdParams,
      response: Batch,
      errors: ['COUPON_BATCH_NOT_FOUND'],
      handler: ({ principal, params }) => batches.get(principal!, params.id),
    }),
  ];
}
