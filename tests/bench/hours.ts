// Issue 5's figures, spread over two API processes that share one PostgreSQL (half the
// connections on each):
//   hours_submit_rps / _p99_ms   POST /time-entries by workers signed in on their own account, each
//                                request a new entry (an id made "on the phone") of a job the worker is
//                                assigned to; set against the same run's one-INSERT baseline
//   confirm_settle_p99_ms        POST /bookings/:id/confirm-hours (dispatcher, on the customer's behalf,
//                                with an Idempotency-Key) of distinct done bookings: confirmed, redeemed
//                                from the hold and settled in one transaction
// Afterwards every entry answered 201 must be stored, and every booking answered 200 settled with its
// hour redeemed and nothing left held; the ledger must balance.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createDatabase, DEMO_PASSWORD, type Database } from '@buurtservice/db';
import { call } from './http.js';

const WORKERS = 50;
const HOUSEHOLDS = 50;
/** confirm-hours requests (each a booking of its own), before and in the measurement */
const CONFIRMS = { warmup: 150, measured: 1500 };
/** autocannon may set up a request more per connection than it sends: a few done bookings to spare */
const SPARE_CONFIRMS = 100;
const JOB_MINUTES = 60;
const ENTRY_MINUTES = 15;
const SETUP_WIDTH = 8;
const HOUR = 3_600_000;

export interface HoursOutcome {
  submitRps: number;
  submitP99: number;
  confirmRps: number;
  confirmP99: number;
  /** answers other than 201 (entries) or 200 (confirmations), errors included */
  other: number;
  /** entries answered 201 but not stored; confirmations answered 200 whose booking is not settled right; ledger imbalance */
  discrepancy: number;
}

interface Options { bases: [string, string]; databaseUrl: string; connections: number; seconds: number; warmupSeconds: number; log: (line: string) => void }

/** A JSON POST with an optional Idempotency-Key; anything but 2xx stops the run. */
async function post<T>(base: string, url: string, token: string, body: unknown, idempotencyKey?: string): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Runs `work` over `items`, `width` at a time (the set-up goes through the API, not around it). */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
}

interface Worker { id: string; token: string; submitBooking: string }

/**
 * Every job is one worker for an hour; worker w's jobs are back to back from `firstJob`, so none
 * overlap. Entries need not lie in the job's time (entered afterwards): they lie in the past, in
 * slots of their own per worker, the confirmed jobs' long before the load's.
 */
async function setUp(base: string, staffToken: string, owner: Database, log: (line: string) => void) {
  await sql`update programmes set settings = settings || '{"maxChequesPerOrder": 1000}'::jsonb where slug = 'breda-noordoost'`.execute(owner);
  const { services } = await call<{ services: { id: string; code: string }[] }>(base, 'GET', '/services', staffToken);
  const garden = services.find((s) => s.code === 'tuindienst');
  if (!garden) throw new Error('the demo data has no tuindienst');
  const confirmJobs = CONFIRMS.warmup + CONFIRMS.measured + SPARE_CONFIRMS;
  const chequesEach = Math.ceil(((confirmJobs + WORKERS) * JOB_MINUTES) / 60 / HOUSEHOLDS) + 10;

  log(`hours: ${HOUSEHOLDS} households with ${chequesEach} cheques, ${WORKERS} workers who sign in`);
  const households: string[] = [];
  await inParallel(Array.from({ length: HOUSEHOLDS }, (_, i) => i), SETUP_WIDTH, async (i) => {
    const h = await post<{ id: string }>(base, '/households', staffToken, {
      name: `Bench uren ${i}`, street: 'Wisselaan', houseNumber: 3000 + i, postcode: '4823 JA', city: 'Breda', contact: { displayName: `Bench uren ${i}` },
    });
    await post(base, `/households/${h.id}/counter-sales`, staffToken, { cheques: chequesEach, paymentMethod: 'pin' }, `bench-hours-sale-${h.id}`);
    households[i] = h.id;
  });
  const run = randomUUID().slice(0, 8);
  const password = `bench-uren-${run}-wachtwoord`;
  const workerIds: string[] = [];
  const tokens: string[] = [];
  await inParallel(Array.from({ length: WORKERS }, (_, i) => i), SETUP_WIDTH, async (i) => {
    const email = `bench.uren.${run}.${i}@example.nl`;
    const w = await post<{ id: string }>(base, '/workers', staffToken, {
      displayName: `Bench medewerker ${i}`, email, password, contract: 'paid', startedOn: '2026-01-01', skills: [{ skill: 'tuin', level: 'independent' }],
    });
    workerIds[i] = w.id;
    tokens[i] = (await post<{ accessToken: string }>(base, '/auth/login', '', { email, password })).accessToken;
  });

  // Jobs start tomorrow on a whole hour: worker w's k-th job is k hours after the first.
  const firstJob = Math.ceil((Date.now() + 24 * HOUR) / HOUR) * HOUR;
  const book = async (index: number, workerIndex: number, slot: number) => {
    const created = await post<{ booking: { id: string } }>(base, '/bookings', staffToken, {
      householdId: households[index % HOUSEHOLDS]!, serviceId: garden.id, place: 'home', startsAt: new Date(firstJob + slot * HOUR).toISOString(),
      durationMinutes: JOB_MINUTES, workersNeeded: 1, notes: 'bench',
    }, `bench-hours-book-${run}-${index}`);
    await post(base, `/bookings/${created.booking.id}/assignments`, staffToken, { workerId: workerIds[workerIndex]! });
    return created.booking.id;
  };

  log(`hours: ${WORKERS} jobs for the load and ${confirmJobs} done jobs to confirm`);
  const workers: Worker[] = [];
  await inParallel(workerIds, SETUP_WIDTH, async (id, w) => {
    workers[w] = { id, token: tokens[w]!, submitBooking: await book(w, w, 0) };
  });
  // the confirmed jobs' hours: 40 days back and earlier, an hour per job, per worker
  const longAgo = Math.floor((Date.now() - 40 * 24 * HOUR) / HOUR) * HOUR;
  const done: string[] = [];
  await inParallel(Array.from({ length: confirmJobs }, (_, i) => i), SETUP_WIDTH, async (i) => {
    const w = i % WORKERS;
    const slot = 1 + Math.floor(i / WORKERS);
    const bookingId = await book(WORKERS + i, w, slot);
    const entry = await post<{ booking: { state: string } }>(base, '/time-entries', staffToken, {
      id: randomUUID(), bookingId, workerId: workerIds[w]!, source: 'entered_after',
      startsAt: new Date(longAgo - slot * HOUR).toISOString(), endsAt: new Date(longAgo - slot * HOUR + JOB_MINUTES * 60_000).toISOString(),
    });
    if (entry.booking.state !== 'done') throw new Error(`hours: booking ${bookingId} is ${entry.booking.state} after its only entry, not done`);
    done[i] = bookingId;
  });
  // A live database's statistics follow its tables (autovacuum analyzes them within a minute); the
  // tables filled just now would otherwise be planned as the empty tables they were.
  await sql`analyze`.execute(owner);
  return { workers, done };
}

/** The load of entries: the n-th request is worker n mod W's entry in its slot n div W, counting back from `latest`. */
function submitLoad(base: string, workers: Worker[], counter: { next: number }, latest: number, connections: number, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: base,
      connections,
      duration: seconds,
      requests: [{
        method: 'POST',
        path: '/time-entries',
        setupRequest: (req) => {
          const n = counter.next++;
          const worker = workers[n % workers.length]!;
          const end = latest - Math.floor(n / workers.length) * ENTRY_MINUTES * 60_000;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${worker.token}` },
            body: JSON.stringify({
              id: randomUUID(), bookingId: worker.submitBooking, source: 'entered_after',
              startsAt: new Date(end - ENTRY_MINUTES * 60_000).toISOString(), endsAt: new Date(end).toISOString(),
            }),
          };
        },
      }],
    }, (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)));
  });
}

/** `amount` confirmations, each of the next booking in `bookings` (shared between the two processes' loads). */
function confirmLoad(base: string, token: string, bookings: string[], counter: { next: number }, connections: number, amount: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: base,
      connections,
      amount,
      requests: [{
        method: 'POST',
        setupRequest: (req) => {
          const bookingId = bookings[counter.next++];
          if (!bookingId) throw new Error('hours: more confirmations than done bookings');
          return {
            ...req,
            path: `/bookings/${bookingId}/confirm-hours`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-confirm-${bookingId}` },
            body: '{}',
          };
        },
      }],
    }, (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)));
  });
}

const answered = (results: readonly autocannon.Result[], status: '200' | '201') => results.reduce((n, r) => n + (r.statusCodeStats?.[status]?.count ?? 0), 0);
const others = (results: readonly autocannon.Result[], status: '200' | '201') => results.reduce((n, r) => n + r.requests.total, 0) - answered(results, status);

export async function benchHours(options: Options): Promise<HoursOutcome> {
  const [a, b] = options.bases;
  const { accessToken: staffToken } = await call<{ accessToken: string }>(a, 'POST', '/auth/login', null, { email: 'coordinator@example.nl', password: DEMO_PASSWORD });
  const owner = createDatabase({ url: options.databaseUrl, poolSize: 2 });
  try {
    const { workers, done } = await setUp(a, staffToken, owner, options.log);
    const half = Math.max(1, Math.floor(options.connections / 2));

    // ── POST /time-entries ──
    const latest = Math.floor((Date.now() - 24 * HOUR) / 60_000) * 60_000;
    const entries = { next: 0 };
    const submitted: autocannon.Result[] = [];
    if (options.warmupSeconds > 0) {
      options.log(`hours: submit warm-up ${options.warmupSeconds} s`);
      submitted.push(...await Promise.all([a, b].map((base) => submitLoad(base, workers, entries, latest, half, options.warmupSeconds))));
    }
    options.log(`hours: submit ${options.seconds} s, ${half} connections on each of 2 API processes`);
    const submit = await Promise.all([a, b].map((base) => submitLoad(base, workers, entries, latest, half, options.seconds)));
    submitted.push(...submit);
    // Requests in flight at the deadline finish after autocannon stopped counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const stored = await sql<{ n: number }>`select count(*)::int as n from time_entries where booking_id in (${sql.join(workers.map((w) => w.submitBooking))})`.execute(owner);

    // ── POST /bookings/:id/confirm-hours ──
    const confirms = { next: 0 };
    const confirmed: autocannon.Result[] = [];
    options.log(`hours: confirm warm-up ${CONFIRMS.warmup} bookings`);
    confirmed.push(...await Promise.all([a, b].map((base) => confirmLoad(base, staffToken, done, confirms, half, CONFIRMS.warmup / 2))));
    options.log(`hours: confirm ${CONFIRMS.measured} bookings, ${half} connections on each of 2 API processes`);
    const confirm = await Promise.all([a, b].map((base) => confirmLoad(base, staffToken, done, confirms, half, CONFIRMS.measured / 2)));
    confirmed.push(...confirm);

    const wrong = await sql<{ n: number }>`
      select count(distinct bk.id)::int as n from bookings bk
      left join booking_hours h on h.booking_id = bk.id
      left join ledger_accounts hold on hold.kind = 'hold' and hold.booking_id = bk.id
      left join ledger_balances lb on lb.account_id = hold.id
      where bk.id in (${sql.join(done.slice(0, confirms.next))})
        and (bk.state <> 'settled' or h.confirmed_minutes is distinct from ${JOB_MINUTES} or coalesce(lb.minutes, 0) <> 0)`.execute(owner);
    const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select transaction_id from ledger_entries group by 1 having sum(minutes) <> 0) t`.execute(owner);
    return {
      submitRps: submit.reduce((s, r) => s + r.requests.average, 0),
      submitP99: Math.max(...submit.map((r) => r.latency.p99)),
      confirmRps: confirm.reduce((s, r) => s + r.requests.average, 0),
      confirmP99: Math.max(...confirm.map((r) => r.latency.p99)),
      other: others(submitted, '201') + others(confirmed, '200'),
      discrepancy: Math.max(0, answered(submitted, '201') - stored.rows[0]!.n) + wrong.rows[0]!.n + unbalanced.rows[0]!.n,
    };
  } finally {
    await owner.destroy();
  }
}
