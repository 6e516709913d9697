import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listApiKeys, revokeApiKey, type ApiKey } from '@/api/api-keys';
import { useStoreLookup } from '@/composables/use-lookups';
import { useClientList } from '@/composables/use-client-list';
import { useBusyRows } from '@/composables/use-row-actions';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export function apiKeyStatus(key: ApiKey, now: number = Date.now()): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

/** `hj_ab12cd34…`: enough to tell keys apart, never the secret. */
export function displayPrefix(prefix: string): string {
  return `${prefix.startsWith('hj_') ? prefix : `hj_${prefix}`}…`;
}

export function useApiKeys() {
  const { t } = useI18n();
  const storeLookup = useStoreLookup();
  // Keys are few, and their status depends on the clock: the status filter works on the loaded list.
  const list = useClientList({ status: '' }, async () => (await listApiKeys()).items, {
    narrow: (items, { status }) => (status ? items.filter((key) => apiKeyStatus(key) === status) : items),
  });
  const { busy, run } = useBusyRows();
  const formVisible = ref(false);
  const secretVisible = ref(false);
  const created = ref<{ name: string; secret: string }>({ name: '', secret: '' });
  onMounted(() => void storeLookup.loadStores());

  function onCreated(apiKey: ApiKey, secret: string): void {
    list.items.value.unshift(apiKey);
    created.value = { name: apiKey.name, secret };
    secretVisible.value = true;
  }

  async function revoke(key: ApiKey): Promise<void> {
    const ok = await confirmDanger({
      title: t('apiKeys.revokeTitle'),
      message: t('apiKeys.revokeConfirm', { name: key.name, prefix: displayPrefix(key.prefix) }),
      confirmText: t('apiKeys.revoke'),
      testId: 'apikey-revoke',
    });
    if (!ok) return;
    await run(key.id, async () => {
      await revokeApiKey(key.id);
      ElMessage.success(t('apiKeys.revoked', { name: key.name }));
      await list.load();
    });
  }

  return { ...list, ...storeLookup, busy, revoke, formVisible, secretVisible, created, onCreated };
}
