import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/http';
import { listCouponTemplates } from '@/api/coupons';
import { useAuthStore } from '@/stores/auth';

/** A coupon template something else gives: a tier's birthday or monthly gift, a top-up plan's coupons. */
export interface CouponTemplateChoice {
  id: number;
  name: string;
}

/**
 * The active coupon templates a tier level or a top-up plan may give. Null while the list
 * cannot be had (no coupon permission): the pickers then say so, and a chosen template
 * still shows by its number.
 */
export function useCouponChoices() {
  const { t } = useI18n();
  const auth = useAuthStore();
  const templates = ref<CouponTemplateChoice[] | null>(null);

  async function load(): Promise<void> {
    if (!auth.can('marketing:coupon:view')) return;
    try {
      // A chain has a handful of active templates; 200 is the list's largest page.
      const page = await listCouponTemplates({ status: 'active', limit: 200 });
      templates.value = page.items.map((template) => ({ id: template.id, name: template.name }));
    } catch (error) {
      templates.value = null;
      if (!isApiError(error) || (error.status !== 404 && error.status !== 403)) console.warn(error);
    }
  }
  onMounted(load);

  function templateName(id: number | null): string {
    if (id === null) return '';
    return templates.value?.find((template) => template.id === id)?.name ?? t('coupons.templateById', { id });
  }

  return { templates, templateName };
}
