import { inject, provide, type InjectionKey, type Ref } from 'vue';
import type { CouponTemplate } from '@/api/coupons';
import type { Store } from '@/api/stores';
import type { TemplateForm } from './rule';

/**
 * What every section of the template page works on: the one form, the server's field
 * errors, whether the rules are locked (coupons are out), the template as saved, and the
 * stores to pick from. The page provides it once; each section takes it, so the page lists
 * its sections instead of wiring the same props into each.
 */
export interface TemplateFormContext {
  form: TemplateForm;
  fieldErrors: Record<string, string>;
  locked: Readonly<Ref<boolean>>;
  canEdit: Readonly<Ref<boolean>>;
  template: Readonly<Ref<CouponTemplate | null>>;
  stores: Readonly<Ref<Store[]>>;
  /** the user may list stores; without it, the store item shows only when stores are already set */
  storesKnown: Readonly<Ref<boolean>>;
}

const KEY: InjectionKey<TemplateFormContext> = Symbol('coupon-template-form');

export function provideTemplateForm(context: TemplateFormContext): void {
  provide(KEY, context);
}

export function useTemplateFormContext(): TemplateFormContext {
  const context = inject(KEY);
  if (!context) throw new Error('a coupon template section outside the template page');
  return context;
}
