/**
 * The phone's queue of check-ins and hour entries (issue 5: "a bad connection loses nothing").
 *
 * Every check-in and entry gets its id on the phone and waits here (in localStorage) until the
 * server has answered. The server accepts each id once, so sending the same item again after a
 * lost answer is safe: the queue only forgets an item once the server said yes or no to it.
 * Items go out strictly in the order they were made (a check-in before the entry that closes it);
 * the first one that cannot go now stops the round, the rest waits for the next.
 *
 * Pure: the storage and the sending are passed in, so the rules are tested without a browser.
 */

export interface QueuedCheckIn {
  kind: 'check_in';
  id: string;
  bookingId: string;
  startedAt: string;
}

export interface QueuedEntry {
  kind: 'time_entry';
  id: string;
  bookingId: string;
  startsAt: string;
  endsAt: string;
  breakMinutes: number;
  source: 'check_in_out' | 'entered_after';
  /** The check-in this entry closes (a check-out). */
  checkInId?: string;
}

export type QueuedItem = QueuedCheckIn | QueuedEntry;

/** An item the server refused for good (e.g. overlapping hours): shown to the worker until dismissed. */
export interface Refusal {
  item: QueuedItem;
  code: string;
  message: string;
}

export type SendOutcome =
  | { result: 'sent' }
  | { result: 'refused'; code: string; message: string }
  /** Not now (offline, server busy): try again later. */
  | { result: 'retry' }
  /** The session ended: the worker must log in again before anything can be sent. */
  | { result: 'signed_out' };

export interface FlushReport {
  sent: number;
  refused: number;
  stopped: 'retry' | 'signed_out' | null;
}

export interface QueueState {
  items: QueuedItem[];
  refused: Refusal[];
}

/** The part of `localStorage` the queue uses. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Refusals kept for the worker to read; older ones are dropped. */
const MAX_REFUSALS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
const isInstant = (value: unknown): value is string => typeof value === 'string' && value.length <= 40 && Number.isFinite(Date.parse(value));

/** The storage key of one person's queue: a shared phone never sends one worker's hours as another. */
export function queueKey(userId: string): string {
  return `buurtservice.uren.${userId}`;
}

/** A queued item as stored or posted, checked field by field; null when it is not one. */
export function parseQueuedItem(value: unknown): QueuedItem | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isUuid(v.id) || !isUuid(v.bookingId)) return null;
  if (v.kind === 'check_in') {
    return isInstant(v.startedAt) ? { kind: 'check_in', id: v.id, bookingId: v.bookingId, startedAt: v.startedAt } : null;
  }
  if (v.kind !== 'time_entry' || !isInstant(v.startsAt) || !isInstant(v.endsAt)) return null;
  if (!Number.isInteger(v.breakMinutes) || (v.breakMinutes as number) < 0 || (v.breakMinutes as number) > 24 * 60) return null;
  if (v.source !== 'check_in_out' && v.source !== 'entered_after') return null;
  if (v.checkInId !== undefined && !isUuid(v.checkInId)) return null;
  const entry: QueuedEntry = {
    kind: 'time_entry', id: v.id, bookingId: v.bookingId, startsAt: v.startsAt, endsAt: v.endsAt, breakMinutes: v.breakMinutes as number, source: v.source,
  };
  if (v.checkInId !== undefined) entry.checkInId = v.checkInId;
  return entry;
}

function parseRefusal(value: unknown): Refusal | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const item = parseQueuedItem(v.item);
  return item && typeof v.code === 'string' && typeof v.message === 'string' ? { item, code: v.code, message: v.message } : null;
}

/** The stored state; anything unreadable (an older format, a broken write) counts as empty. */
export function parseQueueState(raw: string | null): QueueState {
  if (!raw) return { items: [], refused: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { items: [], refused: [] };
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const items = Array.isArray(v.items) ? v.items.map(parseQueuedItem).filter((i): i is QueuedItem => i !== null) : [];
  const refused = Array.isArray(v.refused) ? v.refused.map(parseRefusal).filter((r): r is Refusal => r !== null) : [];
  return { items, refused };
}

/**
 * What an answer of the web server's `/werk/versturen` means for the queue: yes (also "you sent
 * this before"), no for good (the reason is shown), or not now.
 */
export function outcomeOf(status: number, body: unknown, fallbackMessage: string): SendOutcome {
  if (status >= 200 && status < 300) return { result: 'sent' };
  if (status === 401) return { result: 'signed_out' };
  // Timeouts, rate limits and server trouble pass; so does a network failure (status 0).
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return { result: 'retry' };
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown };
  return {
    result: 'refused',
    code: typeof b.code === 'string' ? b.code : 'refused',
    message: typeof b.message === 'string' && b.message ? b.message : fallbackMessage,
  };
}

export class HourQueue {
  readonly #store: KeyValueStore;
  readonly #key: string;
  /** Used when the phone will not store anything (private mode, full): the queue then lives as long as the page. */
  #memory: QueueState | null = null;
  #flushing: Promise<FlushReport> | null = null;

  constructor(store: KeyValueStore, key: string) {
    this.#store = store;
    this.#key = key;
  }

  read(): QueueState {
    if (this.#memory) return this.#memory;
    try {
      return parseQueueState(this.#store.getItem(this.#key));
    } catch {
      return { items: [], refused: [] };
    }
  }

  #write(state: QueueState): QueueState {
    try {
      this.#store.setItem(this.#key, JSON.stringify(state));
      this.#memory = null;
    } catch {
      this.#memory = state;
    }
    return state;
  }

  /** Puts an item at the end of the queue; an id already waiting is not added twice. */
  add(item: QueuedItem): QueueState {
    const state = this.read();
    if (state.items.some((i) => i.id === item.id)) return state;
    return this.#write({ ...state, items: [...state.items, item] });
  }

  /** The worker has read a refusal. */
  dismiss(id: string): QueueState {
    const state = this.read();
    return this.#write({ ...state, refused: state.refused.filter((r) => r.item.id !== id) });
  }

  #settle(item: QueuedItem, refusal: Refusal | null): void {
    // Read again: another tab may have sent or added items meanwhile.
    const state = this.read();
    const items = state.items.filter((i) => i.id !== item.id);
    const refused = refusal ? [...state.refused.filter((r) => r.item.id !== item.id), refusal].slice(-MAX_REFUSALS) : state.refused;
    this.#write({ items, refused });
  }

  /**
   * Sends what waits, oldest first, one at a time. A call while a round is running joins that
   * round instead of sending the same items twice at once.
   */
  flush(send: (item: QueuedItem) => Promise<SendOutcome>): Promise<FlushReport> {
    this.#flushing ??= this.#round(send).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #round(send: (item: QueuedItem) => Promise<SendOutcome>): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, refused: 0, stopped: null };
    for (let next = this.read().items[0]; next; next = this.read().items[0]) {
      let outcome: SendOutcome;
      try {
        outcome = await send(next);
      } catch {
        outcome = { result: 'retry' };
      }
      switch (outcome.result) {
        case 'sent':
          this.#settle(next, null);
          report.sent += 1;
          break;
        case 'refused':
          this.#settle(next, { item: next, code: outcome.code, message: outcome.message });
          report.refused += 1;
          break;
        case 'retry':
        case 'signed_out':
          report.stopped = outcome.result;
          return report;
      }
    }
    return report;
  }
}
