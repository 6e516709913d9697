import { onBeforeUnmount, ref, watch } from 'vue';
import { previewOrder, type OrderBody, type OrderPreview } from '@/api/orders';

const PREVIEW_DELAY_MS = 300;

export interface PreviewHooks {
  /** A preview came back for `pricingKey` (what priced it). */
  onResult: (result: OrderPreview, pricingKey: string) => void;
  /** The server refused the sale as it stands (a hard error, the same the checkout would give). */
  onError: (error: unknown, body: OrderBody) => void;
  /** Nothing to price any more. */
  onEmpty: () => void;
}

/**
 * The server's preview of the sale, asked ~300 ms after the last change (one request at a
 * time: a newer change cancels the older request, and an older answer never overwrites a
 * newer one). When an answer changes the body itself (the first payable fills in the rest
 * payment), the preview is asked again at once.
 */
export function useOrderPreview(body: () => OrderBody | null, pricingKey: () => string, hooks: PreviewHooks) {
  const preview = ref<OrderPreview | null>(null);
  /** the last preview failed: what it shows is no longer this sale */
  const failed = ref(false);
  /** a change is waiting for its preview */
  const pending = ref(false);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let sequence = 0;
  /** the body of the last preview asked for, so asking again for the same is skipped */
  let lastSent = '';
  let settled: Promise<void> = Promise.resolve();

  async function run(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    controller?.abort();
    const sent = body();
    if (!sent) {
      lastSent = '';
      preview.value = null;
      failed.value = false;
      pending.value = false;
      hooks.onEmpty();
      return;
    }
    const mine = ++sequence;
    const key = pricingKey();
    lastSent = JSON.stringify(sent);
    controller = new AbortController();
    try {
      const result = await previewOrder(sent, controller.signal);
      if (mine !== sequence) return;
      preview.value = result;
      failed.value = false;
      hooks.onResult(result, key);
      if (JSON.stringify(body()) !== lastSent) settled = run();
    } catch (error) {
      if (mine !== sequence || (error instanceof DOMException && error.name === 'AbortError')) return;
      failed.value = true;
      hooks.onError(error, sent);
    } finally {
      if (mine === sequence) pending.value = false;
    }
  }

  watch(
    () => JSON.stringify(body()),
    (next) => {
      if (next === lastSent && timer === undefined) return;
      pending.value = true;
      clearTimeout(timer);
      timer = setTimeout(() => {
        settled = run();
      }, PREVIEW_DELAY_MS);
    },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  /** Resolves once the preview on screen is the preview of the sale on screen (asking now if it is not). */
  async function settle(): Promise<void> {
    for (let round = 0; round < 3 && (timer !== undefined || JSON.stringify(body()) !== lastSent); round += 1) {
      settled = run();
      await settled;
    }
    await settled;
  }

  function clear(): void {
    preview.value = null;
    failed.value = false;
  }

  /** Asks again for the same sale: something it shows changed elsewhere (a top-up at the counter). */
  function refresh(): Promise<void> {
    settled = run();
    return settled;
  }

  return { preview, failed, pending, settle, clear, refresh };
}
