import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listApiKeys, revokeApiKey, type ApiKey } from '@/api/api-keys';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
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
  const items = ref<ApiKey[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  const revoking = ref<number | null>(null);
  const formVisible = ref(false);
  const secretVisible = ref(false);
  const created = ref<{ name: string; secret: string }>({ name: '', secret: '' });

  const query = useUrlQuery({ status: '' }, () => undefined);

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      items.value = (await listApiKeys()).items;
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
  });

  // Keys are few; the status filter works on the loaded list.
  const shown = computed(() => (query.applied.value.status ? items.value.filter((key) => apiKeyStatus(key) === query.applied.value.status) : items.value));
  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return shown.value.slice(start, start + query.pageSize.value);
  });

  function onCreated(apiKey: ApiKey, secret: string): void {
    items.value.unshift(apiKey);
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
    revoking.value = key.id;
    try {
      await revokeApiKey(key.id);
      ElMessage.success(t('apiKeys.revoked', { name: key.name }));
      await load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      revoking.value = null;
    }
  }

  return {
    ...query,
    ...storeLookup,
    items,
    shown,
    pageItems,
    loading,
    loadError,
    load,
    revoking,
    revoke,
    formVisible,
    secretVisible,
    created,
    onCreated,
  };
}
