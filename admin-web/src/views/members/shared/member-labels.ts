import type { ComposerTranslation } from 'vue-i18n';
import type { Member, MemberStatus } from '@/api/members';

export const MEMBER_STATUSES: readonly MemberStatus[] = ['normal', 'frozen', 'erased'];

export const STATUS_TAG: Record<MemberStatus, 'success' | 'warning' | 'info'> = {
  normal: 'success',
  frozen: 'warning',
  erased: 'info',
};

/** How a member is named in titles and confirmations: name, else nickname, else card number, else the id. */
export function memberTitle(member: Member, t: ComposerTranslation): string {
  if (member.name) return member.name;
  if (member.nickname) return member.nickname;
  if (member.cardNo) return member.cardNo;
  return member.status === 'erased' ? t('members.erasedName', { id: member.id }) : `#${member.id}`;
}

/** The name and card number together, for a confirmation that must name the member unmistakably. */
export function memberNameAndCard(member: Member, t: ComposerTranslation): string {
  const name = memberTitle(member, t);
  return member.cardNo && member.cardNo !== name ? `${name}（${member.cardNo}）` : name;
}
