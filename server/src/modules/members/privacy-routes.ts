import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { MemberConsents } from './consents.js';
import type { MemberPrivacy } from './privacy.js';
import { ConsentBody, Consents, EraseBody, EraseResult, IdParams, PersonalData } from './schemas.js';

/** PIPL: consent per marketing channel, a copy of a member's data, erasure on request. */
export function memberPrivacyRoutes(consents: MemberConsents, privacy: MemberPrivacy): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/members/:id/consents',
      summary: "A member's marketing consent per channel, and its history",
      tags: ['members'],
      access: access.permission('member:member:view'),
      params: IdParams,
      response: Consents,
      errors: ['MEMBER_NOT_FOUND'],
      handler: ({ principal, params }) => consents.get(principal!, params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/members/:id/consents',
      summary: 'Record what the member agreed to or withdrew, and where',
      tags: ['members'],
      access: access.permission('member:member:update'),
      params: IdParams,
      body: ConsentBody,
      response: Consents,
      errors: ['MEMBER_NOT_FOUND'],
      handler: ({ principal, params, body }) => consents.set(principal!, params.id, body, body.source),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/members/:id/personal-data',
      summary: "A copy of everything held about the member, unmasked (PIPL Art. 45); audited",
      tags: ['members'],
      access: access.permission('member:privacy:export'),
      params: IdParams,
      response: PersonalData,
      errors: ['MEMBER_NOT_FOUND', 'MEMBER_ERASED'],
      handler: async ({ principal, params, res }) => {
        res.setHeader('Content-Disposition', `attachment; filename="member-${params.id}-personal-data.json"`);
        return privacy.personalData(principal!, params.id);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/members/:id/erase',
      summary: "Erase a member's personal data irreversibly (PIPL Art. 47); ledgers keep the pseudonymous id",
      tags: ['members'],
      access: access.permission('member:privacy:erase'),
      params: IdParams,
      body: EraseBody,
      response: EraseResult,
      errors: ['MEMBER_NOT_FOUND', 'MEMBER_ERASED', 'MEMBER_HOLDS_STORED_VALUE'],
      handler: ({ principal, params, body }) => privacy.erase(principal!, params.id, body.reason),
    }),
  ];
}
