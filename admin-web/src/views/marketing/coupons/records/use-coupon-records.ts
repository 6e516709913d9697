import { computed, ref } from 'vue';
import { COUPON_STATUSES, listCoupons, type Coupon, type CouponStatus } from '@/api/coupons';
import { replaceRow } from '@/composables/use-row-actions';
import { idFilter, useCursorList } from '../shared/use-cursor-list';

export interface CouponFilters {
  code: string;
  templateId: string;
  status: string;
  memberId: string;
  [key: string]: string;
}

const PAGE = 20;

/** 券查询: code, template, status and member in the URL (a template's 查看券 and a member's page link here), the drawer, and 作废. */
export function useCouponRecords() {
  const list = useCursorList<Coupon, CouponFilters>({ code: '', templateId: '', status: '', memberId: '' }, (applied, cursor) =>
    listCoupons({
      code: applied.code.trim().toUpperCase() || undefined,
      templateId: idFilter(applied.templateId),
      memberId: idFilter(applied.memberId),
      status: (COUPON_STATUSES as readonly string[]).includes(applied.status) ? (applied.status as CouponStatus) : undefined,
      limit: PAGE,
      cursor,
    }),
  );

  /** The member picker holds a number; the URL a string. */
  const memberFilter = computed<number | null>({
    get: () => idFilter(list.filters.memberId) ?? null,
    set: (id) => {
      list.filters.memberId = id ? String(id) : '';
    },
  });

  const drawerVisible = ref(false);
  const shownId = ref<number | null>(null);
  function openDetail(coupon: Coupon): void {
    shownId.value = coupon.id;
    drawerVisible.value = true;
  }

  const voidVisible = ref(false);
  const voiding = ref<Coupon | null>(null);
  function openVoid(coupon: Coupon): void {
    voiding.value = coupon;
    voidVisible.value = true;
  }
  function onVoided(coupon: Coupon): void {
    if (!replaceRow(list.items.value, coupon)) void list.load();
  }

  return { ...list, memberFilter, drawerVisible, shownId, openDetail, voidVisible, voiding, openVoid, onVoided };
}
