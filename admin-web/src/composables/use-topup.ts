import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormItemRule, FormRules } from 'element-plus';
import { CLIENT_ERROR_CODES, isApiError } from '@/api/http';
import { createTopup, getWalletSettings, listPlans, type Topup, type TopupCreate, type TopupPayMethod, type TopupPlan, type WalletSettings } from '@/api/loyalty';
import type { Member } from '@/api/members';
import { useAuthStore } from '@/stores/auth';
import { formatMoney, yuanToFen } from '@/utils/format';
import { newIdempotencyKey } from '@/utils/idempotency';

export type TopupMode = 'plan' | 'custom';

export interface TopupForm {
  mode: TopupMode;
  planId: number | null;
  /** yuan, two decimals */
  amount: number | null;
  bonus: number | null;
  payMethod: TopupPayMethod | '';
  storeId: number | null;
  reason: string;
}

export const TOPUP_FORM_FIELDS = ['planId', 'amount', 'bonus', 'payMethod', 'storeId', 'reason'] as const;

/** The member's stored value as the detail answer has it; null when the caller's role masks or hides it. */
export function walletOf(member: Member): { principal: number; bonus: number } | null {
  return typeof member.wallet === 'object' && member.wallet !== null ? member.wallet : null;
}

/**
 * The 充值 dialog's state: the active plans, the stored-value settings (when the user may
 * read them: the bonus a custom amount may get and the amount range; otherwise the server
 * alone checks), what the member gets, and the submit. One Idempotency-Key per top-up: kept
 * when a request got no answer (it may have gone through; the retry must not charge twice),
 * new for anything else.
 */
export function useTopup() {
  const { t } = useI18n();
  const auth = useAuthStore();
  const plans = ref<TopupPlan[]>([]);
  const settings = ref<WalletSettings | null>(null);
  const loading = ref(false);
  const form = reactive<TopupForm>({ mode: 'plan', planId: null, amount: null, bonus: 0, payMethod: '', storeId: null, reason: '' });
  let pendingKey: { key: string; body: string } | null = null;

  async function prepare(member: Member): Promise<void> {
    Object.assign(form, { mode: 'plan', planId: null, amount: null, bonus: 0, payMethod: '', storeId: member.homeStoreId ?? null, reason: '' });
    pendingKey = null;
    loading.value = true;
    const [planList, walletSettings] = await Promise.all([
      auth.can('loyalty:plan:view') ? listPlans('active').then((r) => r.items).catch(() => []) : Promise.resolve([]),
      auth.can('loyalty:settings:view') ? getWalletSettings().catch(() => null) : Promise.resolve(null),
    ]);
    plans.value = [...planList].filter((plan) => plan.status === 'active').sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    settings.value = walletSettings;
    form.mode = plans.value.length > 0 ? 'plan' : 'custom';
    loading.value = false;
  }

  const plan = computed(() => (form.mode === 'plan' ? (plans.value.find((p) => p.id === form.planId) ?? null) : null));
  const bonusAllowed = computed(() => (settings.value?.customBonusMaxPercent ?? 0) > 0);
  const maxBonus = computed(() => Math.floor((yuanToFen(form.amount ?? 0) * (settings.value?.customBonusMaxPercent ?? 0)) / 100));

  /** What goes onto the balance, in fen, and the points; null until an amount is chosen. */
  const credit = computed(() => {
    if (form.mode === 'plan') return plan.value ? { principal: plan.value.amount, bonus: plan.value.bonus, points: plan.value.points } : null;
    if (!form.amount) return null;
    return { principal: yuanToFen(form.amount), bonus: bonusAllowed.value ? yuanToFen(form.bonus ?? 0) : 0, points: 0 };
  });

  function body(): TopupCreate {
    const common = { payMethod: form.payMethod as TopupPayMethod, storeId: form.storeId ?? undefined, reason: form.reason.trim() || undefined };
    if (form.mode === 'plan' && plan.value) return { ...common, planId: plan.value.id, amount: plan.value.amount };
    const bonus = bonusAllowed.value ? yuanToFen(form.bonus ?? 0) : 0;
    return { ...common, amount: yuanToFen(form.amount ?? 0), bonus: bonus > 0 ? bonus : undefined };
  }

  async function submit(memberId: number): Promise<Topup> {
    const data = body();
    const text = JSON.stringify([memberId, data]);
    if (!pendingKey || pendingKey.body !== text) pendingKey = { key: newIdempotencyKey(), body: text };
    try {
      const topup = await createTopup(memberId, data, pendingKey.key);
      pendingKey = null;
      return topup;
    } catch (error) {
      if (!isApiError(error, CLIENT_ERROR_CODES.network)) pendingKey = null;
      throw error;
    }
  }

  const rules = computed<FormRules<TopupForm>>(() => {
    const min = settings.value?.minTopup ?? 1;
    const max = settings.value?.maxTopup ?? null;
    // `required` only draws the asterisk: the validators decide, since each rule applies in one mode only.
    const amount: FormItemRule = {
      required: true,
      validator: (_rule, value: unknown, callback) => {
        if (form.mode !== 'custom') return callback();
        if (typeof value !== 'number') return callback(new Error(t('topup.rules.amountRequired')));
        const fen = yuanToFen(value);
        if (fen < 1) return callback(new Error(t('topup.rules.amountMin')));
        if (fen < min || (max !== null && fen > max)) {
          return callback(new Error(t('topup.rules.amountRange', { min: formatMoney(min), max: formatMoney(max ?? fen) })));
        }
        callback();
      },
      trigger: 'change',
    };
    const bonus: FormItemRule = {
      validator: (_rule, value: unknown, callback) => {
        if (form.mode !== 'custom' || typeof value !== 'number') return callback();
        if (yuanToFen(value) > maxBonus.value) return callback(new Error(t('topup.rules.bonusMax', { max: formatMoney(maxBonus.value) })));
        callback();
      },
      trigger: 'change',
    };
    const planRule: FormItemRule = {
      required: true,
      validator: (_rule, value: unknown, callback) => (form.mode === 'plan' && value === null ? callback(new Error(t('topup.rules.planRequired'))) : callback()),
      trigger: 'change',
    };
    return {
      planId: [planRule],
      amount: [amount],
      bonus: [bonus],
      payMethod: [{ required: true, message: t('topup.rules.payMethodRequired'), trigger: 'change' }],
      reason: [{ max: 200, message: t('validation.maxLength', { max: 200 }), trigger: 'blur' }],
    };
  });

  return { plans, settings, loading, form, plan, bonusAllowed, maxBonus, credit, rules, prepare, submit };
}
