import { shallowRef } from 'vue';
import type { CascaderOption } from 'element-plus';

/**
 * China's administrative divisions for the region cascader and for showing a code as names.
 * The data is 400 KB, so it is fetched by the first page that shows a region, never by the
 * login page; the server checks codes against the same package.
 */
type AreaData = typeof import('element-china-area-data');

/** A division as the package lists it. */
type Division = { value: string; label: string; children?: Division[] };

const data = shallowRef<AreaData | null>(null);
let loading: Promise<AreaData> | null = null;

export function loadRegions(): Promise<AreaData> {
  if (!loading) {
    loading = import('element-china-area-data').then((module) => {
      data.value = module;
      return module;
    });
    // A failed fetch (a deploy replaced the chunk) may be tried again.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The data once loaded (reactive), starting the load on first use. */
export function useRegions() {
  void loadRegions().catch(() => undefined);
  return data;
}

/** Placeholder levels that add nothing to a name: 北京市 / 市辖区 / 东城区 reads 北京市 东城区. */
const FILLERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** '110101' -> '北京市 东城区'; the code itself while the data loads or when it is unknown. */
export function regionText(code: string | null | undefined): string {
  if (!code) return '';
  const names = data.value?.codeToText;
  if (!names) return code;
  const parts = [2, 4, 6, 9]
    .filter((length) => length <= code.length)
    .map((length) => names[code.slice(0, length)])
    .filter((name): name is string => typeof name === 'string' && !FILLERS.has(name));
  return parts.length > 0 ? parts.join(' ') : code;
}

/**
 * Cascader options. The four cities without districts (东莞, 中山, 儋州, 嘉峪关) list towns
 * with 9-digit codes; the built-in region field takes 2, 4 or 6 digits only, so `towns: false`
 * leaves them out and the city itself is the choice.
 */
export function regionOptions(source: Division[], towns: boolean): CascaderOption[] {
  const prune = (options: Division[]): CascaderOption[] =>
    options
      .filter((option) => towns || option.value.length <= 6)
      .map((option) => {
        const children = option.children ? prune(option.children) : [];
        return children.length > 0 ? { value: option.value, label: option.label, children } : { value: option.value, label: option.label };
      });
  return prune(source);
}
