import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listUsers, resetUserPassword, updateUser, type StaffUser, type UserStatus } from '@/api/users';
import { useRoleLookup, useStoreLookup } from '@/composables/use-lookups';
import { useClientList } from '@/composables/use-client-list';
import { replaceRow, useBusyRows, useEditDialog } from '@/composables/use-row-actions';
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
  const list = useClientList({ keyword: '', status: '', roleCode: '', storeId: '' }, async ({ keyword, status, roleCode, storeId }) => {
    const result = await listUsers({
      keyword: keyword || undefined,
      status: (status || undefined) as UserStatus | undefined,
      roleCode: roleCode || undefined,
      storeId: storeId ? Number(storeId) : undefined,
    });
    return result.items;
  });
  const dialog = useEditDialog<StaffUser>();
  const { busy, run } = useBusyRows();
  const sessionsVisible = ref(false);
  const sessionsUser = ref<StaffUser | null>(null);
  const secretVisible = ref(false);
  const secret = ref<SecretShown>({ title: '', description: '', secret: '' });
  onMounted(() => {
    void storeLookup.loadStores();
    void roleLookup.loadRoles();
  });

  function replace(user: StaffUser): void {
    replaceRow(list.items.value, user);
  }

  function showSecret(shown: SecretShown): void {
    secret.value = shown;
    secretVisible.value = true;
  }

  function onCreated(user: StaffUser, initialPassword: string | undefined): void {
    void list.load();
    if (initialPassword) {
      showSecret({
        title: t('users.initialPasswordTitle'),
        description: t('users.initialPasswordText', { name: user.displayName, username: user.username }),
        secret: initialPassword,
      });
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
    await run(user.id, async () => {
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
    await run(user.id, async () => {
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
    ...list,
    ...storeLookup,
    ...roleLookup,
    ...dialog,
    busy,
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
