import { computed, onMounted } from 'vue';
import { listCouponRedemptions, type CouponRedemption } from '@/api/coupons';
import { useStoreLookup } from '@/composables/use-lookups';
import { idFilter, useCursorList } from '../shared/use-cursor-list';

export interface RedemptionFilters {
  templateId: string;
  storeId: string;
  from: string;
  to: string;
  [key: string]: string;
}

const PAGE = 20;

/** 核销记录: template, store and business days in the URL, newest first. */
export function useRedemptions() {
  const storeLookup = useStoreLookup();
  onMounted(storeLookup.loadStores);
  const list = useCursorList<CouponRedemption, RedemptionFilters>({ templateId: '', storeId: '', from: '', to: '' }, (applied, cursor) =>
    listCouponRedemptions({
      templateId: idFilter(applied.templateId),
      storeId: idFilter(applied.storeId),
      from: applied.from || undefined,
      to: applied.to || undefined,
      limit: PAGE,
      cursor,
    }),
  );

  /** The date picker edits both ends at once. */
  const dateRange = computed<string[] | null>({
    get: () => (list.filters.from && list.filters.to ? [list.filters.from, list.filters.to] : null),
    set: (range: string[] | null) => {
      list.filters.from = range?.[0] ?? '';
      list.filters.to = range?.[1] ?? '';
    },
  });

  return { ...list, ...storeLookup, dateRange };
}
