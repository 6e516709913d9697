import type { CouponMember } from '@/api/coupons';

/** How a coupon names its member in a cell or a confirmation: name and card number, else the id. */
export function couponMemberText(member: CouponMember | null, memberId: number): string {
  if (!member) return `#${memberId}`;
  return [member.name, member.cardNo].filter(Boolean).join(' ') || `#${member.id}`;
}
