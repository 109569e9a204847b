// Recurring series (docs/api-bookings.md, "Recurring series") through the HTTP API against real
// PostgreSQL: occurrences at the same local wall-clock time across the clock changes, each with its
// own hold; one occurrence cancelled or moved leaves the others alone; cancelling the rest ends the
// series; the daily job extends the horizon once, keeping the workers where they are free.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, wallet } from '@buurtservice/db';
import { amsterdamLocal, localDaysBetween, type SeriesFrequency } from '@buurtservice/shared';
import { extendAllSeries } from '../../api/src/jobs/series-jobs.js';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, heldMinutes, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';
import { ROLE_LOGINS } from '../support/world.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The API's clock and the job's: tests move it. */
let clock = new Date('2027-03-01T12:00:00+01:00');
let ctx: TestContext;
let breda: Programme;
let staff: string;

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => clock });
  breda = await programme(ctx.db, 'breda-noordoost');
  staff = await ctx.login(ROLE_LOGINS.dispatcher);
});
afterAll(async () => { await ctx?.close(); });

interface BookingJson { id: string; state: string; startsAt: string | null; seriesId: string | null; workerMinutes: number; assignments: { workerId: string; leads: boolean }[] }
interface SeriesJson { id: string; rule: string; frequency: SeriesFrequency; startsAt: string; until: string | null; endedAt: string | null; customer: { kind: string; id: string } }
interface SeriesAnswer { series: SeriesJson; occurrences: BookingJson[] }

async function post<T>(url: string, token: string, payload: object, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await ctx.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...headers }, payload });
  return { status: res.statusCode, body: res.json<T>() };
}

async function get<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
  return { status: res.statusCode, body: res.json<T>() };
}

/** A household of its own with `cheques` in its wallet, and a series booked for it by the dispatcher. */
async function seriesFor(spec: { startsAt: string; frequency?: SeriesFrequency; cheques?: number; minutes?: number; workers?: number; until?: string }) {
  const customer = await newHousehold(ctx.db, breda.id);
  if (spec.cheques) await buy(ctx.db, breda.id, customer, spec.cheques);
  const res = await post<SeriesAnswer>('/booking-series', staff, {
    householdId: customer.householdId, serviceId: breda.services.tuindienst, place: 'home', startsAt: spec.startsAt,
    durationMinutes: spec.minutes ?? 60, workersNeeded: spec.workers ?? 1, frequency: spec.frequency ?? 'weekly', notes: 'Gras maaien',
    ...(spec.until ? { until: spec.until } : {}),
  }, { 'idempotency-key': `series-${randomUUID()}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { customer, ...res.body };
}

const walletHeld = async (owner: wallet.Owner) => (await wallet.walletSummary(ctx.db, breda.id, owner)).heldMinutes;
const starts = (occurrences: BookingJson[]) => occurrences.map((o) => o.startsAt!);
const local = (iso: string) => amsterdamLocal(new Date(iso));

async function readSeries(id: string, token = staff): Promise<SeriesAnswer> {
  const res = await get<SeriesAnswer>(`/booking-series/${id}`, token);
  expect(res.status).toBe(200);
  return res.body;
}

describe('occurrences keep the local wall-clock time across the clock changes', () => {
  it('a weekly series over the last Sunday of March 2027: every occurrence at 10:00 in Amsterdam, an hour earlier in UTC after the change', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 20 });
    expect(s.series).toMatchObject({ frequency: 'weekly', startsAt: '2027-03-16T09:00:00.000Z', until: null, endedAt: null, customer: { kind: 'household', id: s.customer.householdId } });
    expect(s.series.rule).toBe('DTSTART;TZID=Europe/Amsterdam:20270316T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1');
    // The horizon: 8 weeks from 1 March 12:00, i.e. up to 26 April.
    expect(starts(s.occurrences)).toEqual([
      '2027-03-16T09:00:00.000Z', '2027-03-23T09:00:00.000Z',
      '2027-03-30T08:00:00.000Z', '2027-04-06T08:00:00.000Z', '2027-04-13T08:00:00.000Z', '2027-04-20T08:00:00.000Z',
    ]);
    for (const o of s.occurrences) {
      expect(local(o.startsAt!).slice(11)).toBe('10:00');
      expect(o).toMatchObject({ state: 'ready_to_plan', seriesId: s.series.id, workerMinutes: 60 });
    }
    // the UTC instants before and after the change differ by the change of offset (+01:00 → +02:00)
    const [before, after] = [new Date(s.occurrences[1]!.startsAt!), new Date(s.occurrences[2]!.startsAt!)];
    expect(after.getTime() - before.getTime()).toBe(7 * DAY - HOUR);
    // each occurrence has its own hold; the wallet holds them all
    for (const o of s.occurrences) expect(await heldMinutes(ctx.db, breda.id, o.id)).toBe(60);
    expect(await walletHeld(s.customer)).toBe(6 * 60);
  });

  it('a weekly series over the last Sunday of October 2027: 10:00 local, an hour later in UTC after the change', async () => {
    clock = new Date('2027-10-01T12:00:00+02:00');
    const s = await seriesFor({ startsAt: '2027-10-19T10:00:00+02:00', cheques: 20, minutes: 120 });
    expect(starts(s.occurrences)).toEqual([
      '2027-10-19T08:00:00.000Z', '2027-10-26T08:00:00.000Z',
      '2027-11-02T09:00:00.000Z', '2027-11-09T09:00:00.000Z', '2027-11-16T09:00:00.000Z', '2027-11-23T09:00:00.000Z',
    ]);
    expect(s.occurrences.map((o) => local(o.startsAt!))).toEqual([
      '2027-10-19T10:00', '2027-10-26T10:00', '2027-11-02T10:00', '2027-11-09T10:00', '2027-11-16T10:00', '2027-11-23T10:00',
    ]);
    expect(new Date(s.occurrences[2]!.startsAt!).getTime() - new Date(s.occurrences[1]!.startsAt!).getTime()).toBe(7 * DAY + HOUR);
    expect(await walletHeld(s.customer)).toBe(6 * 120);
  });

  it.each([
    ['every_2_weeks', 14, ['2027-03-16T10:00', '2027-03-30T10:00', '2027-04-13T10:00']],
    ['every_4_weeks', 28, ['2027-03-16T10:00', '2027-04-13T10:00']],
  ] as const)('%s: occurrences %i local days apart at 10:00, within the 8-week horizon', async (frequency, days, expected) => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', frequency, cheques: 10 });
    expect(s.series.rule).toContain(`INTERVAL=${days / 7}`);
    expect(s.occurrences.map((o) => local(o.startsAt!))).toEqual(expected);
    const instants = s.occurrences.map((o) => new Date(o.startsAt!));
    for (let i = 1; i < instants.length; i++) expect(localDaysBetween(instants[i - 1]!, instants[i]!)).toBe(days);
    expect(await walletHeld(s.customer)).toBe(expected.length * 60);
  });

  it('stops at the until date, and refuses an until before the start', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 10, until: '2027-03-30' });
    expect(s.series.until).toBe('2027-03-30');
    expect(s.occurrences.map((o) => local(o.startsAt!))).toEqual(['2027-03-16T10:00', '2027-03-23T10:00', '2027-03-30T10:00']);
    clock = new Date('2027-03-20T12:00:00+01:00');
    await extendAllSeries(ctx.db, clock);
    expect((await readSeries(s.series.id)).occurrences).toHaveLength(3);

    const customer = await newHousehold(ctx.db, breda.id);
    const bad = await post<{ code: string }>('/booking-series', staff, {
      householdId: customer.householdId, serviceId: breda.services.tuindienst, place: 'home', startsAt: '2027-04-16T10:00:00+02:00',
      durationMinutes: 60, workersNeeded: 1, frequency: 'weekly', until: '2027-04-15',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    const past = await post<{ code: string }>('/booking-series', staff, {
      householdId: customer.householdId, serviceId: breda.services.tuindienst, place: 'home', startsAt: '2027-02-16T10:00:00+01:00',
      durationMinutes: 60, workersNeeded: 1, frequency: 'weekly',
    });
    expect(past.body.code).toBe('start_in_past');
    // nothing half-made
    const left = await ctx.db.selectFrom('booking_series').select('id').where('household_id', '=', customer.householdId).execute();
    expect(left).toEqual([]);
  });
});

describe('holds', () => {
  it('gives each occurrence its own hold: with a short wallet the later ones wait for payment, and move on when cheques are bought', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 2 });
    expect(s.occurrences.map((o) => o.state)).toEqual(['ready_to_plan', 'ready_to_plan', 'awaiting_payment', 'awaiting_payment', 'awaiting_payment', 'awaiting_payment']);
    expect(await walletHeld(s.customer)).toBe(120);
    await buy(ctx.db, breda.id, s.customer, 4);
    await ctx.db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, { programmeId: breda.id, customer: s.customer }));
    expect((await readSeries(s.series.id)).occurrences.map((o) => o.state)).toEqual(Array(6).fill('ready_to_plan'));
    expect(await walletHeld(s.customer)).toBe(6 * 60);
  });

  it('replays a series booked twice with the same Idempotency-Key', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 10);
    const body = { householdId: customer.householdId, serviceId: breda.services.tuindienst, place: 'home', startsAt: '2027-03-17T14:00:00+01:00', durationMinutes: 60, workersNeeded: 1, frequency: 'every_2_weeks' };
    const key = { 'idempotency-key': `series-${randomUUID()}` };
    const first = await post<SeriesAnswer>('/booking-series', staff, body, key);
    const again = await post<SeriesAnswer>('/booking-series', staff, body, key);
    expect(again.status).toBe(201);
    expect(again.body.series.id).toBe(first.body.series.id);
    expect(await ctx.db.selectFrom('booking_series').select('id').where('household_id', '=', customer.householdId).execute()).toHaveLength(1);
    expect(await walletHeld(customer)).toBe(3 * 60);
  });
});

describe('one occurrence at a time', () => {
  it('cancelling one occurrence leaves the others and their holds alone', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 20 });
    const third = s.occurrences[2]!;
    const res = await post<{ booking: BookingJson; releasedMinutes: number }>(`/bookings/${third.id}/cancel`, staff, { reason: 'Op vakantie' }, { 'idempotency-key': `cancel-${randomUUID()}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.releasedMinutes).toBe(60);
    const after = await readSeries(s.series.id);
    expect(after.occurrences.map((o) => o.state)).toEqual(['ready_to_plan', 'ready_to_plan', 'cancelled', 'ready_to_plan', 'ready_to_plan', 'ready_to_plan']);
    expect(starts(after.occurrences)).toEqual(starts(s.occurrences));
    expect(after.series.endedAt).toBeNull();
    expect(await walletHeld(s.customer)).toBe(5 * 60);
    // the cancelled one is not made again
    clock = new Date('2027-03-08T12:00:00+01:00');
    await extendAllSeries(ctx.db, clock);
    const later = await readSeries(s.series.id);
    expect(later.occurrences.filter((o) => o.startsAt === third.startsAt)).toHaveLength(1);
    expect(later.occurrences).toHaveLength(7);
  });

  it('moving one occurrence leaves the others alone, and the horizon job does not make it again', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 20 });
    const second = s.occurrences[1]!;
    const moved = await post<BookingJson>(`/bookings/${second.id}/reschedule`, staff, { startsAt: '2027-03-24T15:00:00+01:00' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.startsAt).toBe('2027-03-24T14:00:00.000Z');

    const after = await readSeries(s.series.id);
    expect(after.occurrences.map((o) => o.id)).toEqual(s.occurrences.map((o) => o.id));
    expect(starts(after.occurrences)).toEqual([s.occurrences[0]!.startsAt, '2027-03-24T14:00:00.000Z', ...starts(s.occurrences).slice(2)]);
    expect(after.occurrences.map((o) => o.state)).toEqual(Array(6).fill('ready_to_plan'));

    // Two weeks on, the job runs (twice): two new occurrences, and nothing at the moved one's old time.
    clock = new Date('2027-03-15T12:00:00+01:00');
    await extendAllSeries(ctx.db, clock);
    await extendAllSeries(ctx.db, clock);
    const later = await readSeries(s.series.id);
    expect(later.occurrences).toHaveLength(8);
    expect(starts(later.occurrences)).not.toContain(second.startsAt);
    expect(later.occurrences.slice(6).map((o) => local(o.startsAt!))).toEqual(['2027-04-27T10:00', '2027-05-04T10:00']);
    // and the database would refuse the same occurrence twice
    await expect(sql`insert into bookings (programme_id, household_id, service_id, place, starts_at, duration_minutes, workers_needed, tariff_category, cents_per_worker_hour, created_by, series_id, occurrence_at)
      select programme_id, household_id, service_id, place, starts_at, duration_minutes, workers_needed, tariff_category, cents_per_worker_hour, created_by, series_id, occurrence_at
      from bookings where id = ${second.id}`.execute(ctx.db)).rejects.toMatchObject({ code: '23505', constraint: 'bookings_series_occurrence_once' });
  });
});

describe('cancelling the rest of a series', () => {
  it('cancels occurrence 3 and every later one, releases their holds, keeps 1–2, and ends the series', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 20 });
    const res = await post<{ series: SeriesJson; cancelled: string[] }>(`/booking-series/${s.series.id}/cancel`, staff, { fromBookingId: s.occurrences[2]!.id, reason: 'Verhuisd' }, { 'idempotency-key': `cancel-${randomUUID()}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.cancelled).toEqual(s.occurrences.slice(2).map((o) => o.id));
    expect(res.body.series.endedAt).toBe(clock.toISOString());

    const after = await readSeries(s.series.id);
    expect(after.occurrences.map((o) => o.state)).toEqual(['ready_to_plan', 'ready_to_plan', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    for (const o of s.occurrences.slice(2)) expect(await heldMinutes(ctx.db, breda.id, o.id)).toBe(0);
    expect(await walletHeld(s.customer)).toBe(2 * 60);

    clock = new Date('2027-03-29T12:00:00+02:00');
    const job = await extendAllSeries(ctx.db, clock);
    expect(job.failed).toEqual([]);
    expect((await readSeries(s.series.id)).occurrences).toHaveLength(6);
  });

  it('refuses an occurrence of another series (404)', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const a = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 10 });
    const b = await seriesFor({ startsAt: '2027-03-16T13:00:00+01:00', cheques: 10 });
    const res = await post<{ code: string }>(`/booking-series/${a.series.id}/cancel`, staff, { fromBookingId: b.occurrences[0]!.id });
    expect(res.status).toBe(404);
    expect((await readSeries(b.series.id)).occurrences.every((o) => o.state === 'ready_to_plan')).toBe(true);
    expect((await readSeries(a.series.id)).series.endedAt).toBeNull();
  });
});

describe('the daily horizon job', () => {
  it('is idempotent: a second run at the same time makes nothing new', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 20 });
    const first = await extendAllSeries(ctx.db, clock);
    expect(first.failed).toEqual([]);
    expect((await readSeries(s.series.id)).occurrences).toHaveLength(6);
    clock = new Date('2027-03-09T03:30:00+01:00');
    await extendAllSeries(ctx.db, clock);
    const once = await readSeries(s.series.id);
    expect(once.occurrences.map((o) => local(o.startsAt!))).toEqual([
      '2027-03-16T10:00', '2027-03-23T10:00', '2027-03-30T10:00', '2027-04-06T10:00', '2027-04-13T10:00', '2027-04-20T10:00', '2027-04-27T10:00',
    ]);
    const again = await extendAllSeries(ctx.db, clock);
    expect(again.failed).toEqual([]);
    expect((await readSeries(s.series.id)).occurrences.map((o) => o.id)).toEqual(once.occurrences.map((o) => o.id));
    expect(await walletHeld(s.customer)).toBe(7 * 60);
  });

  it('keeps the workers of the previous occurrence on a new one where they are free, and leaves the place open where not', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 40, workers: 2, minutes: 120 });
    const lead = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
    const helper = await newWorker(ctx.db, breda.id);
    const last = s.occurrences[5]!;
    await assign(ctx.db, breda, last.id, lead, { leads: true });
    await assign(ctx.db, breda, last.id, helper);
    // The helper has another job at the time of the next occurrence (27 April, 10:00–12:00).
    const other = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, other, 2);
    const elsewhere = await book(ctx.db, breda, { customer: other, startsAt: new Date('2027-04-27T11:00:00+02:00'), minutes: 60 });
    await assign(ctx.db, breda, elsewhere.booking.id, helper);

    clock = new Date('2027-03-09T03:30:00+01:00');
    const run = await extendAllSeries(ctx.db, clock);
    expect(run.failed).toEqual([]);
    const seventh = (await readSeries(s.series.id)).occurrences[6]!;
    expect(local(seventh.startsAt!)).toBe('2027-04-27T10:00');
    expect(seventh.assignments.map((a) => ({ workerId: a.workerId, leads: a.leads }))).toEqual([{ workerId: lead, leads: true }]);
    expect(seventh.state).toBe('ready_to_plan');

    // The next one follows the occurrence before it: the team the dispatcher left there.
    clock = new Date('2027-03-16T03:30:00+01:00');
    await extendAllSeries(ctx.db, clock);
    const eighth = (await readSeries(s.series.id)).occurrences[7]!;
    expect(local(eighth.startsAt!)).toBe('2027-05-04T10:00');
    expect(eighth.assignments.map((a) => a.workerId)).toEqual([lead]);
  });

  it('gives a new occurrence the whole team when everyone is free', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const s = await seriesFor({ startsAt: '2027-03-18T09:00:00+01:00', cheques: 40, workers: 2, minutes: 90 });
    const lead = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
    const helper = await newWorker(ctx.db, breda.id);
    const last = s.occurrences.at(-1)!;
    await assign(ctx.db, breda, last.id, helper);
    await assign(ctx.db, breda, last.id, lead, { leads: true });
    clock = new Date('2027-03-09T03:30:00+01:00');
    await extendAllSeries(ctx.db, clock);
    const next = (await readSeries(s.series.id)).occurrences.at(-1)!;
    expect(next.id).not.toBe(last.id);
    expect(local(next.startsAt!)).toBe('2027-04-29T09:00');
    expect(next.state).toBe('scheduled');
    expect(next.assignments.map((a) => [a.workerId, a.leads])).toEqual([[lead, true], [helper, false]]);
  });
});

describe('who sees a series', () => {
  it('a resident books a series for the own household and reads it; another household gets 404', async () => {
    clock = new Date('2027-03-01T12:00:00+01:00');
    const resident = await ctx.login(ROLE_LOGINS.resident);
    const own = await post<SeriesAnswer>('/booking-series', resident, {
      serviceId: breda.services.tuindienst, place: 'home', startsAt: '2027-03-19T11:00:00+01:00', durationMinutes: 60, workersNeeded: 1, frequency: 'every_4_weeks',
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.series.customer.kind).toBe('household');
    expect(own.body.occurrences.map((o) => local(o.startsAt!))).toEqual(['2027-03-19T11:00', '2027-04-16T11:00']);
    expect((await get<SeriesAnswer>(`/booking-series/${own.body.series.id}`, resident)).status).toBe(200);

    const theirs = await seriesFor({ startsAt: '2027-03-16T10:00:00+01:00', cheques: 10 });
    const read = await get<{ code: string }>(`/booking-series/${theirs.series.id}`, resident);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('not_found');
    const cancel = await post<{ code: string }>(`/booking-series/${theirs.series.id}/cancel`, resident, { fromBookingId: theirs.occurrences[0]!.id });
    expect(cancel.status).toBe(404);
    expect((await readSeries(theirs.series.id)).occurrences.every((o) => o.state === 'ready_to_plan')).toBe(true);
    expect((await get<{ code: string }>(`/booking-series/${randomUUID()}`, staff)).status).toBe(404);
  });
});
