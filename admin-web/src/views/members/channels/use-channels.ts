import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listChannels, updateChannel, type Channel, type ChannelStatus } from '@/api/registration-channels';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useUrlQuery } from '@/composables/use-url-query';
import { copyText } from '@/utils/clipboard';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';

/**
 * 注册渠道: the channels of the user's stores (filters in the URL, pages cut here: a chain
 * has tens of channels), their form, their QR codes, and pausing or activating them.
 */
export function useChannels() {
  const { t } = useI18n();
  const storeLookup = useStoreLookup();
  const items = ref<Channel[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  /** channel ids whose status change is waiting for the server */
  const switching = ref<Set<number>>(new Set());

  const dialogVisible = ref(false);
  const editing = ref<Channel | null>(null);
  const qrVisible = ref(false);
  const qrChannel = ref<Channel | null>(null);

  const query = useUrlQuery({ keyword: '', storeId: '', status: '' }, (filtersChanged) => {
    if (filtersChanged) void load();
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const { keyword, storeId, status } = query.applied.value;
      const result = await listChannels({
        keyword: keyword.trim() || undefined,
        storeId: storeId ? Number(storeId) : undefined,
        status: (status || undefined) as ChannelStatus | undefined,
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
  });

  const pageItems = computed(() => {
    const start = (query.page.value - 1) * query.pageSize.value;
    return items.value.slice(start, start + query.pageSize.value);
  });
  const filtered = computed(() => Object.values(query.applied.value).some((value) => value !== ''));

  function openCreate(): void {
    editing.value = null;
    dialogVisible.value = true;
  }

  function openEdit(channel: Channel): void {
    editing.value = channel;
    dialogVisible.value = true;
  }

  function openQr(channel: Channel): void {
    qrChannel.value = channel;
    qrVisible.value = true;
  }

  /** A saved channel replaces its row; a new one reloads (it may not match the filters). */
  function onSaved(channel: Channel): void {
    const index = items.value.findIndex((item) => item.id === channel.id);
    if (index >= 0) items.value.splice(index, 1, channel);
    else void load();
    if (qrChannel.value?.id === channel.id) qrChannel.value = channel;
  }

  /** Activating needs no confirmation; pausing closes a page whose QR code may hang on a wall, so it asks. */
  async function setStatus(channel: Channel, status: ChannelStatus): Promise<void> {
    if (status === 'paused') {
      const ok = await confirmDanger({
        title: t('memberChannels.pauseTitle'),
        message: t('memberChannels.pauseConfirm', { name: channel.name, code: channel.code }),
        confirmText: t('memberChannels.pause'),
        testId: 'channel-pause',
      });
      if (!ok) return;
    }
    switching.value.add(channel.id);
    try {
      onSaved(await updateChannel(channel.id, { status }));
      ElMessage.success(t(status === 'active' ? 'memberChannels.activated' : 'memberChannels.paused', { name: channel.name }));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      switching.value.delete(channel.id);
    }
  }

  async function copyLink(channel: Channel): Promise<void> {
    if (await copyText(channel.url)) ElMessage.success(t('memberChannels.copied'));
    else ElMessage.warning(t('memberChannels.copyFailed'));
  }

  return {
    ...query,
    ...storeLookup,
    items,
    pageItems,
    filtered,
    loading,
    loadError,
    load,
    switching,
    dialogVisible,
    editing,
    openCreate,
    openEdit,
    onSaved,
    qrVisible,
    qrChannel,
    openQr,
    setStatus,
    copyLink,
  };
}
