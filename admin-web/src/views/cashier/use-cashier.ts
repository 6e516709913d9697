import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { getMember, type Member } from '@/api/members';
import { createOrder, type Order, type OrderBody, type OrderPreview, type OtherMethod, type PaymentInput } from '@/api/orders';
import { formatMoney } from '@/utils/format';
import { newIdempotencyKey } from '@/utils/idempotency';
import {
  CASHIER_FIELDS,
  balancePayments,
  isBlankLine,
  isCompleteLine,
  memberWallet,
  newLine,
  placeError,
  saleItems,
  type CashierField,
  type SaleLine,
  type SaleMode,
} from './model';
import { useOrderPreview } from './use-order-preview';

/** A finished sale, for the receipt: the order and the member's balances after it. */
export interface DoneSale {
  order: Order;
  member: Member | null;
}

/**
 * The sale at the counter: who (a member or a walk-in), what (an amount or item lines), how
 * it is paid (points, stored value, the rest by one method), the server's preview of it,
 * and the checkout with a fresh Idempotency-Key per confirm. The rest is the payable less
 * points and stored value, so what is sent always adds up.
 */
export function useCashier(storeId: () => number | null) {
  const { t } = useI18n();

  const member = ref<Member | null>(null);
  const walkIn = ref(false);
  const mode = ref<SaleMode>('amount');
  const amount = ref<number | undefined>();
  const lines = ref<SaleLine[]>([newLine()]);
  const points = ref<number | undefined>();
  const wallet = ref<number | undefined>();
  const restMethod = ref<OtherMethod>('cash');
  /** Coupon codes chosen for this sale (from the member's list or typed). */
  const couponCodes = ref<string[]>([]);

  const errors = reactive({}) as Record<CashierField, string>;
  const lineErrors = ref<Record<number, string>>({});
  const confirming = ref(false);
  const done = ref<DoneSale | null>(null);

  const hasCustomer = computed(() => member.value !== null || walkIn.value);
  const items = computed(() => saleItems(mode.value, amount.value, lines.value));
  const payments = computed<PaymentInput[]>(() => (member.value ? balancePayments(points.value, wallet.value) : []));

  function clearErrors(): void {
    for (const field of CASHIER_FIELDS) errors[field] = '';
    lineErrors.value = {};
  }
  clearErrors();

  const balancePaid = computed(() => payments.value.reduce((sum, payment) => sum + payment.amount, 0));
  /** What prices the sale: the payable follows from these alone, never from the payments. */
  const pricingKey = computed(() => JSON.stringify([storeId(), member.value?.id ?? null, items.value, couponCodes.value]));
  /** The payable the server gave for the current pricing, once it has: the rest method pays what the balances leave of it. */
  const knownPayable = ref<{ key: string; payable: number } | null>(null);
  const restPayments = computed<PaymentInput[]>(() => {
    const known = knownPayable.value;
    const amount = known && known.key === pricingKey.value ? known.payable - balancePaid.value : 0;
    return amount > 0 ? [{ method: restMethod.value, amount }] : [];
  });

  /**
   * What the preview is asked about, null while there is nothing to price: the whole sale with
   * every payment, so the points it earns are those of the real checkout (cash earns, points do
   * not). Until the payable is known the rest is left out, and the preview's `due` says it.
   */
  const previewBody = computed<OrderBody | null>(() => {
    const store = storeId();
    if (store === null || items.value.length === 0) return null;
    return {
      storeId: store,
      memberId: member.value?.id,
      items: items.value,
      payments: [...payments.value, ...restPayments.value],
      couponCodes: member.value && couponCodes.value.length > 0 ? [...couponCodes.value] : undefined,
    };
  });

  const previewer = useOrderPreview(
    () => previewBody.value,
    () => pricingKey.value,
    {
      onResult: (result, key) => {
        clearErrors();
        checkLimits(result);
        knownPayable.value = { key, payable: result.payable };
      },
      onError: (error, body) => showError(error, body.payments),
      onEmpty: clearErrors,
    },
  );
  const { preview, failed: previewFailed, pending } = previewer;

  const redemption = computed(() => preview.value?.redemption ?? null);
  const walletBalance = computed(() => {
    const fresh = memberWallet(preview.value?.member) ?? memberWallet(member.value);
    return fresh ? fresh.principal + fresh.bonus : 0;
  });
  /** The most stored value can pay: what is left of the payable after points, and no more than the balance. */
  const walletMax = computed(() => {
    const payable = preview.value?.payable ?? 0;
    return Math.max(0, Math.min(walletBalance.value, payable - (points.value ?? 0)));
  });
  const pointsMax = computed(() => redemption.value?.maxAmount ?? 0);
  /** What the rest method collects: the payable less points and stored value. */
  const rest = computed(() => (preview.value ? Math.max(0, preview.value.payable - balancePaid.value) : 0));

  /** Mistakes the page can see without asking: over a limit, more than payable. */
  function checkLimits(result: OrderPreview): void {
    if ((points.value ?? 0) > 0 && (points.value ?? 0) > (result.redemption?.maxAmount ?? 0)) {
      errors.points = t('cashier.pay.overMax', { amount: formatMoney(result.redemption?.maxAmount ?? 0) });
    }
    if ((wallet.value ?? 0) > walletBalance.value) errors.wallet = t('cashier.pay.overMax', { amount: formatMoney(walletBalance.value) });
    if (result.due < 0) errors.payment = t('cashier.pay.tooMuch');
  }

  function showError(error: unknown, sent: PaymentInput[]): void {
    clearErrors();
    const placed = placeError(error, sent, t('common.unknownError'));
    errors[placed.field] = placed.message;
    lineErrors.value = placed.lines;
  }

  /** Why 确认收款 cannot go yet, or '' when it can. */
  function notReadyReason(): string {
    if (storeId() === null) return t('cashier.storeRequired');
    if (!hasCustomer.value) return t('cashier.needCustomer');
    if (items.value.length === 0) return t('cashier.needSale');
    return '';
  }

  /** Incomplete item lines are not silently dropped at checkout: each says what it lacks. */
  function checkLines(): boolean {
    if (mode.value !== 'items') return true;
    const problems: Record<number, string> = {};
    lines.value.forEach((line, index) => {
      if (isBlankLine(line) || isCompleteLine(line)) return;
      problems[index] = line.name.trim() === '' ? t('cashier.sale.lineName') : t('cashier.sale.linePrice');
    });
    lineErrors.value = problems;
    if (Object.keys(problems).length > 0) errors.sale = Object.values(problems)[0];
    return Object.keys(problems).length === 0;
  }

  async function confirm(): Promise<void> {
    if (confirming.value || done.value) return;
    const reason = notReadyReason();
    if (reason) {
      errors.general = t('cashier.notReady', { reason });
      return;
    }
    if (!checkLines()) return;
    confirming.value = true;
    try {
      // The sale may have changed since the last preview: check out exactly what was previewed last.
      await previewer.settle();
      const current = preview.value;
      const body = previewBody.value;
      if (!current || !body || previewFailed.value || Object.values(errors).some(Boolean)) return;
      if (current.due !== 0) {
        errors.payment = current.due < 0 ? t('cashier.pay.tooMuch') : t('cashier.pay.unpaid', { amount: formatMoney(current.due) });
        return;
      }
      try {
        const order = await createOrder(body, newIdempotencyKey());
        done.value = { order, member: await balancesAfter(order) };
      } catch (error) {
        showError(error, body.payments);
      }
    } finally {
      confirming.value = false;
    }
  }

  async function balancesAfter(order: Order): Promise<Member | null> {
    if (!order.memberId) return null;
    try {
      return await getMember(order.memberId);
    } catch {
      return null; // the receipt prints without balances rather than not at all
    }
  }

  function chooseMember(next: Member): void {
    member.value = next;
    walkIn.value = false;
    points.value = undefined;
    wallet.value = undefined;
    couponCodes.value = [];
    errors.member = '';
    errors.general = '';
  }

  /** The same member with fresh balances (after a top-up at the counter); the sale stays as typed. */
  function refreshMember(next: Member): void {
    if (member.value?.id !== next.id) return;
    member.value = next;
    void previewer.refresh();
  }

  function chooseWalkIn(): void {
    member.value = null;
    walkIn.value = true;
    points.value = undefined;
    wallet.value = undefined;
    couponCodes.value = [];
    errors.member = '';
    errors.general = '';
  }

  function changeCustomer(): void {
    member.value = null;
    walkIn.value = false;
    points.value = undefined;
    wallet.value = undefined;
    couponCodes.value = [];
  }

  function addLine(): void {
    lines.value.push(newLine());
  }

  function removeLine(index: number): void {
    lines.value.splice(index, 1);
    if (lines.value.length === 0) lines.value.push(newLine());
  }

  /** 下一位: everything back to empty but the entry mode and the rest method, the counter's habits. */
  function reset(): void {
    changeCustomer();
    amount.value = undefined;
    lines.value = [newLine()];
    done.value = null;
    knownPayable.value = null;
    previewer.clear();
    clearErrors();
  }

  return {
    member,
    refreshMember,
    walkIn,
    hasCustomer,
    mode,
    amount,
    lines,
    points,
    wallet,
    restMethod,
    couponCodes,
    previewBody,
    preview,
    previewFailed,
    pending,
    errors,
    lineErrors,
    confirming,
    done,
    redemption,
    pointsMax,
    walletMax,
    walletBalance,
    rest,
    confirm,
    chooseMember,
    chooseWalkIn,
    changeCustomer,
    addLine,
    removeLine,
    reset,
  };
}
