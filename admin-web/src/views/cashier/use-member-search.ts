import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { getMember, listMembers, type Member } from '@/api/members';
import { errorMessage } from '@/composables/use-server-errors';

const MATCHES = 10;

/**
 * The counter's member search. One keyword means what its shape says (the server decides:
 * a whole phone, the last four digits, a card number, a scanned card code, a name's start);
 * one match is taken at once, several make a pick list walked with ↑ ↓ and Enter.
 */
export function useMemberSearch(onPicked: (member: Member) => void) {
  const { t } = useI18n();
  const keyword = ref('');
  const matches = ref<Member[]>([]);
  const active = ref(0);
  const searching = ref(false);
  const message = ref('');

  function clear(): void {
    keyword.value = '';
    matches.value = [];
    active.value = 0;
    message.value = '';
  }

  async function pick(member: Member): Promise<void> {
    searching.value = true;
    try {
      // The list row may lack the balances; the member itself has them, fresh.
      onPicked(await getMember(member.id));
      clear();
    } catch (error) {
      message.value = errorMessage(error, t('common.unknownError'));
    } finally {
      searching.value = false;
    }
  }

  async function search(): Promise<void> {
    const text = keyword.value.trim();
    if (text === '' || searching.value) return;
    // Enter on an open pick list takes the highlighted member.
    if (matches.value.length > 0) {
      await pick(matches.value[active.value]);
      return;
    }
    searching.value = true;
    message.value = '';
    try {
      const page = await listMembers({ keyword: text, limit: MATCHES });
      const found = page.items.filter((member) => member.status !== 'erased');
      if (found.length === 0) message.value = t('cashier.member.notFound', { keyword: text });
      else if (found.length === 1) {
        searching.value = false;
        await pick(found[0]);
      } else {
        matches.value = found;
        active.value = 0;
      }
    } catch (error) {
      message.value = errorMessage(error, t('common.unknownError'));
    } finally {
      searching.value = false;
    }
  }

  /** Typing again after a pick list starts a new search. */
  function onType(): void {
    matches.value = [];
    message.value = '';
  }

  function move(step: number): void {
    if (matches.value.length === 0) return;
    active.value = (active.value + step + matches.value.length) % matches.value.length;
  }

  return { keyword, matches, active, searching, message, search, pick, move, onType, clear };
}
