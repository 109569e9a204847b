// The worker side of logged hours through HTTP (docs/api-hours.md, "Worker side"): the worker's
// jobs, check-ins and entries made on the phone that land once however often they arrive, the
// booking moving scheduled → in_progress → done as the team logs, closed hours after confirmation,
// time over a benefit worker's weekly cap, and staff acting on a worker's behalf.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '@buurtservice/db';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, programme, stateOf, type Programme } from '../support/bookings.js';
import { expectError, ROLE_LOGINS } from '../support/world.js';

// The API's clock: the jobs below are in the weeks before.
const NOW = new Date('2027-03-20T12:00:00+01:00');

let ctx: TestContext;
let breda: Programme;
let dispatcher: Record<string, string>;
let dispatcherId: string;

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => NOW });
  breda = await programme(ctx.db, 'breda-noordoost');
  dispatcher = bearer(await ctx.login(ROLE_LOGINS.dispatcher));
  dispatcherId = (await ctx.db.selectFrom('users').select('id').where('email', '=', ROLE_LOGINS.dispatcher).executeTakeFirstOrThrow()).id;
});
afterAll(async () => { await ctx?.close(); });

const t = (iso: string) => new Date(iso);

interface Worker { id: string; headers: Record<string, string> }
interface TimeEntry { id: string; bookingId: string; workerId: string; startsAt: string; endsAt: string; breakMinutes: number; rawMinutes: number; billableMinutes: number; overCapMinutes: number; source: string; recordedBy: string | null; createdAt: string }
interface CheckIn { id: string; bookingId: string; workerId: string; startedAt: string; closedAt: string | null }
interface Booking { id: string; state: string }
interface EntryAnswer { entry: TimeEntry; replayed: boolean; booking: Booking }
interface CheckInAnswer { checkIn: CheckIn; booking: Booking }
interface WorkerJob {
  bookingId: string; state: string; service: { code: string; name: { nl: string; en: string } }; startsAt: string; endsAt: string;
  customerName: string; contactPhone: string | null; address: null | { street: string; houseNumber: number; postcode: string; city: string };
  mapUrl: string | null; notes: string; team: { workerId: string; name: string; leads: boolean }[]; leads: boolean;
  checkIn: CheckIn | null; entries: TimeEntry[]; canLog: boolean;
}

/** A worker who signs in, made by the dispatcher (a garden worker who can lead). */
async function newWorker(spec: { contract?: string; weeklyCapMinutes?: number } = {}): Promise<Worker> {
  const email = `werker-${randomUUID().slice(0, 8)}@example.nl`;
  const password = 'zonnige-tuin-2026';
  const res = await ctx.app.inject({
    method: 'POST', url: '/workers', headers: dispatcher,
    payload: { displayName: `Werker ${email.slice(7, 15)}`, email, password, contract: spec.contract ?? 'paid', startedOn: '2026-01-01', skills: [{ skill: 'tuin', level: 'lead' }], ...(spec.weeklyCapMinutes && { weeklyCapMinutes: spec.weeklyCapMinutes }) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json<{ id: string }>().id, headers: bearer(await ctx.login(email, password)) };
}

/** A job at a fresh household on `day` 09:00–11:00 (Amsterdam) with these workers, the first leading a team. */
async function job(day: string, team: Worker[]): Promise<string> {
  const customer = await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 10);
  const { booking } = await book(ctx.db, breda, { customer, startsAt: t(`${day}T09:00:00+01:00`), minutes: 120, workers: team.length });
  for (const [i, w] of team.entries()) await assign(ctx.db, breda, booking.id, w.id, team.length > 1 && i === 0 ? { leads: true } : {});
  return booking.id;
}

const post = (url: string, headers: Record<string, string>, payload: object) => ctx.app.inject({ method: 'POST', url, headers, payload });
const get = (url: string, headers: Record<string, string>) => ctx.app.inject({ method: 'GET', url, headers });

const checkIn = (w: Worker, bookingId: string, startedAt: string, extra: object = {}) =>
  post('/check-ins', w.headers, { id: randomUUID(), bookingId, startedAt, ...extra });

function entryBody(bookingId: string, from: string, until: string, extra: object = {}) {
  return { id: randomUUID(), bookingId, startsAt: from, endsAt: until, breakMinutes: 0, source: 'entered_after', ...extra };
}

async function events(bookingId: string) {
  return ctx.db.selectFrom('booking_events').select(['action', 'to_state', 'actor_user_id', 'details']).where('booking_id', '=', bookingId).orderBy('id').execute();
}

const entryRows = async (id: string) => (await ctx.db.selectFrom('time_entries').select('id').where('id', '=', id).execute()).length;

describe('the loop: check in, check out, done', () => {
  it('moves a one-worker job to in_progress at check-in and to done at check-out, closing the check-in', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-01', [w]);
    expect(await stateOf(ctx.db, bookingId)).toBe('scheduled');

    const inRes = await checkIn(w, bookingId, '2027-03-01T09:02:00+01:00');
    expect(inRes.statusCode, inRes.body).toBe(201);
    const started = inRes.json<CheckInAnswer>();
    expect(started).toEqual({
      checkIn: { id: started.checkIn.id, bookingId, workerId: w.id, startedAt: '2027-03-01T08:02:00.000Z', closedAt: null },
      booking: { id: bookingId, state: 'in_progress' },
    });

    // the phone shows the open check-in
    const day = (await get('/me/jobs?from=2027-03-01&days=1', w.headers)).json<{ jobs: WorkerJob[] }>().jobs;
    expect(day.map((j) => j.bookingId)).toEqual([bookingId]);
    expect(day[0]).toMatchObject({ state: 'in_progress', checkIn: { id: started.checkIn.id, closedAt: null }, entries: [], canLog: true });

    const out = await post('/time-entries', w.headers, entryBody(bookingId, '2027-03-01T09:02:00+01:00', '2027-03-01T11:09:00+01:00', { source: 'check_in_out', checkInId: started.checkIn.id }));
    expect(out.statusCode, out.body).toBe(201);
    const logged = out.json<EntryAnswer>();
    expect(logged).toMatchObject({
      replayed: false, booking: { id: bookingId, state: 'done' },
      entry: { bookingId, workerId: w.id, rawMinutes: 127, billableMinutes: 135, overCapMinutes: 0, source: 'check_in_out', recordedBy: w.id },
    });
    expect(await stateOf(ctx.db, bookingId)).toBe('done');
    // the events name the worker
    const history = (await events(bookingId)).slice(-2);
    expect(history.map((e) => [e.action, e.to_state, e.actor_user_id])).toEqual([['check_in', 'in_progress', w.id], ['finish', 'done', w.id]]);

    const list = (await get(`/bookings/${bookingId}/time-entries`, w.headers)).json<{ entries: TimeEntry[]; checkIns: CheckIn[] }>();
    expect(list.entries.map((e) => e.id)).toEqual([logged.entry.id]);
    expect(list.checkIns).toEqual([{ ...started.checkIn, closedAt: '2027-03-01T10:09:00.000Z' }]);
  });

  it('shows the worker their jobs with address, map link, phone, notes, team and what they logged', async () => {
    const [lead, mate] = [await newWorker(), await newWorker()];
    const bookingId = await job('2027-03-02', [lead, mate]);
    const later = await job('2027-03-04', [mate]);
    const res = await get('/me/jobs?from=2027-03-01&days=7', mate.headers);
    expect(res.statusCode, res.body).toBe(200);
    const jobs = res.json<{ jobs: WorkerJob[] }>().jobs;
    expect(jobs.map((j) => j.bookingId)).toEqual([bookingId, later]);
    expect(jobs[0]).toMatchObject({
      state: 'scheduled', service: { code: 'tuindienst' }, startsAt: '2027-03-02T08:00:00.000Z', endsAt: '2027-03-02T10:00:00.000Z',
      contactPhone: '06 1234 5678', address: { street: 'Teststraat', houseNumber: 1, postcode: '4823AB', city: 'Breda' },
      mapUrl: `https://www.openstreetmap.org/search?query=${encodeURIComponent('Teststraat 1, 4823 AB Breda')}`,
      notes: 'Hond in de tuin; bel aan bij de achterdeur.', leads: false, checkIn: null, entries: [], canLog: true,
    });
    expect(jobs[0]!.team).toEqual([expect.objectContaining({ workerId: lead.id, leads: true }), expect.objectContaining({ workerId: mate.id, leads: false })]);
    // by default: today (the clock's) and the 6 days after; a day without jobs is empty
    expect((await get('/me/jobs', mate.headers)).json<{ jobs: WorkerJob[] }>().jobs).toEqual([]);
    expect((await get('/me/jobs?from=2027-03-03&days=1', mate.headers)).json<{ jobs: WorkerJob[] }>().jobs).toEqual([]);
    // a cancelled job is left out
    await ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
      programmeId: breda.id, bookingId: later, actorUserId: breda.dispatcherId, reason: 'test', freeCancellationHours: 24, feeMinutesPerWorker: 60, waiveFee: true, now: NOW,
    }));
    expect((await get('/me/jobs?from=2027-03-01&days=7', mate.headers)).json<{ jobs: WorkerJob[] }>().jobs.map((j) => j.bookingId)).toEqual([bookingId]);
  });

  it('makes a two-worker job done only when both logged and neither is still checked in', async () => {
    const [a, b] = [await newWorker(), await newWorker()];
    const bookingId = await job('2027-03-03', [a, b]);
    const inA = (await checkIn(a, bookingId, '2027-03-03T09:00:00+01:00')).json<CheckInAnswer>();
    expect(inA.booking.state).toBe('in_progress');
    // b enters the hours afterwards while a is still checked in: not done yet
    const fromB = await post('/time-entries', b.headers, entryBody(bookingId, '2027-03-03T09:00:00+01:00', '2027-03-03T11:00:00+01:00'));
    expect(fromB.json<EntryAnswer>().booking.state).toBe('in_progress');
    const outA = await post('/time-entries', a.headers, entryBody(bookingId, '2027-03-03T09:00:00+01:00', '2027-03-03T11:15:00+01:00', { source: 'check_in_out', checkInId: inA.checkIn.id }));
    expect(outA.statusCode, outA.body).toBe(201);
    expect(outA.json<EntryAnswer>().booking.state).toBe('done');
  });

  it('takes a scheduled job through check_in and finish when the last entry is entered afterwards', async () => {
    const [a, b] = [await newWorker(), await newWorker()];
    const bookingId = await job('2027-03-05', [a, b]);
    const first = await post('/time-entries', a.headers, entryBody(bookingId, '2027-03-05T09:00:00+01:00', '2027-03-05T11:00:00+01:00'));
    expect(first.json<EntryAnswer>().booking.state).toBe('scheduled');
    const second = await post('/time-entries', b.headers, entryBody(bookingId, '2027-03-05T09:00:00+01:00', '2027-03-05T10:30:00+01:00'));
    expect(second.json<EntryAnswer>().booking).toEqual({ id: bookingId, state: 'done' });
    const history = (await events(bookingId)).slice(-2);
    expect(history.map((e) => [e.action, e.actor_user_id])).toEqual([['check_in', b.id], ['finish', b.id]]);
  });
});

describe('an entry made on the phone lands once', () => {
  it('stores the same entry sent 5 times one after another, then 5 times at once, once: one 201, the others 200 replayed', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-08', [w]);
    const body = entryBody(bookingId, '2027-03-08T09:00:00+01:00', '2027-03-08T10:50:00+01:00', { breakMinutes: 10 });
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await post('/time-entries', w.headers, body));
    expect(sequential.map((r) => r.statusCode)).toEqual([201, 200, 200, 200, 200]);
    expect(sequential.map((r) => r.json<EntryAnswer>().replayed)).toEqual([false, true, true, true, true]);
    for (const r of sequential) expect(r.json<EntryAnswer>().entry).toEqual(sequential[0]!.json<EntryAnswer>().entry);
    expect(sequential[0]!.json<EntryAnswer>().entry).toMatchObject({ rawMinutes: 100, billableMinutes: 105 });
    expect(await entryRows(body.id)).toBe(1);

    const other = await newWorker();
    const second = await job('2027-03-09', [other]);
    const once = entryBody(second, '2027-03-09T09:00:00+01:00', '2027-03-09T11:00:00+01:00');
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => post('/time-entries', other.headers, once)));
    expect(concurrent.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    const stored = concurrent.map((r) => r.json<EntryAnswer>());
    expect(stored.filter((s) => !s.replayed)).toHaveLength(1);
    for (const s of stored) expect(s).toMatchObject({ entry: stored[0]!.entry, booking: { id: second, state: 'done' } });
    expect(await entryRows(once.id)).toBe(1);
    expect((await events(second)).filter((e) => e.action === 'finish')).toHaveLength(1);
  });

  it('answers a check-in sent again with the stored one (200), the same id with other data 422, a second open check-in 409', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-10', [w]);
    const body = { id: randomUUID(), bookingId, startedAt: '2027-03-10T09:00:00+01:00' };
    const first = await post('/check-ins', w.headers, body);
    expect(first.statusCode).toBe(201);
    const again = await post('/check-ins', w.headers, body);
    expect(again.statusCode).toBe(200);
    expect(again.json<CheckInAnswer>()).toEqual(first.json<CheckInAnswer>());
    // without startedAt (the phone leaves it to the server) the replay is still the stored one
    expect((await post('/check-ins', w.headers, { id: body.id, bookingId })).statusCode).toBe(200);
    expectError(await post('/check-ins', w.headers, { ...body, startedAt: '2027-03-10T09:05:00+01:00' }), 422, 'time_entry_id_reused');
    expectError(await checkIn(w, bookingId, '2027-03-10T09:10:00+01:00'), 409, 'check_in_open');
    expect(await ctx.db.selectFrom('time_check_ins').select('id').where('booking_id', '=', bookingId).execute()).toHaveLength(1);
  });

  it('refuses the same entry id with other times: 422 time_entry_id_reused, the first one kept', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-11', [w]);
    const body = entryBody(bookingId, '2027-03-11T09:00:00+01:00', '2027-03-11T10:00:00+01:00');
    expect((await post('/time-entries', w.headers, body)).statusCode).toBe(201);
    expectError(await post('/time-entries', w.headers, { ...body, endsAt: '2027-03-11T10:15:00+01:00' }), 422, 'time_entry_id_reused');
    const list = (await get(`/bookings/${bookingId}/time-entries`, w.headers)).json<{ entries: TimeEntry[] }>();
    expect(list.entries.map((e) => e.endsAt)).toEqual(['2027-03-11T09:00:00.000Z']);
  });
});

describe('the rules a worker meets', () => {
  it('refuses overlapping time with 409 time_entry_overlaps', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-12', [w]);
    expect((await post('/time-entries', w.headers, entryBody(bookingId, '2027-03-12T09:00:00+01:00', '2027-03-12T10:00:00+01:00'))).statusCode).toBe(201);
    const overlapping = entryBody(bookingId, '2027-03-12T09:30:00+01:00', '2027-03-12T10:30:00+01:00');
    expectError(await post('/time-entries', w.headers, overlapping), 409, 'time_entry_overlaps');
    expect(await entryRows(overlapping.id)).toBe(0);
  });

  it('answers 404 time_entry_not_assigned for a job the worker is not on, or one that does not exist', async () => {
    const [w, stranger] = [await newWorker(), await newWorker()];
    const bookingId = await job('2027-03-12', [w]);
    for (const target of [bookingId, randomUUID()]) {
      const body = entryBody(target, '2027-03-12T09:00:00+01:00', '2027-03-12T10:00:00+01:00');
      expectError(await post('/time-entries', stranger.headers, body), 404, 'time_entry_not_assigned');
      expect(await entryRows(body.id)).toBe(0);
      expectError(await checkIn(stranger, target, '2027-03-12T09:00:00+01:00'), 404, 'time_entry_not_assigned');
    }
    expectError(await get(`/bookings/${bookingId}/time-entries`, stranger.headers), 404, 'not_found');
    expect(await stateOf(ctx.db, bookingId)).toBe('scheduled');
  });

  it('closes the hours once the booking is confirmed: 409 hours_closed, while a replay of an earlier entry is still 200', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-15', [w]);
    const body = entryBody(bookingId, '2027-03-15T09:00:00+01:00', '2027-03-15T11:00:00+01:00');
    expect((await post('/time-entries', w.headers, body)).json<EntryAnswer>().booking.state).toBe('done');
    // done still takes hours
    const extra = await post('/time-entries', w.headers, entryBody(bookingId, '2027-03-15T11:30:00+01:00', '2027-03-15T12:00:00+01:00'));
    expect(extra.statusCode).toBe(201);
    expect(extra.json<EntryAnswer>().booking.state).toBe('done');
    await ctx.db.transaction().execute((tx) => bookings.transitionBooking(tx, { programmeId: breda.id, bookingId, action: 'confirm_hours', actorUserId: breda.dispatcherId }));

    const late = entryBody(bookingId, '2027-03-15T13:00:00+01:00', '2027-03-15T14:00:00+01:00');
    expectError(await post('/time-entries', w.headers, late), 409, 'hours_closed');
    expect(await entryRows(late.id)).toBe(0);
    expectError(await checkIn(w, bookingId, '2027-03-15T13:00:00+01:00'), 409, 'hours_closed');
    const replay = await post('/time-entries', w.headers, body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json<EntryAnswer>()).toMatchObject({ replayed: true, booking: { id: bookingId, state: 'confirmed' } });
    const [shown] = (await get('/me/jobs?from=2027-03-15&days=1', w.headers)).json<{ jobs: WorkerJob[] }>().jobs;
    expect(shown).toMatchObject({ bookingId, state: 'confirmed', canLog: false });
    expect(shown!.entries).toHaveLength(2);
  });

  it('takes no hours before the team is complete: 409 booking_action_not_allowed', async () => {
    const w = await newWorker();
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 10);
    const { booking } = await book(ctx.db, breda, { customer, startsAt: t('2027-03-16T09:00:00+01:00'), minutes: 120, workers: 2 });
    await assign(ctx.db, breda, booking.id, w.id, { leads: true });
    expect(await stateOf(ctx.db, booking.id)).toBe('ready_to_plan');
    expectError(await checkIn(w, booking.id, '2027-03-16T09:00:00+01:00'), 409, 'booking_action_not_allowed');
    expectError(await post('/time-entries', w.headers, entryBody(booking.id, '2027-03-16T09:00:00+01:00', '2027-03-16T10:00:00+01:00')), 409, 'booking_action_not_allowed');
  });

  it('flags the minutes over a benefit worker\'s weekly cap, counting the other jobs of that week only', async () => {
    // 4 hours a week: two planned jobs of 2 hours fit, but the first one ran 30 minutes long
    const w = await newWorker({ contract: 'benefit', weeklyCapMinutes: 240 });
    const monday = await job('2027-03-01', [w]);
    const wednesday = await job('2027-03-03', [w]);
    const nextMonday = await job('2027-03-08', [w]);
    const a = (await post('/time-entries', w.headers, entryBody(monday, '2027-03-01T09:00:00+01:00', '2027-03-01T11:30:00+01:00'))).json<EntryAnswer>();
    expect(a.entry).toMatchObject({ billableMinutes: 150, overCapMinutes: 0 });
    const b = (await post('/time-entries', w.headers, entryBody(wednesday, '2027-03-03T09:00:00+01:00', '2027-03-03T11:00:00+01:00'))).json<EntryAnswer>();
    expect(b.entry).toMatchObject({ billableMinutes: 120, overCapMinutes: 30 });
    const c = (await post('/time-entries', w.headers, entryBody(nextMonday, '2027-03-08T09:00:00+01:00', '2027-03-08T11:00:00+01:00'))).json<EntryAnswer>();
    expect(c.entry).toMatchObject({ billableMinutes: 120, overCapMinutes: 0 });
    // a paid worker is never over
    const paid = await newWorker();
    const long = await job('2027-03-02', [paid]);
    expect((await post('/time-entries', paid.headers, entryBody(long, '2027-03-02T06:00:00+01:00', '2027-03-02T20:00:00+01:00'))).json<EntryAnswer>().entry.overCapMinutes).toBe(0);
  });
});

describe('bad input', () => {
  it('answers 400 with a stable code and stores nothing', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-17', [w]);
    const valid = () => entryBody(bookingId, '2027-03-17T09:00:00+01:00', '2027-03-17T10:00:00+01:00');
    const cases: [object, string][] = [
      [{ ...valid(), id: 'telefoon-1' }, '/id'],
      [{ ...valid(), startsAt: 'morgen' }, '/startsAt'],
      [{ ...valid(), source: 'guess' }, '/source'],
      [{ ...valid(), breakMinutes: -5 }, '/breakMinutes'],
      [{ ...valid(), minutes: 60 }, '/minutes'],
      [(({ endsAt: _, ...rest }) => rest)(valid()), '/endsAt'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/time-entries', w.headers, body);
      expect(res.statusCode, res.body).toBe(400);
      const answer = res.json<{ code: string; fields: { field: string }[] }>();
      expect(answer.code).toBe('validation_failed');
      expect(answer.fields.map((f) => f.field)).toContain(field);
    }
    expectError(await post('/check-ins', w.headers, { id: randomUUID(), bookingId, startedAt: 'nu' }), 400, 'validation_failed');
    expectError(await get('/me/jobs?days=40', w.headers), 400, 'validation_failed');
    expectError(await get('/me/jobs?from=2027-02-30', w.headers), 400, 'validation_failed');

    // the hour rules: with the reason
    const rules: [object, string][] = [
      [entryBody(bookingId, '2027-03-17T10:00:00+01:00', '2027-03-17T09:00:00+01:00'), 'end_not_after_start'],
      [{ ...valid(), breakMinutes: 60 }, 'break_too_long'],
      [entryBody(bookingId, '2027-03-20T11:00:00+01:00', '2027-03-20T12:06:00+01:00'), 'in_future'],
    ];
    for (const [body, reason] of rules) {
      const res = await post('/time-entries', w.headers, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'time_entry_invalid', reason });
      expect(await entryRows((body as { id: string }).id)).toBe(0);
    }
    // five minutes ahead of the clock is still fine (phones' clocks differ a little)
    expect((await post('/time-entries', w.headers, entryBody(bookingId, '2027-03-20T11:00:00+01:00', '2027-03-20T12:05:00+01:00'))).statusCode).toBe(201);
    const early = await post('/check-ins', w.headers, { id: randomUUID(), bookingId, startedAt: '2027-03-20T12:10:00+01:00' });
    expect(early.json()).toMatchObject({ code: 'time_entry_invalid', reason: 'in_future' });
    expect(await ctx.db.selectFrom('time_check_ins').select('id').where('booking_id', '=', bookingId).execute()).toHaveLength(0);
  });

  it('refuses a check-out that names a check-in of another job (404) or one another entry closed (409)', async () => {
    const w = await newWorker();
    const [first, second] = [await job('2027-03-18', [w]), await job('2027-03-19', [w])];
    const open = (await checkIn(w, first, '2027-03-18T09:00:00+01:00')).json<CheckInAnswer>().checkIn;
    expectError(await post('/time-entries', w.headers, entryBody(second, '2027-03-19T09:00:00+01:00', '2027-03-19T10:00:00+01:00', { checkInId: open.id })), 404, 'check_in_not_found');
    expectError(await post('/time-entries', w.headers, entryBody(first, '2027-03-18T09:00:00+01:00', '2027-03-18T10:00:00+01:00', { checkInId: randomUUID() })), 404, 'check_in_not_found');
    expect((await post('/time-entries', w.headers, entryBody(first, '2027-03-18T09:00:00+01:00', '2027-03-18T10:00:00+01:00', { checkInId: open.id }))).statusCode).toBe(201);
    expectError(await post('/time-entries', w.headers, entryBody(first, '2027-03-18T10:00:00+01:00', '2027-03-18T10:30:00+01:00', { checkInId: open.id })), 409, 'check_in_closed');
  });
});

describe('staff on a worker\'s behalf', () => {
  it('checks in and logs for a worker with workerId, audited; the worker sees it; without workerId 400', async () => {
    const w = await newWorker();
    const bookingId = await job('2027-03-17', [w]);
    expectError(await post('/check-ins', dispatcher, { id: randomUUID(), bookingId, startedAt: '2027-03-17T09:00:00+01:00' }), 400, 'validation_failed');
    const started = await post('/check-ins', dispatcher, { id: randomUUID(), bookingId, startedAt: '2027-03-17T09:00:00+01:00', workerId: w.id });
    expect(started.statusCode, started.body).toBe(201);
    const { checkIn: open } = started.json<CheckInAnswer>();
    const body = entryBody(bookingId, '2027-03-17T09:00:00+01:00', '2027-03-17T11:00:00+01:00', { source: 'check_in_out', checkInId: open.id, workerId: w.id });
    const logged = await post('/time-entries', dispatcher, body);
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json<EntryAnswer>()).toMatchObject({ entry: { workerId: w.id, recordedBy: dispatcherId }, booking: { state: 'done' } });
    // a replay by staff is not audited again
    expect((await post('/time-entries', dispatcher, body)).statusCode).toBe(200);
    const audits = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'actor_user_id', 'details']).where('subject_id', '=', bookingId).orderBy('id').execute();
    expect(audits.map((a) => [a.action, a.actor_user_id])).toEqual([['hours.checked_in_on_behalf', dispatcherId], ['hours.entry_recorded_on_behalf', dispatcherId]]);
    expect(audits[1]!.details).toMatchObject({ workerId: w.id, entryId: body.id });
    expect((await events(bookingId)).slice(-2).map((e) => e.actor_user_id)).toEqual([dispatcherId, dispatcherId]);

    // staff see the worker's day and every entry of the booking
    const day = (await get(`/me/jobs?from=2027-03-17&days=1&workerId=${w.id}`, dispatcher)).json<{ jobs: WorkerJob[] }>().jobs;
    expect(day.map((j) => [j.bookingId, j.entries.length])).toEqual([[bookingId, 1]]);
    expect((await get('/me/jobs?from=2027-03-17&days=1', dispatcher)).json<{ jobs: WorkerJob[] }>().jobs).toEqual([]);
    expectError(await get(`/me/jobs?workerId=${randomUUID()}`, dispatcher), 404, 'worker_not_found');
    const all = (await get(`/bookings/${bookingId}/time-entries`, dispatcher)).json<{ entries: TimeEntry[]; checkIns: CheckIn[] }>();
    expect(all.entries.map((e) => e.id)).toEqual([body.id]);
    expect(all.checkIns.map((c) => c.id)).toEqual([open.id]);
  });

  it('does not let a worker act for another worker (403), and shows a worker only their own hours', async () => {
    const [a, b] = [await newWorker(), await newWorker()];
    const bookingId = await job('2027-03-18', [a, b]);
    expectError(await post('/time-entries', a.headers, entryBody(bookingId, '2027-03-18T09:00:00+01:00', '2027-03-18T10:00:00+01:00', { workerId: b.id })), 403, 'forbidden');
    expectError(await post('/check-ins', a.headers, { id: randomUUID(), bookingId, workerId: b.id }), 403, 'forbidden');
    expectError(await get(`/me/jobs?workerId=${b.id}`, a.headers), 403, 'forbidden');
    // sending one's own id is fine
    const own = entryBody(bookingId, '2027-03-18T09:00:00+01:00', '2027-03-18T10:00:00+01:00', { workerId: a.id });
    expect((await post('/time-entries', a.headers, own)).statusCode).toBe(201);
    const fromB = entryBody(bookingId, '2027-03-18T09:00:00+01:00', '2027-03-18T10:00:00+01:00');
    expect((await post('/time-entries', b.headers, fromB)).statusCode).toBe(201);
    const seenByA = (await get(`/bookings/${bookingId}/time-entries`, a.headers)).json<{ entries: TimeEntry[] }>();
    expect(seenByA.entries.map((e) => e.id)).toEqual([own.id]);
    // customers do not use these routes
    const resident = bearer(await ctx.login(ROLE_LOGINS.resident));
    expectError(await get(`/bookings/${bookingId}/time-entries`, resident), 403, 'forbidden');
    expectError(await post('/time-entries', resident, fromB), 403, 'forbidden');
  });
});
