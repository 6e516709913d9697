import type { EChartsOption } from 'echarts';
import type { LiabilityStore, LiabilityTrend } from '@/api/loyalty';
import { formatMoney } from '@/utils/format';

/** Principal is the money owed, so it is drawn dark; the bonus light on top of it. */
export const PRINCIPAL_COLOR = '#2b6cd4';
export const BONUS_COLOR = '#9fc5f8';

interface Names {
  principal: string;
  bonus: string;
}

const yuan = (fen: number) => fen / 100;

/** Axis labels as the table writes money, without the fen of round figures: ¥12,500. */
function axisLabel(value: number): string {
  return formatMoney(Math.round(value * 100)).replace(/\.00$/, '');
}

interface TooltipParam {
  axisValueLabel?: string;
  seriesName?: string;
  value?: unknown;
  marker?: unknown;
}

function tooltip(params: unknown): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const head = list[0]?.axisValueLabel ?? '';
  const rows = list.map((p) => {
    const money = formatMoney(Math.round(Number(p.value) * 100));
    return `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName ?? ''}<span style="float:right;margin-left:20px;font-weight:600">${money}</span>`;
  });
  return [head, ...rows].join('<br/>');
}

/** One stacked bar per store: principal and bonus. */
export function storesBarOption(stores: LiabilityStore[], names: Names): EChartsOption {
  return {
    color: [PRINCIPAL_COLOR, BONUS_COLOR],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltip },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: stores.map((store) => store.storeName), axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisLabel } },
    series: [
      { name: names.principal, type: 'bar', stack: 'wallet', barMaxWidth: 48, data: stores.map((store) => yuan(store.principal)) },
      { name: names.bonus, type: 'bar', stack: 'wallet', barMaxWidth: 48, data: stores.map((store) => yuan(store.bonus)) },
    ],
  };
}

/** All stores together, day by day: one line for principal, one for bonus. */
export function trendLineOption(trend: LiabilityTrend, names: Names): EChartsOption {
  return {
    color: [PRINCIPAL_COLOR, BONUS_COLOR],
    tooltip: { trigger: 'axis', formatter: tooltip },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: trend.days.map((day) => day.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisLabel } },
    series: [
      { name: names.principal, type: 'line', showSymbol: false, data: trend.days.map((day) => yuan(day.principal)) },
      { name: names.bonus, type: 'line', showSymbol: false, data: trend.days.map((day) => yuan(day.bonus)) },
    ],
  };
}
