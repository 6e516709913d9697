import type { OrderStatus } from '@/api/orders';

export const STATUS_TAG: Record<OrderStatus, 'success' | 'warning' | 'info'> = {
  completed: 'success',
  partially_refunded: 'warning',
  refunded: 'info',
};

/** How an order names its member in a table cell: card number and name, or '' for a walk-in. */
export function orderMemberText(member: { cardNo?: string | null; name?: string | null; id: number } | null): string {
  if (!member) return '';
  return [member.cardNo, member.name].filter(Boolean).join(' ') || `#${member.id}`;
}
