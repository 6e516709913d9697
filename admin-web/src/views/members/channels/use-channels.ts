import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listChannels, updateChannel, type Channel, type ChannelStatus } from '@/api/registration-channels';
import { useStoreLookup } from '@/composables/use-lookups';
import { useClientList } from '@/composables/use-client-list';
import { replaceRow, useBusyRows, useEditDialog } from '@/composables/use-row-actions';
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
  const list = useClientList({ keyword: '', storeId: '', status: '' }, async ({ keyword, storeId, status }) => {
    const result = await listChannels({
      keyword: keyword.trim() || undefined,
      storeId: storeId ? Number(storeId) : undefined,
      status: (status || undefined) as ChannelStatus | undefined,
    });
    return result.items;
  });
  const dialog = useEditDialog<Channel>();
  const { busy, run } = useBusyRows();
  const qrVisible = ref(false);
  const qrChannel = ref<Channel | null>(null);
  onMounted(() => void storeLookup.loadStores());

  function openQr(channel: Channel): void {
    qrChannel.value = channel;
    qrVisible.value = true;
  }

  /** A saved channel replaces its row; a new one reloads (it may not match the filters). */
  function onSaved(channel: Channel): void {
    if (!replaceRow(list.items.value, channel)) void list.load();
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
    await run(channel.id, async () => {
      onSaved(await updateChannel(channel.id, { status }));
      ElMessage.success(t(status === 'active' ? 'memberChannels.activated' : 'memberChannels.paused', { name: channel.name }));
    });
  }

  async function copyLink(channel: Channel): Promise<void> {
    if (await copyText(channel.url)) ElMessage.success(t('memberChannels.copied'));
    else ElMessage.warning(t('memberChannels.copyFailed'));
  }

  return { ...list, ...storeLookup, ...dialog, busy, onSaved, qrVisible, qrChannel, openQr, setStatus, copyLink };
}
