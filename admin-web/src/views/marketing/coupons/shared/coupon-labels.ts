import type { CouponStatus, RedemptionStatus, TemplateStatus } from '@/api/coupons';

type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary';

export const TEMPLATE_STATUS_TAG: Record<TemplateStatus, TagType> = {
  draft: 'info',
  active: 'success',
  paused: 'warning',
  ended: 'info',
};

export const COUPON_STATUS_TAG: Record<CouponStatus, TagType> = {
  available: 'success',
  used: 'primary',
  expired: 'info',
  voided: 'danger',
};

export const REDEMPTION_STATUS_TAG: Record<RedemptionStatus, TagType> = {
  applied: 'success',
  returned: 'warning',
};
