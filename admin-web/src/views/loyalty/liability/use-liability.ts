import dayjs from 'dayjs';
import { computed, onMounted, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { getLiability, getLiabilityTrend, type Liability, type LiabilityTrend } from '@/api/loyalty';
import { isApiError, saveFile } from '@/api/http';
import { errorMessage } from '@/composables/use-server-errors';
import { formatDate } from '@/utils/format';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 储值负债: the report as at the end of a business day (in the URL, default today), and the
 * last 30 days' trend when the server offers it (an older server answers 404: no line then).
 */
export function useLiability() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const report = ref<Liability | null>(null);
  const trend = ref<LiabilityTrend | null>(null);
  const loading = ref(false);
  const loadError = ref('');

  const today = formatDate();
  const asOf = computed<string>({
    get: () => {
      const value = typeof route.query.asOf === 'string' ? route.query.asOf : '';
      return DATE.test(value) ? value : today;
    },
    set: (next) => void router.replace({ query: { ...route.query, asOf: next && next !== today ? next : undefined } }),
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      report.value = await getLiability(asOf.value);
    } catch (error) {
      report.value = null;
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }

  async function loadTrend(): Promise<void> {
    try {
      trend.value = await getLiabilityTrend(30);
    } catch (error) {
      trend.value = null;
      if (!isApiError(error) || error.status !== 404) console.warn(error);
    }
  }

  onMounted(() => {
    void load();
    void loadTrend();
  });
  watch(asOf, () => void load());

  /** Days after today have no end of business yet. The picker's Date is local midnight of the day it shows. */
  const disabledDate = (date: Date) => dayjs(date).format('YYYY-MM-DD') > today;

  /** The table as CSV (UTF-8 with a BOM, so Excel reads the Chinese). Money in yuan, two decimals. */
  function exportCsv(): void {
    const data = report.value;
    if (!data) return;
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const head = ['store', 'code', 'principal', 'bonus', 'total', 'members'].map((key) => t(`loyalty.liability.${key}`));
    const rows = data.stores.map((s) => [quote(s.storeName), quote(s.storeCode), yuan(s.principal), yuan(s.bonus), yuan(s.principal + s.bonus), String(s.members)]);
    const totals = data.totals;
    rows.push([quote(t('loyalty.liability.totals')), '', yuan(totals.principal), yuan(totals.bonus), yuan(totals.principal + totals.bonus), String(totals.members)]);
    const text = [head.map(quote).join(','), ...rows.map((row) => row.join(','))].join('\r\n');
    saveFile({ blob: new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }), filename: t('loyalty.liability.exportName', { date: data.asOf }) });
  }

  return { report, trend, loading, loadError, asOf, load, disabledDate, exportCsv };
}
