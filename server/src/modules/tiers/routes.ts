import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { TierConfigService } from './config-service.js';
import type { MemberTiers } from './member-tiers.js';
import { HistoryQuery, IdParams, ManualTierBody, MemberTierView, TierConfigBody, TierConfigView, TierHistoryPage, TierPublishResult, TierSimulation } from './schemas.js';

export function tierRoutes(config: TierConfigService, members: MemberTiers): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/tiers',
      summary: 'The tier levels (base first, with member counts) and the rules',
      tags: ['tiers'],
      access: access.permission('loyalty:tier:view'),
      response: TierConfigView,
      handler: ({ principal }) => config.view(principal!),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/tiers',
      summary: 'Publish a changed set of levels and rules: members are placed as the simulation of the same body says',
      tags: ['tiers'],
      access: access.permission('loyalty:tier:update'),
      body: TierConfigBody,
      response: TierPublishResult,
      errors: ['TIER_RULES_INVALID'],
      handler: ({ principal, body }) => config.publish(principal!, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/tiers/simulate',
      summary: 'How many members a changed set of levels and rules would move, per level; writes nothing',
      tags: ['tiers'],
      access: access.permission('loyalty:tier:update'),
      body: TierConfigBody,
      response: TierSimulation,
      errors: ['TIER_RULES_INVALID'],
      handler: ({ body }) => config.simulate(body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/members/:id/tier',
      summary: "A member's tier, progress to the next level, what keeping it takes, and why, in words",
      tags: ['tiers'],
      access: access.permission('loyalty:tier:view'),
      params: IdParams,
      response: MemberTierView,
      errors: ['MEMBER_NOT_FOUND'],
      handler: ({ principal, params }) => members.explain(principal!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/members/:id/tier-history',
      summary: "A member's tier changes with their reasons and numbers, newest first",
      tags: ['tiers'],
      access: access.permission('loyalty:tier:view'),
      params: IdParams,
      query: HistoryQuery,
      response: TierHistoryPage,
      errors: ['MEMBER_NOT_FOUND'],
      handler: ({ principal, params, query }) => members.history(principal!, params.id, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/members/:id/tier',
      summary: "Set a member's tier by hand, with a reason and an optional last day",
      tags: ['tiers'],
      access: access.permission('loyalty:tier:adjust'),
      params: IdParams,
      body: ManualTierBody,
      response: MemberTierView,
      errors: ['MEMBER_NOT_FOUND', 'MEMBER_ERASED', 'TIER_NOT_FOUND'],
      handler: ({ principal, params, body }) => members.adjust(principal!, params.id, body),
    }),
  ];
}
