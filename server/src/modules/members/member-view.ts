import type { FieldGuard } from '../access/field-policy/index.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { MemberContact } from './contact.js';
import type { MemberRecord } from './models.js';

/**
 * A member row as the API speaks of it: contact data decrypted, custom values parsed,
 * times as ISO strings. This is the whole record; nothing leaves the server without the
 * caller's field guard projecting it first.
 */
export function memberView(member: MemberRecord, contact: MemberContact): PlainRecord {
  const { phone, email, idNumber } = contact.open(member);
  // A freshly created instance leaves the attributes it was not given undefined.
  return {
    id: member.id,
    cardNo: member.cardNo ?? null,
    name: member.name ?? null,
    nickname: member.nickname ?? null,
    gender: member.gender ?? null,
    birthday: member.birthday ?? null,
    region: member.region ?? null,
    phone,
    email,
    wechatId: member.wechatId ?? null,
    idNumber,
    status: member.status,
    frozenReason: member.frozenReason ?? null,
    homeStoreId: member.homeStoreId,
    channel: member.channel ?? null,
    referrerId: member.referrerId ?? null,
    managerId: member.managerId ?? null,
    registeredAt: member.registeredAt.toISOString(),
    lastVisitAt: member.lastVisitAt?.toISOString() ?? null,
    notes: member.notes ?? null,
    pointsBalance: member.pointsBalance,
    storedValueBalance: member.storedValueBalance,
    points: member.pointsBalance,
    wallet: { principal: member.walletPrincipal ?? 0, bonus: member.walletBonus ?? 0 },
    totalSpent: member.totalSpent,
    tierId: member.tierId ?? null,
    custom: member.custom ? (JSON.parse(member.custom) as PlainRecord) : {},
    createdAt: member.createdAt.toISOString(),
    updatedAt: member.updatedAt.toISOString(),
  };
}

/** The row of a new member: API fields as columns, contact data sealed, custom values as JSON. */
export function newMemberRow(
  input: PlainRecord,
  custom: PlainRecord,
  contact: MemberContact,
  placed: { cardNo: string; homeStoreId: number; registeredAt: Date },
): PlainRecord {
  return {
    ...memberColumns(input),
    ...contact.seal({ phone: input.phone as string, email: (input.email as string | null) ?? null, idNumber: (input.idNumber as string | null) ?? null }),
    ...placed,
    custom: JSON.stringify(custom),
  };
}

/** The columns an edit of these API fields writes, birthday month included. */
export function memberColumns(input: PlainRecord): PlainRecord {
  const { phone: _phone, email: _email, idNumber: _idNumber, custom: _custom, ...plain } = input;
  if ('birthday' in input) plain.birthMonth = typeof input.birthday === 'string' ? Number(input.birthday.slice(5, 7)) : null;
  return plain;
}

/** A member through a caller's field guard: the id always, the rest as the guard allows. */
export type ShownMember = PlainRecord & { id: number };

export function showMember(guard: FieldGuard, member: MemberRecord, contact: MemberContact): ShownMember {
  return guard.project(memberView(member, contact)) as ShownMember;
}
