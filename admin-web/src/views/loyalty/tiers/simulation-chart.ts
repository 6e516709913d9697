import type { EChartsOption } from 'echarts';
import type { TierSimulation } from '@/api/tiers';
import { formatCount } from '@/utils/format';

/** Now in grey, under the new rules in the console's blue: the eye reads the change as the blue bar. */
export const BEFORE_COLOR = '#c0c4cc';
export const AFTER_COLOR = '#409eff';

interface TooltipParam {
  axisValueLabel?: string;
  seriesName?: string;
  value?: unknown;
  marker?: unknown;
}

function tooltip(params: unknown): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const rows = list.map(
    (p) => `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName ?? ''}<span style="float:right;margin-left:20px;font-weight:600">${formatCount(Number(p.value))}</span>`,
  );
  return [list[0]?.axisValueLabel ?? '', ...rows].join('<br/>');
}

/** One pair of bars per level, base first, then removed levels: members there now, and under the simulated rules. */
export function simulationBarOption(simulation: TierSimulation, names: { before: string; after: string; removed: (name: string) => string }): EChartsOption {
  const levels = simulation.levels;
  return {
    color: [BEFORE_COLOR, AFTER_COLOR],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltip },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: levels.map((level) => (level.removed ? names.removed(level.name) : level.name)), axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (value: number) => formatCount(value) } },
    series: [
      { name: names.before, type: 'bar', barMaxWidth: 40, data: levels.map((level) => level.before), label: { show: true, position: 'top' } },
      { name: names.after, type: 'bar', barMaxWidth: 40, data: levels.map((level) => level.after), label: { show: true, position: 'top' } },
    ],
  };
}
