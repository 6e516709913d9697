import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { refundOrder, type Order, type OrderItem, type RefundBody, type RefundResult } from '@/api/orders';
import { useServerErrors } from '@/composables/use-server-errors';
import { confirmDanger } from '@/utils/confirm';
import { formatMoney } from '@/utils/format';
import { newIdempotencyKey } from '@/utils/idempotency';

export type RefundMode = 'full' | 'lines' | 'amount';

const FIELDS = ['amount', 'lines', 'reason'] as const;

/** What is left to return of a line. */
export const quantityLeft = (item: OrderItem) => Math.max(0, item.quantity - item.refundedQuantity);

/**
 * A refund of one order: everything left, chosen quantities per line, or an amount.
 * Shows about how much goes back before asking; the confirmation names the order, and
 * each submit carries its own Idempotency-Key, so a double click refunds once.
 */
export function useRefund(order: () => Order, onDone: (result: RefundResult) => void) {
  const { t } = useI18n();
  const mode = ref<RefundMode>('full');
  const quantities = reactive<Record<number, number>>({});
  const amount = ref<number | undefined>();
  const reason = ref('');
  const submitting = ref(false);
  // A role whose field policy hides the lines gets no lines, not a broken dialog.
  const items = (): OrderItem[] => order().items ?? [];
  const { fieldErrors, formError, clear, apply } = useServerErrors(FIELDS, {
    REFUND_EXCEEDS_PAID: 'amount',
    REFUND_LINE_INVALID: 'lines',
  });

  function start(): void {
    mode.value = 'full';
    for (const key of Object.keys(quantities)) delete quantities[Number(key)];
    for (const item of items()) quantities[item.lineNo] = 0;
    amount.value = undefined;
    reason.value = '';
    clear();
  }

  /** What `quantity` units of a line are worth, as the server reckons it (the last unit takes the rounding). */
  function lineShare(item: OrderItem, quantity: number): number {
    if (quantity <= 0 || item.quantity <= 0) return 0;
    return quantity >= item.quantity ? item.payable : Math.floor((item.payable * quantity) / item.quantity);
  }

  const estimate = computed(() => {
    const current = order();
    if (mode.value === 'full') return current.refundable;
    if (mode.value === 'amount') return amount.value ?? 0;
    const chosen = items().reduce((sum, item) => sum + lineShare(item, quantities[item.lineNo] ?? 0), 0);
    return Math.min(current.refundable, chosen);
  });

  /**
   * Where the money goes back: the server splits a refund over the payments in proportion to
   * what each has left (points as points), so this shows the same split, give or take a fen.
   */
  const goesBack = computed(() => {
    const left = (order().payments ?? []).map((payment) => ({ payment, left: payment.amount - payment.refundedAmount }));
    const total = left.reduce((sum, entry) => sum + entry.left, 0);
    if (total <= 0) return [];
    const target = Math.min(estimate.value, total);
    const shares = left.map((entry) => Math.floor((target * entry.left) / total));
    // The fen lost to rounding go to the biggest share, as a largest-remainder split would.
    const biggest = shares.indexOf(Math.max(...shares));
    shares[biggest] += target - shares.reduce((sum, share) => sum + share, 0);
    return left
      .map((entry, i) => ({
        method: entry.payment.method,
        amount: shares[i],
        points: entry.payment.method === 'points' && entry.payment.amount > 0 ? Math.floor((shares[i] * entry.payment.points) / entry.payment.amount) : 0,
      }))
      .filter((entry) => entry.amount > 0);
  });

  function body(): RefundBody | null {
    clear();
    const text = reason.value.trim();
    if (!text) fieldErrors.reason = t('orders.refund.reasonRequired');
    if (mode.value === 'lines') {
      const lines = items()
        .map((item) => ({ lineNo: item.lineNo, quantity: quantities[item.lineNo] ?? 0 }))
        .filter((line) => line.quantity > 0);
      if (lines.length === 0) fieldErrors.lines = t('orders.refund.nothing');
      return text && lines.length > 0 ? { lines, reason: text } : null;
    }
    if (mode.value === 'amount') {
      const refundable = order().refundable;
      if (!amount.value) fieldErrors.amount = t('orders.refund.amountRequired');
      else if (amount.value > refundable) fieldErrors.amount = t('orders.refund.amountOver', { amount: formatMoney(refundable) });
      return text && amount.value && amount.value <= refundable ? { amount: amount.value, reason: text } : null;
    }
    return text ? { reason: text } : null;
  }

  async function submit(): Promise<boolean> {
    const request = body();
    if (!request || submitting.value) return false;
    const current = order();
    const confirmed = await confirmDanger({
      title: t('orders.refund.confirmTitle'),
      message: t('orders.refund.confirmMessage', { amount: formatMoney(estimate.value), orderNo: current.orderNo }),
      confirmText: t('orders.refund.submit'),
      testId: 'order-refund',
    });
    if (!confirmed) return false;
    submitting.value = true;
    try {
      onDone(await refundOrder(current.id, request, newIdempotencyKey()));
      return true;
    } catch (error) {
      apply(error);
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return { mode, quantities, amount, reason, submitting, fieldErrors, formError, estimate, goesBack, start, submit };
}
