import type { Principal } from '../../platform/http/route.js';
import { systemPrincipal } from '../access/system-principal.js';
import type { AuditActor } from '../audit/service.js';
import type { ChannelBuiltinField } from './models.js';

/**
 * Who registers a member through a channel's public page: nobody signed in, so the
 * members module gets a principal of its own. It reaches only the channel's store, may
 * supply exactly the fields the page asks for (plus the phone, home store and channel,
 * which the server fills), and reads back only the new card number. The field guard then
 * refuses anything else the same way it refuses a cashier.
 *
 * The audit log names it `self-registration via <code>` as a system actor.
 */
export function registrationActor(code: string): AuditActor {
  return { type: 'system', id: null, name: `self-registration via ${code}`, roles: [] };
}

export function registrationPrincipal(
  channel: { code: string; storeId: number },
  form: { builtin: readonly ChannelBuiltinField[]; custom: readonly string[] },
): Principal {
  return systemPrincipal(registrationActor(channel.code).name!, {
    permissions: new Set(['member:member:create']),
    storeScope: [Number(channel.storeId)],
    fieldPolicies: [
      {
        fields: { 'member.cardNo': 'read' },
        createFields: [
          'member.phone',
          'member.homeStoreId',
          'member.channel',
          ...form.builtin.map((key) => `member.${key}`),
          ...form.custom.map((key) => `member.custom.${key}`),
        ],
      },
    ],
  });
}
