import { computed, onMounted, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { isApiError, saveFile } from '@/api/http';
import {
  downloadPersonalData,
  eraseMember,
  freezeMember,
  getMember,
  getMemberOverview,
  revealMember,
  unfreezeMember,
  type Member,
  type MemberOverview,
} from '@/api/members';
import { listUsers, type StaffUser } from '@/api/users';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useAuthStore } from '@/stores/auth';
import { useMemberFieldsStore } from '@/stores/member-fields';
import { ElMessage } from '@/utils/message';
import { memberNameAndCard, memberTitle } from '../shared/member-labels';

export const DETAIL_TABS = ['profile', 'activity', 'consents', 'orders', 'points', 'wallet', 'coupons', 'tags', 'tiers'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

/** What the reason dialog is asking a reason for. */
export type ReasonAction = { kind: 'freeze' } | { kind: 'unfreeze' } | { kind: 'reveal'; field: string };

/**
 * The member 360 page: the overview (profile, balances, activity) through the user's field
 * policy, the tab in the URL, and the actions on the member (edit, freeze, reveal a masked
 * value, export or erase personal data), each reloading what it changed.
 */
export function useMemberDetail() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();
  const memberFields = useMemberFieldsStore();
  const storeLookup = useStoreLookup();

  const id = computed(() => Number(route.params.id));
  const overview = ref<MemberOverview | null>(null);
  const member = computed<Member | null>(() => overview.value?.member ?? null);
  const loading = ref(false);
  const loadError = ref('');
  const notFound = ref(false);
  const busy = ref(false);
  /** unmasked values the user revealed, by field path */
  const revealed = reactive<Record<string, unknown>>({});
  const referrer = ref<Member | null>(null);
  const staff = ref<StaffUser[]>([]);

  const editVisible = ref(false);
  const reasonAction = ref<ReasonAction | null>(null);
  const reasonVisible = ref(false);
  const eraseVisible = ref(false);

  const tab = computed<DetailTab>({
    get: () => {
      const value = route.query.tab;
      return (DETAIL_TABS as readonly string[]).includes(String(value)) ? (value as DetailTab) : 'profile';
    },
    set: (next) => void router.replace({ query: { ...route.query, tab: next === 'profile' ? undefined : next } }),
  });

  const erased = computed(() => member.value?.status === 'erased');
  const title = computed(() => (member.value ? memberTitle(member.value, t) : ''));

  async function load(): Promise<void> {
    if (!Number.isInteger(id.value) || id.value < 1) {
      notFound.value = true;
      return;
    }
    loading.value = true;
    loadError.value = '';
    notFound.value = false;
    try {
      overview.value = await getMemberOverview(id.value);
      void loadReferrer();
    } catch (error) {
      notFound.value = isApiError(error, 'MEMBER_NOT_FOUND');
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }

  async function loadReferrer(): Promise<void> {
    const referrerId = member.value?.referrerId;
    referrer.value = null;
    if (!referrerId) return;
    try {
      referrer.value = await getMember(referrerId);
    } catch {
      referrer.value = null; // the link still works with the id
    }
  }

  async function loadStaff(): Promise<void> {
    if (!auth.can('system:user:view')) return;
    try {
      staff.value = (await listUsers()).items;
    } catch {
      staff.value = [];
    }
  }

  const staffName = (userId: number) => staff.value.find((user) => user.id === userId)?.displayName ?? `#${userId}`;

  onMounted(() => {
    void load();
    void memberFields.load();
    void storeLookup.loadStores();
    void loadStaff();
  });
  watch(id, () => {
    for (const key of Object.keys(revealed)) delete revealed[key];
    void load();
  });

  /** The masked fields the user may ask to see in clear. */
  function canReveal(path: string): boolean {
    if (!auth.can('member:member:reveal') || erased.value || path in revealed) return false;
    const field = path.startsWith('custom.') ? memberFields.customByKey.get(path.slice(7)) : memberFields.builtinByKey.get(path);
    return field?.level === 'masked';
  }

  function askReveal(field: string): void {
    reasonAction.value = { kind: 'reveal', field };
    reasonVisible.value = true;
  }

  function askFreeze(): void {
    reasonAction.value = { kind: member.value?.status === 'frozen' ? 'unfreeze' : 'freeze' };
    reasonVisible.value = true;
  }

  async function run<T>(action: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    try {
      return await action();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** The reason dialog confirmed: freeze, unfreeze or reveal. Resolves whether it worked (the dialog closes then). */
  async function onReason(reason: string): Promise<boolean> {
    const action = reasonAction.value;
    const current = member.value;
    if (!action || !current) return false;
    const name = memberNameAndCard(current, t);
    if (action.kind === 'reveal') {
      const result = await run(() => revealMember(current.id, [action.field], reason));
      if (!result) return false;
      revealed[action.field] = result.values[action.field] ?? null;
      return true;
    }
    const done = await run(() => (action.kind === 'freeze' ? freezeMember(current.id, reason) : unfreezeMember(current.id, reason || undefined)));
    if (!done) return false;
    ElMessage.success(t(action.kind === 'freeze' ? 'members.detail.frozen' : 'members.detail.unfrozen', { name }));
    await load();
    return true;
  }

  async function exportData(): Promise<void> {
    const current = member.value;
    if (!current) return;
    const file = await run(() => downloadPersonalData(current.id));
    if (!file) return;
    saveFile(file);
    ElMessage.success(t('members.detail.exported', { name: file.filename }));
  }

  async function onErase(reason: string): Promise<boolean> {
    const current = member.value;
    if (!current) return false;
    const name = memberNameAndCard(current, t);
    const result = await run(() => eraseMember(current.id, reason));
    if (!result) return false;
    ElMessage.success(t('members.detail.erasedDone', { name }));
    for (const key of Object.keys(revealed)) delete revealed[key];
    await load();
    return true;
  }

  function onSaved(): void {
    void load();
  }

  return {
    ...storeLookup,
    memberFields,
    id,
    overview,
    member,
    title,
    erased,
    loading,
    loadError,
    notFound,
    busy,
    revealed,
    referrer,
    staffName,
    tab,
    load,
    canReveal,
    askReveal,
    askFreeze,
    reasonAction,
    reasonVisible,
    onReason,
    exportData,
    eraseVisible,
    onErase,
    editVisible,
    onSaved,
  };
}
