import { computed, onMounted, ref } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/http';
import type { CustomField } from '@/api/member-fields';
import type { MemberExportQuery } from '@/api/member-files';
import { listMembers, MEMBER_SORTS, type Member, type MemberQuery, type MemberSort, type MemberStatus } from '@/api/members';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { useMemberFieldsStore } from '@/stores/member-fields';
import { yuanToFen } from '@/utils/format';
import { localLabel } from '@/utils/label';
import { ADVANCED_FILTERS, VIEW_KEYS, emptyMemberFilters, memberFilterRules, type MemberFilters } from './rule';

const CUSTOM_PREFIX = 'custom.';

/**
 * 会员列表: filters, sort and the keyset cursors in the URL, one page of members at a time
 * (the server counts nothing, so paging is 上一页 / 下一页), columns and filters only for the
 * fields the user's roles show.
 */
export function useMemberList() {
  const { t } = useI18n();
  const router = useRouter();
  const memberFields = useMemberFieldsStore();
  const storeLookup = useStoreLookup();

  const items = ref<Member[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadError = ref('');
  const dialogVisible = ref(false);

  const query = useUrlQuery<MemberFilters>(
    emptyMemberFilters(),
    (filtersChanged) => {
      if (filtersChanged) void load();
    },
    { dynamicPrefix: CUSTOM_PREFIX },
  );
  const { filters, applied, pageSize } = query;
  const filterRules = computed(() => memberFilterRules(t, filters));

  const cursors = computed(() => (applied.value.after ? applied.value.after.split(',').filter(Boolean) : []));
  const pageNumber = computed(() => cursors.value.length + 1);

  const customFilters = computed<CustomField[]>(() =>
    (memberFields.fields?.custom ?? []).filter((field) => field.searchable && !field.retired).sort((a, b) => a.order - b.order),
  );
  const customByKey = computed(() => memberFields.customByKey);

  const filtered = computed(() => Object.entries(applied.value).some(([key, value]) => !VIEW_KEYS.has(key) && value !== ''));
  // Past three fields the filter bar folds (CONSOLE.md); it starts open when a folded field is in use.
  const advanced = ref(
    ADVANCED_FILTERS.some((key) => applied.value[key] !== '') || Object.keys(applied.value).some((key) => key.startsWith(CUSTOM_PREFIX)),
  );

  function customValue(key: string, value: string): string {
    // Money is typed in yuan like every amount on screen; the server matches fen.
    const field = customByKey.value.get(key);
    if (field?.type === 'money' && value.trim() !== '' && Number.isFinite(Number(value))) return String(yuanToFen(Number(value)));
    return value.trim();
  }

  function serverQuery(current: MemberFilters): MemberQuery {
    const number = (value: string) => (value.trim() === '' ? undefined : Number(value));
    const fen = (value: string) => (value.trim() === '' ? undefined : yuanToFen(Number(value)));
    const sort = (MEMBER_SORTS as readonly string[]).includes(current.sort) ? (current.sort as MemberSort) : undefined;
    const result: MemberQuery = {
      keyword: current.keyword.trim() || undefined,
      storeId: number(current.storeId),
      status: (current.status || undefined) as MemberStatus | undefined,
      channel: current.channel.trim() || undefined,
      registeredFrom: current.registeredFrom || undefined,
      registeredTo: current.registeredTo || undefined,
      birthdayMonth: number(current.birthdayMonth),
      spendMin: fen(current.spendMin),
      spendMax: fen(current.spendMax),
      sort,
      order: sort && (current.order === 'asc' || current.order === 'desc') ? current.order : undefined,
      limit: pageSize.value,
      cursor: cursors.value[cursors.value.length - 1],
    };
    for (const [key, value] of Object.entries(current)) {
      if (key.startsWith(CUSTOM_PREFIX) && value.trim() !== '') result[key as `custom.${string}`] = customValue(key.slice(CUSTOM_PREFIX.length), value);
    }
    return result;
  }

  /** What 导出 sends: the applied filters and sort, every page. */
  function exportQuery(): MemberExportQuery {
    const { limit: _limit, cursor: _cursor, ...rest } = serverQuery(applied.value);
    return rest;
  }

  function listErrorMessage(error: unknown): string {
    if (!isApiError(error, 'VALIDATION_FAILED')) return errorMessage(error, t('common.unknownError'));
    const label = (path: string) => {
      const custom = path.startsWith(CUSTOM_PREFIX) ? customByKey.value.get(path.slice(CUSTOM_PREFIX.length)) : undefined;
      if (custom) return localLabel(custom.label, custom.key);
      const builtin = memberFields.builtinByKey.get(path);
      return builtin ? localLabel(builtin.label, path) : path;
    };
    const fields = Object.entries(error.fieldErrorsByPath()).map(([path, message]) => `${label(path)}: ${message}`);
    return fields.length > 0 ? fields.join('; ') : error.message;
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const page = await listMembers(serverQuery(applied.value));
      items.value = page.items;
      nextCursor.value = page.nextCursor;
    } catch (error) {
      // 403 FIELD_FILTER_FORBIDDEN names the filter the user's roles may not use; a 422 says which filter is wrong.
      loadError.value = listErrorMessage(error);
      items.value = [];
      nextCursor.value = null;
    } finally {
      loading.value = false;
    }
  }

  onMounted(() => {
    void load();
    void memberFields.load();
    void storeLookup.loadStores();
  });

  /** Called once the filter form has validated (ListPage does that); a new search starts at page 1. */
  function search(): void {
    filters.after = '';
    query.search();
  }

  function nextPage(): void {
    if (nextCursor.value) query.navigate({ after: [...cursors.value, nextCursor.value].join(',') });
  }

  function previousPage(): void {
    query.navigate({ after: cursors.value.slice(0, -1).join(',') });
  }

  function setPageSize(size: number): void {
    query.navigate({ after: '' }, size);
  }

  /** A column header's sort: the server's default order (newest registrations first) when cleared. */
  function sortBy(sort: string | null, order: 'ascending' | 'descending' | null): void {
    const active = sort && order;
    query.navigate({ sort: active ? sort : '', order: active ? (order === 'ascending' ? 'asc' : 'desc') : '', after: '' });
  }

  const defaultSort = computed(() =>
    applied.value.sort ? { prop: applied.value.sort, order: applied.value.order === 'asc' ? ('ascending' as const) : ('descending' as const) } : undefined,
  );

  function openMember(member: Member): void {
    void router.push({ name: 'member-detail', params: { id: member.id } });
  }

  function onCreated(): void {
    void load();
  }

  return {
    ...query,
    ...storeLookup,
    memberFields,
    filterRules,
    items,
    nextCursor,
    loading,
    loadError,
    load,
    exportQuery,
    search,
    cursors,
    pageNumber,
    nextPage,
    previousPage,
    setPageSize,
    sortBy,
    defaultSort,
    filtered,
    advanced,
    customFilters,
    dialogVisible,
    openMember,
    onCreated,
    customByKey,
  };
}
