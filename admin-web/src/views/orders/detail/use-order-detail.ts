import { computed, onMounted, ref, watch } from 'vue';
import { useRoute } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/http';
import { getOrder, type Order, type RefundResult } from '@/api/orders';
import { errorMessage } from '@/composables/use-server-errors';
import { formatMoney } from '@/utils/format';
import { ElMessage } from '@/utils/message';

/** 订单详情: the order by the id in the URL; a refund replaces it with the order the server returns. */
export function useOrderDetail() {
  const { t } = useI18n();
  const route = useRoute();
  const id = computed(() => Number(route.params.id));
  const order = ref<Order | null>(null);
  const loading = ref(false);
  const loadError = ref('');
  const notFound = ref(false);
  const refundVisible = ref(false);

  const canRefund = computed(() => order.value !== null && order.value.status !== 'refunded' && order.value.refundable > 0);

  async function load(): Promise<void> {
    if (!Number.isInteger(id.value) || id.value < 1) {
      notFound.value = true;
      return;
    }
    loading.value = true;
    loadError.value = '';
    notFound.value = false;
    try {
      order.value = await getOrder(id.value);
    } catch (error) {
      notFound.value = isApiError(error, 'ORDER_NOT_FOUND');
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }

  function onRefunded(result: RefundResult): void {
    order.value = result.order;
    ElMessage.success(t('orders.refund.done', { amount: formatMoney(result.refund.amount), refundNo: result.refund.refundNo }));
  }

  function print(): void {
    window.print();
  }

  onMounted(load);
  watch(id, load);

  return { id, order, loading, loadError, notFound, refundVisible, canRefund, load, onRefunded, print };
}
