/**
 * The phone's queue as the worker's page sees it: what waits, what was refused, and whether it
 * can send now. Sends when it is told to, when the connection comes back, when the page is shown
 * again, and every half minute while something waits. A send that did not get through is tried
 * again soon (after 1, 2, 4, 8 and 16 seconds): a phone can say it is online while nothing gets
 * through yet, and then no "online" event follows when the connection really comes back.
 */
import { HourQueue, outcomeOf, queueKey, type KeyValueStore, type QueuedItem, type Refusal, type SendOutcome } from './queue';

export type QueueStatus = 'idle' | 'sending' | 'offline' | 'retry' | 'signed_out';

const SEND_URL = '/werk/versturen';
const RETRY_EVERY_MS = 30_000;
const RETRY_SOON_MS = [1_000, 2_000, 4_000, 8_000, 16_000] as const;
const SEND_TIMEOUT_MS = 20_000;

/** localStorage, or a store that lives as long as the page where the browser will not give it. */
function browserStore(): KeyValueStore {
  try {
    const probe = '__buurtservice_probe__';
    localStorage.setItem(probe, probe);
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    const memory = new Map<string, string>();
    return { getItem: (key) => memory.get(key) ?? null, setItem: (key, value) => void memory.set(key, value) };
  }
}

async function post(item: QueuedItem, fallbackMessage: string): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(SEND_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(item),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch {
    return { result: 'retry' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // No JSON (a proxy's error page): the status says enough.
  }
  return outcomeOf(response.status, body, fallbackMessage);
}

export class HoursQueue {
  items = $state<QueuedItem[]>([]);
  refused = $state<Refusal[]>([]);
  status = $state<QueueStatus>('idle');
  /** Something went out since the page opened: then "everything has been sent" is worth saying. */
  sentSome = $state(false);

  #queue: HourQueue | null = null;
  #refresh: () => Promise<void> = () => Promise.resolve();
  #fallbackMessage = '';
  /** The next quick retry after a send that did not get through (an index into RETRY_SOON_MS). */
  #soon = 0;
  #soonTimer: ReturnType<typeof setTimeout> | undefined;

  #sync(): void {
    if (!this.#queue) return;
    const state = this.#queue.read();
    this.items = state.items;
    this.refused = state.refused;
  }

  /**
   * Starts the queue of this person on this page. `refresh` reloads the page's data after the
   * server took something. Returns the clean-up for when the page closes.
   */
  connect(userId: string, options: { refresh: () => Promise<void>; fallbackMessage: string }): () => void {
    const key = queueKey(userId);
    this.#queue = new HourQueue(browserStore(), key);
    this.#refresh = options.refresh;
    this.#fallbackMessage = options.fallbackMessage;
    this.#sync();

    const flush = () => void this.flush();
    const offline = () => {
      if (this.items.length > 0) this.status = 'offline';
    };
    const visible = () => {
      if (document.visibilityState === 'visible') flush();
    };
    // Another tab of the same person added or sent something.
    const storage = (event: StorageEvent) => {
      if (event.key === key) this.#sync();
    };
    window.addEventListener('online', flush);
    window.addEventListener('offline', offline);
    window.addEventListener('storage', storage);
    document.addEventListener('visibilitychange', visible);
    const timer = setInterval(() => {
      if (this.items.length > 0) flush();
    }, RETRY_EVERY_MS);
    flush();
    return () => {
      window.removeEventListener('online', flush);
      window.removeEventListener('offline', offline);
      window.removeEventListener('storage', storage);
      document.removeEventListener('visibilitychange', visible);
      clearInterval(timer);
      clearTimeout(this.#soonTimer);
    };
  }

  /** Keeps a new check-in or entry on the phone and tries to send it at once. */
  add(item: QueuedItem): void {
    if (!this.#queue) return;
    this.#queue.add(item);
    this.#sync();
    void this.flush();
  }

  dismiss(id: string): void {
    this.#queue?.dismiss(id);
    this.#sync();
  }

  async flush(): Promise<void> {
    const queue = this.#queue;
    if (!queue) return;
    this.#sync();
    if (this.items.length === 0) {
      if (this.status !== 'signed_out') this.status = 'idle';
      this.#retrySoon(false);
      return;
    }
    if (!navigator.onLine) {
      this.status = 'offline';
      return;
    }
    this.status = 'sending';
    const report = await queue.flush((item) => post(item, this.#fallbackMessage));
    if (report.sent + report.refused > 0) {
      this.sentSome = true;
      // The page shows the server's answer before the waiting copies disappear: no flicker.
      await this.#refresh().catch(() => undefined);
    }
    this.#sync();
    if (report.stopped === 'signed_out') this.status = 'signed_out';
    else if (report.stopped === 'retry') this.status = navigator.onLine ? 'retry' : 'offline';
    else this.status = 'idle';
    this.#retrySoon(report.stopped === 'retry');
  }

  /** After a send that did not get through, the next quick try (once; a later flush decides again). */
  #retrySoon(failed: boolean): void {
    clearTimeout(this.#soonTimer);
    if (!failed) {
      this.#soon = 0;
      return;
    }
    const wait = RETRY_SOON_MS[this.#soon];
    if (wait === undefined) return;
    this.#soon += 1;
    this.#soonTimer = setTimeout(() => void this.flush(), wait);
  }
}
