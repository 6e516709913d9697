import { reactive, ref, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

export type QueryFilters = Record<string, string>;

const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;

function text(value: LocationQuery[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export interface UrlQueryOptions {
  /**
   * Query keys starting with this prefix are filters too, though not known in advance
   * (`custom.` for the member list's custom fields); they default to ''.
   */
  dynamicPrefix?: string;
}

/**
 * A list page's filters and page, kept in the URL so a view can be bookmarked and shared.
 * The form edits `filters`; `search()` writes them to the URL and the URL drives `onChange`,
 * so back/forward and a pasted link behave the same as a click. `onChange(filtersChanged)`
 * says whether the filters moved (reload from the server) or only the page did.
 */
export function useUrlQuery<F extends QueryFilters>(defaults: F, onChange: (filtersChanged: boolean) => void, options: UrlQueryOptions = {}) {
  const route = useRoute();
  const router = useRouter();
  const routeName = route.name;
  const filters = reactive({ ...defaults }) as F;
  /** the filters as the URL has them, i.e. as last applied */
  const applied = ref<F>({ ...defaults });
  const page = ref(1);
  const pageSize = ref(DEFAULT_PAGE_SIZE);

  const prefix = options.dynamicPrefix;
  const isDynamic = (key: string) => prefix !== undefined && key.startsWith(prefix) && !(key in defaults);

  /** Drops the dynamic keys from the form model, before it takes new values. */
  function clearDynamic(): void {
    for (const key of Object.keys(filters)) if (isDynamic(key)) delete (filters as QueryFilters)[key];
  }

  function read(query: LocationQuery): void {
    const next = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof F)[]) {
      const value = text(query[key as string]);
      if (value !== undefined) next[key] = value as F[keyof F];
    }
    for (const key of Object.keys(query)) {
      const value = text(query[key]);
      if (isDynamic(key) && value !== undefined) (next as QueryFilters)[key] = value;
    }
    clearDynamic();
    Object.assign(filters, next);
    applied.value = next;
    page.value = positiveInt(text(query.page), 1);
    const size = positiveInt(text(query.size), DEFAULT_PAGE_SIZE);
    pageSize.value = (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
  }

  function build(nextFilters: F, nextPage: number, nextSize: number): LocationQueryRaw {
    const query: LocationQueryRaw = {};
    for (const [key, value] of Object.entries(nextFilters)) {
      const trimmed = value.trim();
      if (trimmed !== '' && trimmed !== (defaults as QueryFilters)[key]) query[key] = trimmed;
    }
    if (nextPage > 1) query.page = String(nextPage);
    if (nextSize !== DEFAULT_PAGE_SIZE) query.size = String(nextSize);
    return query;
  }

  function go(query: LocationQueryRaw): void {
    const same = JSON.stringify(query) === JSON.stringify(build(applied.value, page.value, pageSize.value));
    // Searching again with the same filters is a refresh, and the URL does not move for it.
    if (same) onChange(true);
    else void router.push({ query });
  }

  function search(): void {
    go(build({ ...filters }, 1, pageSize.value));
  }

  function reset(): void {
    clearDynamic();
    Object.assign(filters, defaults);
    go(build({ ...defaults }, 1, pageSize.value));
  }

  function setPage(next: number): void {
    go(build(applied.value, next, pageSize.value));
  }

  function setPageSize(next: number): void {
    go(build(applied.value, 1, next));
  }

  /** Sets filters from code (a link from another page's result) and searches. */
  function searchWith(patch: Partial<F>): void {
    clearDynamic();
    Object.assign(filters, defaults, patch);
    search();
  }

  /**
   * Changes the applied filters by `patch` (a keyset cursor, a column's sort), whatever the
   * form holds unsearched; `size` changes the page size at the same time.
   */
  function navigate(patch: Partial<F>, size: number = pageSize.value): void {
    go(build({ ...applied.value, ...patch }, 1, size));
  }

  read(route.query);
  watch(
    () => route.query,
    (query) => {
      // Leaving the page changes the query too; only this page's own URL counts.
      if (route.name !== routeName) return;
      const before = JSON.stringify(applied.value);
      read(query);
      onChange(JSON.stringify(applied.value) !== before);
    },
  );

  return { filters, applied, page, pageSize, pageSizes: PAGE_SIZES, search, reset, setPage, setPageSize, searchWith, navigate };
}
