import { systemPrincipal } from '../access/system-principal.js';
import type { AuditActor } from '../audit/service.js';

/** The daily review's name in the audit log. */
export const REVIEW_ACTOR: AuditActor = { type: 'system', id: null, name: 'tiers.review', roles: [] };

/**
 * Tier work nobody signed in for (the daily review, a refund's reversal) reaches every
 * member: it works for no store and no person.
 */
export const TIERS_PRINCIPAL = systemPrincipal('tiers');
