import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listUsers, resetUserPassword, updateUser, type StaffUser, type UserStatus } from '@/api/users';
import { useRoleLookup, useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';

export interface SecretShown {
  title: string;
  description: string;
  secret: string;
}

export function useUsers() {
  const { t } = useI18n();
  const storeLookup = useStoreLookup();
  const roleLookup = useRoleLookup();
  const items = ref<StaffUser[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  const busy = ref<Set<number>>(new Set());

  const formVisible = ref(false);
  const editing = ref<StaffUser | null>(null);
  const sessionsVisible = ref(false);
  const sessionsUser = ref<StaffUser | null>(null);
  const secretVisible = ref(false);
  const secret = ref<SecretShown>({ title: '', description: '', secret: '' });

  const query = useUrlQuery({ keyword: '', status: '', roleCode: '', storeId: '' }, (filtersChanged) => {
    if (filtersChanged) void load();
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const { keyword, status, roleCode, storeId } = query.applied.value;
      const result = await listUsers({
        keyword: keyword || undefined,
        status: (status || undefined) as UserStatus | undefined,
        roleCode: roleCode || undefined,
        storeId: storeId ? Number(storeId) : undefined,
      });
      items.value = result.items;
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
      items.value = [];
    } finally {
      loading.value = false;
    }
  }
  onMounted(() => {
    void load();
    void storeLookup.loadStores();
    void roleLookup.loadRoles();
  });

  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return items.value.slice(start, start + query.pageSize.value);
  });
  const filtered = computed(() => Object.values(query.applied.value).some((value) => value !== ''));

  function replace(user: StaffUser): void {
    const index = items.value.findIndex((item) => item.id === user.id);
    if (index >= 0) items.value.splice(index, 1, user);
  }

  function openCreate(): void {
    editing.value = null;
    formVisible.value = true;
  }

  function openEdit(user: StaffUser): void {
    editing.value = user;
    formVisible.value = true;
  }

  function showSecret(shown: SecretShown): void {
    secret.value = shown;
    secretVisible.value = true;
  }

  function onCreated(user: StaffUser, initialPassword: string | undefined): void {
    void load();
    if (initialPassword) {
      showSecret({
        title: t('users.initialPasswordTitle'),
        description: t('users.initialPasswordText', { name: user.displayName, username: user.username }),
        secret: initialPassword,
      });
    }
  }

  async function withBusy(user: StaffUser, work: () => Promise<void>): Promise<void> {
    busy.value.add(user.id);
    try {
      await work();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      busy.value.delete(user.id);
    }
  }

  async function setStatus(user: StaffUser, status: UserStatus): Promise<void> {
    if (status === 'disabled') {
      const ok = await confirmDanger({
        title: t('users.disableTitle'),
        message: t('users.disableConfirm', { name: user.displayName, username: user.username }),
        confirmText: t('users.disable'),
        testId: 'user-disable',
      });
      if (!ok) return;
    }
    await withBusy(user, async () => {
      replace(await updateUser(user.id, { status }));
      ElMessage.success(t(status === 'active' ? 'users.enabled' : 'users.disabled', { name: user.displayName }));
    });
  }

  async function resetPassword(user: StaffUser): Promise<void> {
    const ok = await confirmDanger({
      title: t('users.resetTitle'),
      message: t('users.resetConfirm', { name: user.displayName, username: user.username }),
      confirmText: t('users.resetButton'),
      testId: 'user-reset',
    });
    if (!ok) return;
    await withBusy(user, async () => {
      const { initialPassword } = await resetUserPassword(user.id);
      replace({ ...user, mustChangePassword: true });
      showSecret({
        title: t('users.resetDoneTitle'),
        description: t('users.initialPasswordText', { name: user.displayName, username: user.username }),
        secret: initialPassword,
      });
    });
  }

  function openSessions(user: StaffUser): void {
    sessionsUser.value = user;
    sessionsVisible.value = true;
  }

  return {
    ...query,
    ...storeLookup,
    ...roleLookup,
    items,
    pageItems,
    filtered,
    loading,
    loadError,
    load,
    busy,
    formVisible,
    editing,
    openCreate,
    openEdit,
    onCreated,
    replace,
    setStatus,
    resetPassword,
    sessionsVisible,
    sessionsUser,
    openSessions,
    secretVisible,
    secret,
  };
}
