import { describe, expect, it } from 'vitest';
import { HourQueue, outcomeOf, parseQueuedItem, parseQueueState, queueKey, type KeyValueStore, type QueuedItem, type SendOutcome } from './queue';

const BOOKING = '0b6f3f4e-1c7a-4f51-9a57-2a0d3c1e9b10';
const CHECK_IN_ID = '6f1e2d3c-4b5a-4697-8877-665544332211';
const ENTRY_ID = '11223344-5566-4778-8899-aabbccddeeff';

const checkIn: QueuedItem = { kind: 'check_in', id: CHECK_IN_ID, bookingId: BOOKING, startedAt: '2027-03-02T09:00:00.000Z' };
const checkOut: QueuedItem = {
  kind: 'time_entry', id: ENTRY_ID, bookingId: BOOKING, startsAt: '2027-03-02T09:00:00.000Z', endsAt: '2027-03-02T11:07:00.000Z',
  breakMinutes: 15, source: 'check_in_out', checkInId: CHECK_IN_ID,
};

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

/** A server that answers from a script and records what it was sent. */
function scriptedServer(answers: SendOutcome[]) {
  const sent: string[] = [];
  return {
    sent,
    send: (item: QueuedItem): Promise<SendOutcome> => {
      sent.push(item.id);
      return Promise.resolve(answers.shift() ?? { result: 'sent' });
    },
  };
}

describe('the hour queue', () => {
  it('keeps items in the order they were made and adds an id once', () => {
    const queue = new HourQueue(memoryStore(), queueKey('u1'));
    queue.add(checkIn);
    queue.add(checkOut);
    queue.add(checkIn);
    expect(queue.read().items.map((i) => i.id)).toEqual([CHECK_IN_ID, ENTRY_ID]);
  });

  it('survives a reload: a new queue on the same storage sees what waits', () => {
    const store = memoryStore();
    new HourQueue(store, queueKey('u1')).add(checkOut);
    expect(new HourQueue(store, queueKey('u1')).read().items).toEqual([checkOut]);
    // Another person on the same phone has a queue of their own.
    expect(new HourQueue(store, queueKey('u2')).read().items).toEqual([]);
  });

  it('sends oldest first and forgets what the server took', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkIn);
    queue.add(checkOut);
    const server = scriptedServer([{ result: 'sent' }, { result: 'sent' }]);
    expect(await queue.flush(server.send)).toEqual({ sent: 2, refused: 0, stopped: null });
    expect(server.sent).toEqual([CHECK_IN_ID, ENTRY_ID]);
    expect(queue.read().items).toEqual([]);
  });

  it('stops at the first item that cannot go now and keeps it and everything after it', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkIn);
    queue.add(checkOut);
    const offline = scriptedServer([{ result: 'retry' }]);
    expect(await queue.flush(offline.send)).toEqual({ sent: 0, refused: 0, stopped: 'retry' });
    // The check-out is never sent before its check-in.
    expect(offline.sent).toEqual([CHECK_IN_ID]);
    expect(queue.read().items.map((i) => i.id)).toEqual([CHECK_IN_ID, ENTRY_ID]);

    const back = scriptedServer([]);
    expect(await queue.flush(back.send)).toEqual({ sent: 2, refused: 0, stopped: null });
    expect(back.sent).toEqual([CHECK_IN_ID, ENTRY_ID]);
  });

  it('counts a network failure as "not now"', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkOut);
    const report = await queue.flush(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(report.stopped).toBe('retry');
    expect(queue.read().items).toHaveLength(1);
  });

  it('keeps everything when the session ended', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkOut);
    expect((await queue.flush(scriptedServer([{ result: 'signed_out' }]).send)).stopped).toBe('signed_out');
    expect(queue.read().items).toEqual([checkOut]);
  });

  it('moves a refused item to the refusals, goes on with the rest, and forgets a refusal once read', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkIn);
    queue.add(checkOut);
    const server = scriptedServer([{ result: 'refused', code: 'check_in_open', message: 'U bent al ingecheckt.' }, { result: 'sent' }]);
    expect(await queue.flush(server.send)).toEqual({ sent: 1, refused: 1, stopped: null });
    const state = queue.read();
    expect(state.items).toEqual([]);
    expect(state.refused).toEqual([{ item: checkIn, code: 'check_in_open', message: 'U bent al ingecheckt.' }]);
    expect(queue.dismiss(CHECK_IN_ID).refused).toEqual([]);
  });

  it('runs one round at a time: a second flush joins the first, nothing goes out twice', async () => {
    const queue = new HourQueue(memoryStore(), 'k');
    queue.add(checkIn);
    queue.add(checkOut);
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async (item: QueuedItem): Promise<SendOutcome> => {
      sent.push(item.id);
      await gate;
      return { result: 'sent' };
    };
    const first = queue.flush(slow);
    const second = queue.flush(slow);
    release();
    expect(await first).toEqual(await second);
    expect(sent).toEqual([CHECK_IN_ID, ENTRY_ID]);
  });

  it('sees what another tab sent meanwhile: the check-out goes out once in all', async () => {
    const store = memoryStore();
    const tabA = new HourQueue(store, 'k');
    const tabB = new HourQueue(store, 'k');
    tabA.add(checkIn);
    tabA.add(checkOut);
    const sent: string[] = [];
    const record = (item: QueuedItem): Promise<SendOutcome> => {
      sent.push(item.id);
      return Promise.resolve({ result: 'sent' });
    };
    await tabA.flush(async (item) => {
      // While tab A waits for the answer to the check-in, tab B sends everything.
      if (item.id === CHECK_IN_ID) await tabB.flush(record);
      return record(item);
    });
    expect(sent.filter((id) => id === ENTRY_ID)).toHaveLength(1);
    expect(tabA.read().items).toEqual([]);
  });

  it('keeps working in memory when the phone will not store anything', async () => {
    const full: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    const queue = new HourQueue(full, 'k');
    queue.add(checkOut);
    expect(queue.read().items).toEqual([checkOut]);
    expect((await queue.flush(scriptedServer([]).send)).sent).toBe(1);
    expect(queue.read().items).toEqual([]);
  });
});

describe('reading what is stored or posted', () => {
  it('accepts check-ins and entries and refuses anything else', () => {
    expect(parseQueuedItem(checkIn)).toEqual(checkIn);
    expect(parseQueuedItem(checkOut)).toEqual(checkOut);
    const enteredAfter = { ...checkOut, source: 'entered_after' as const, checkInId: undefined };
    expect(parseQueuedItem(enteredAfter)).not.toHaveProperty('checkInId');
    expect(parseQueuedItem({ ...checkIn, id: 'not-a-uuid' })).toBeNull();
    expect(parseQueuedItem({ ...checkIn, startedAt: 'yesterday' })).toBeNull();
    expect(parseQueuedItem({ ...checkOut, breakMinutes: -5 })).toBeNull();
    expect(parseQueuedItem({ ...checkOut, breakMinutes: 1.5 })).toBeNull();
    expect(parseQueuedItem({ ...checkOut, source: 'guess' })).toBeNull();
    expect(parseQueuedItem({ ...checkOut, kind: 'other' })).toBeNull();
    expect(parseQueuedItem(null)).toBeNull();
    // Unknown fields are dropped, never passed on.
    expect(parseQueuedItem({ ...checkIn, workerId: BOOKING })).toEqual(checkIn);
  });

  it('reads broken storage as an empty queue and drops broken items', () => {
    expect(parseQueueState(null)).toEqual({ items: [], refused: [] });
    expect(parseQueueState('{not json')).toEqual({ items: [], refused: [] });
    expect(parseQueueState('[1,2]')).toEqual({ items: [], refused: [] });
    expect(parseQueueState(JSON.stringify({ items: [checkIn, { kind: 'check_in' }], refused: [{ item: checkOut }] }))).toEqual({ items: [checkIn], refused: [] });
  });
});

describe('what an answer means', () => {
  it('yes, not now, log in again, or no with the reason', () => {
    expect(outcomeOf(200, {}, 'x')).toEqual({ result: 'sent' });
    expect(outcomeOf(201, {}, 'x')).toEqual({ result: 'sent' });
    expect(outcomeOf(0, null, 'x')).toEqual({ result: 'retry' });
    expect(outcomeOf(503, { code: 'not_ready' }, 'x')).toEqual({ result: 'retry' });
    expect(outcomeOf(429, {}, 'x')).toEqual({ result: 'retry' });
    expect(outcomeOf(401, {}, 'x')).toEqual({ result: 'signed_out' });
    expect(outcomeOf(409, { code: 'time_entry_overlaps', message: 'Al uren op deze tijd.' }, 'x')).toEqual({ result: 'refused', code: 'time_entry_overlaps', message: 'Al uren op deze tijd.' });
    expect(outcomeOf(400, 'garbage', 'Niet gelukt.')).toEqual({ result: 'refused', code: 'refused', message: 'Niet gelukt.' });
  });
});
