// The dispatcher's week through HTTP (docs/api-hours.md, "Dispatcher's week") against real
// PostgreSQL: the minutes per worker scheduled, logged and confirmed in an ISO week (Amsterdam),
// right over a week boundary and in the weeks of both clock changes, and each exception kind
// exactly when it should be there, with the API's clock moved by the test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '@buurtservice/db';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';

/** The API's clock; each test sets it. */
let now = new Date('2027-03-10T12:00:00+01:00');

let ctx: TestContext;
let breda: Programme;
let staff: Record<string, string>;
let customer: { householdId: string };

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => now });
  breda = await programme(ctx.db, 'breda-noordoost');
  staff = bearer(await ctx.login('coordinator@example.nl'));
  customer = await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 200);
});
afterAll(async () => { await ctx?.close(); });

const t = (iso: string) => new Date(iso);
const minutesBetween = (from: string, until: string) => (t(until).getTime() - t(from).getTime()) / 60_000;

interface WorkerWeek { workerId: string; name: string; contract: string; weeklyCapMinutes: number | null; scheduledMinutes: number; loggedMinutes: number; confirmedMinutes: number }
interface WeekException {
  kind: string; bookingId: string; workerId: string | null; workerName: string | null; customerName: string; startsAt: string; endsAt: string;
  detail: { minutes: number | null; reason: string | null; since: string | null };
}
interface HoursWeek { week: string; from: string; until: string; workers: WorkerWeek[]; exceptions: WeekException[] }

async function hoursWeek(week?: string, headers = staff): Promise<HoursWeek> {
  const res = await ctx.app.inject({ method: 'GET', url: `/dispatch/hours-week${week ? `?week=${week}` : ''}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HoursWeek>();
}

const figuresOf = (week: HoursWeek, workerId: string) => {
  const w = week.workers.find((x) => x.workerId === workerId);
  return w && { scheduled: w.scheduledMinutes, logged: w.loggedMinutes, confirmed: w.confirmedMinutes };
};

/** A job from `from` to `until` with these workers assigned (the first leads). */
async function job(from: string, until: string, workerIds: string[]): Promise<string> {
  const { booking } = await book(ctx.db, breda, { customer, startsAt: t(from), minutes: minutesBetween(from, until), workers: workerIds.length });
  for (const [i, workerId] of workerIds.entries()) await assign(ctx.db, breda, booking.id, workerId, { leads: i === 0 });
  return booking.id;
}

/**
 * An entry as the hours routes store it, written straight into the table: this suite reads entries,
 * it does not test how they are made (tests/integration/time-entries-db.test.ts does).
 */
async function logEntry(bookingId: string, workerId: string, from: string, until: string, extra: { billable?: number; overCap?: number } = {}) {
  const raw = minutesBetween(from, until);
  const billable = extra.billable ?? Math.ceil(raw / 15) * 15;
  await ctx.ownerDb.insertInto('time_entries').values({
    id: randomUUID(), programme_id: breda.id, booking_id: bookingId, worker_id: workerId,
    during: `[${t(from).toISOString()},${t(until).toISOString()})`, break_minutes: 0, raw_minutes: raw, billable_minutes: billable,
    over_cap_minutes: extra.overCap ?? 0, source: 'entered_after', recorded_by: workerId,
  }).execute();
}

async function confirmHours(bookingId: string, workerId: string, minutes: number, reason: string | null = null) {
  await ctx.ownerDb.insertInto('booking_hours').values({
    programme_id: breda.id, booking_id: bookingId, worker_id: workerId, logged_minutes: minutes, confirmed_minutes: minutes,
    reason, set_by: reason ? breda.dispatcherId : null, confirmed_by: breda.dispatcherId,
  }).execute();
}

async function step(bookingId: string, ...actions: bookings.PlainAction[]) {
  for (const action of actions) {
    await ctx.db.transaction().execute((tx) => bookings.transitionBooking(tx, {
      programmeId: breda.id, bookingId, action, actorUserId: breda.dispatcherId, ...(action === 'dispute' && { reason: 'Er is maar 1 uur gewerkt, niet 2.' }),
    }));
  }
}

async function checkIn(bookingId: string, workerId: string, at: string): Promise<string> {
  const id = randomUUID();
  await ctx.ownerDb.insertInto('time_check_ins').values({ id, programme_id: breda.id, booking_id: bookingId, worker_id: workerId, started_at: t(at), recorded_by: workerId }).execute();
  return id;
}

/** A fresh worker who can lead a garden job (paid unless told). */
const worker = (spec: Parameters<typeof newWorker>[2] = {}) => newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }], ...spec });

const nameOf = async (userId: string) => (await ctx.db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow()).display_name;

const exceptionsOf = (week: HoursWeek, bookingId: string) =>
  week.exceptions.filter((e) => e.bookingId === bookingId).map((e) => ({ kind: e.kind, workerId: e.workerId }));

describe('who may see the week', () => {
  it('is for staff only, and each programme sees its own workers', async () => {
    for (const email of ['medewerker@example.nl', 'bewoner@example.nl', 'organisatie@example.nl']) {
      const res = await ctx.app.inject({ method: 'GET', url: '/dispatch/hours-week', headers: bearer(await ctx.login(email)) });
      expect(res.statusCode, email).toBe(403);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/dispatch/hours-week' })).statusCode).toBe(401);
    const kees = await worker();
    const admin = await hoursWeek('2027-W09', bearer(await ctx.login('beheer@example.nl')));
    expect(admin.workers.map((w) => w.workerId)).toContain(kees);
    const utrecht = await hoursWeek('2027-W09', bearer(await ctx.login('beheer.utrecht@example.nl')));
    expect(utrecht.workers.map((w) => w.workerId)).not.toContain(kees);
  });
});

describe('the week asked for', () => {
  it('defaults to the current ISO week of the clock, in Amsterdam', async () => {
    // Sunday 23:30 in Amsterdam is still week 9, though it is Monday nowhere near
    now = t('2027-03-07T23:30:00+01:00');
    expect(await hoursWeek()).toMatchObject({ week: '2027-W09', from: '2027-03-01', until: '2027-03-08' });
    now = t('2027-03-08T00:30:00+01:00');
    expect(await hoursWeek()).toMatchObject({ week: '2027-W10', from: '2027-03-08', until: '2027-03-15' });
    // the first days of January belong to the ISO week of the year before
    now = t('2027-01-02T12:00:00+01:00');
    expect(await hoursWeek()).toMatchObject({ week: '2026-W53', from: '2026-12-28', until: '2027-01-04' });
  });

  it('takes any existing week and refuses one that does not exist with validation_failed', async () => {
    expect(await hoursWeek('2026-W53')).toMatchObject({ from: '2026-12-28', until: '2027-01-04' });
    expect(await hoursWeek('2027-W01')).toMatchObject({ from: '2027-01-04', until: '2027-01-11' });
    for (const week of ['2027-W53', '2027-W00', '2027-W9', '2027-09', 'volgende', '2027-W09x']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/dispatch/hours-week?week=${week}`, headers: staff });
      expect(res.statusCode, week).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('validation_failed');
    }
  });
});

describe('scheduled, logged and confirmed minutes per worker', () => {
  it('splits a job over the Sunday-to-Monday midnight between the weeks; logged and confirmed minutes sit in the week the work started', async () => {
    const anna = await worker();
    const ben = await worker();
    // Sunday 22:00 to Monday 02:00: 2 hours in week 9, 2 hours in week 10, for both
    const night = await job('2027-03-07T22:00:00+01:00', '2027-03-08T02:00:00+01:00', [anna, ben]);
    const wednesday = await job('2027-03-03T10:00:00+01:00', '2027-03-03T12:00:00+01:00', [anna]);
    const monday = await job('2027-03-08T10:00:00+01:00', '2027-03-08T11:00:00+01:00', [anna]);

    await logEntry(night, anna, '2027-03-07T22:00:00+01:00', '2027-03-08T01:50:00+01:00'); // 230 → 240
    await logEntry(wednesday, anna, '2027-03-03T10:00:00+01:00', '2027-03-03T11:07:00+01:00'); // 67 → 75
    await logEntry(monday, anna, '2027-03-08T10:00:00+01:00', '2027-03-08T11:00:00+01:00'); // 60
    // Ben logged nothing on the night job; a dispatcher set his minutes: they count in the week of the job's first entry
    await confirmHours(night, anna, 240);
    await confirmHours(night, ben, 180, 'Ben ging om 01:00 naar huis.');
    await confirmHours(wednesday, anna, 60, 'Een uur, zegt de klant.');

    const w09 = await hoursWeek('2027-W09');
    expect(figuresOf(w09, anna)).toEqual({ scheduled: 120 + 120, logged: 240 + 75, confirmed: 240 + 60 });
    expect(figuresOf(w09, ben)).toEqual({ scheduled: 120, logged: 0, confirmed: 180 });
    const w10 = await hoursWeek('2027-W10');
    expect(figuresOf(w10, anna)).toEqual({ scheduled: 120 + 60, logged: 60, confirmed: 0 });
    expect(figuresOf(w10, ben)).toEqual({ scheduled: 120, logged: 0, confirmed: 0 });
    expect(figuresOf(await hoursWeek('2027-W11'), anna)).toEqual({ scheduled: 0, logged: 0, confirmed: 0 });
    expect(w09.workers.find((w) => w.workerId === anna)).toMatchObject({ contract: 'paid', weeklyCapMinutes: null });
  });

  it('counts only active assignments: an unassigned worker has nothing scheduled; an inactive worker shows only with minutes in the week', async () => {
    const cas = await worker();
    const dirk = await worker();
    const booking = await job('2027-03-16T10:00:00+01:00', '2027-03-16T13:00:00+01:00', [cas, dirk]);
    await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: booking, workerId: dirk, actorUserId: breda.dispatcherId, reason: 'ziek' }));
    await ctx.ownerDb.updateTable('workers').set({ active: false }).where('user_id', 'in', [cas, dirk]).execute();
    const week = await hoursWeek('2027-W11');
    expect(figuresOf(week, cas)).toEqual({ scheduled: 180, logged: 0, confirmed: 0 });
    expect(figuresOf(week, dirk)).toBeUndefined();
  });

  it('counts the real hours of the weeks of the clock changes (167 and 169 hours), split at local midnight', async () => {
    const eva = await worker();
    // 28 March 2027: 02:00 becomes 03:00. 01:00+01:00 to 04:00+02:00 is 2 real hours.
    await job('2027-03-28T01:00:00+01:00', '2027-03-28T04:00:00+02:00', [eva]);
    // Monday 29 March 00:00 in Amsterdam is 22:00 UTC on Sunday: this hour is all week 13
    const after = await job('2027-03-29T00:00:00+02:00', '2027-03-29T01:00:00+02:00', [eva]);
    await logEntry(after, eva, '2027-03-29T00:00:00+02:00', '2027-03-29T00:45:00+02:00');
    // Sunday 23:30 to Monday 00:30 (summer time): half an hour in each week
    await job('2027-04-04T23:30:00+02:00', '2027-04-05T00:30:00+02:00', [eva]);
    // 31 October 2027: 03:00 becomes 02:00 again. 01:30+02:00 to 03:30+01:00 is 3 real hours.
    const autumn = await job('2027-10-31T01:30:00+02:00', '2027-10-31T03:30:00+01:00', [eva]);
    await logEntry(autumn, eva, '2027-10-31T01:30:00+02:00', '2027-10-31T03:30:00+01:00');

    const w12 = await hoursWeek('2027-W12');
    expect(w12).toMatchObject({ from: '2027-03-22', until: '2027-03-29' });
    expect(figuresOf(w12, eva)).toEqual({ scheduled: 120, logged: 0, confirmed: 0 });
    expect(figuresOf(await hoursWeek('2027-W13'), eva)).toEqual({ scheduled: 60 + 30, logged: 45, confirmed: 0 });
    expect(figuresOf(await hoursWeek('2027-W14'), eva)).toEqual({ scheduled: 30, logged: 0, confirmed: 0 });
    expect(figuresOf(await hoursWeek('2027-W43'), eva)).toEqual({ scheduled: 180, logged: 180, confirmed: 0 });
  });
});

describe('the exceptions, each exactly when it should be there', () => {
  it('missing_check_out: an open check-in more than 1 hour after the assignment ended, until it is closed', async () => {
    const fien = await worker();
    const booking = await job('2027-03-02T10:00:00+01:00', '2027-03-02T12:00:00+01:00', [fien]);
    const checkInId = await checkIn(booking, fien, '2027-03-02T10:02:00+01:00');
    now = t('2027-03-02T12:59:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
    now = t('2027-03-02T13:01:00+01:00');
    const week = await hoursWeek('2027-W09');
    expect(exceptionsOf(week, booking)).toEqual([{ kind: 'missing_check_out', workerId: fien }]);
    expect(week.exceptions.find((e) => e.bookingId === booking)).toMatchObject({
      startsAt: '2027-03-02T09:00:00.000Z', endsAt: '2027-03-02T11:00:00.000Z', workerName: await nameOf(fien),
      customerName: (await ctx.db.selectFrom('households').select('name').where('id', '=', customer.householdId).executeTakeFirstOrThrow()).name,
      detail: { since: '2027-03-02T09:02:00.000Z', minutes: null, reason: null },
    });
    // the week of the job, not the week of the clock; days later it is still the missing check-out
    // (not also no_hours: the open check-in explains why there is no entry)
    now = t('2027-03-20T12:00:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W11'), booking)).toEqual([]);
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([{ kind: 'missing_check_out', workerId: fien }]);
    // checked out: the entry closes the check-in
    await logEntry(booking, fien, '2027-03-02T10:02:00+01:00', '2027-03-02T12:00:00+01:00');
    await ctx.ownerDb.updateTable('time_check_ins').set({ closed_at: t('2027-03-02T12:00:00+01:00') }).where('id', '=', checkInId).execute();
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
  });

  it('over_cap: entries over a benefit worker\'s cap, until the booking is confirmed', async () => {
    const gijs = await worker({ contract: 'benefit', weeklyCapMinutes: 120 });
    const booking = await job('2027-03-04T10:00:00+01:00', '2027-03-04T12:00:00+01:00', [gijs]);
    const other = await job('2027-03-05T10:00:00+01:00', '2027-03-05T10:30:00+01:00', [await worker()]);
    await logEntry(booking, gijs, '2027-03-04T10:00:00+01:00', '2027-03-04T11:00:00+01:00', { billable: 60, overCap: 0 });
    now = t('2027-03-04T13:00:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
    await logEntry(booking, gijs, '2027-03-04T11:00:00+01:00', '2027-03-04T12:30:00+01:00', { billable: 90, overCap: 30 });
    await logEntry(other, (await ctx.db.selectFrom('booking_assignments').select('worker_id').where('booking_id', '=', other).executeTakeFirstOrThrow()).worker_id,
      '2027-03-05T10:00:00+01:00', '2027-03-05T10:30:00+01:00');
    await step(booking, 'check_in', 'finish');
    const week = await hoursWeek('2027-W09');
    expect(exceptionsOf(week, booking)).toEqual([{ kind: 'over_cap', workerId: gijs }]);
    expect(exceptionsOf(week, other)).toEqual([]);
    expect(week.exceptions.find((e) => e.bookingId === booking)).toMatchObject({
      startsAt: '2027-03-04T10:00:00.000Z', endsAt: '2027-03-04T11:30:00.000Z', detail: { minutes: 30, reason: null, since: null },
    });
    expect(week.workers.find((w) => w.workerId === gijs)).toMatchObject({ contract: 'benefit', weeklyCapMinutes: 120, loggedMinutes: 150 });
    await step(booking, 'confirm_hours');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
  });

  it('open_dispute: a disputed booking, with the reason, until the dispute is resolved', async () => {
    const hans = await worker();
    const booking = await job('2027-03-03T14:00:00+01:00', '2027-03-03T16:00:00+01:00', [hans]);
    await logEntry(booking, hans, '2027-03-03T14:00:00+01:00', '2027-03-03T16:00:00+01:00');
    await step(booking, 'check_in', 'finish');
    now = t('2027-03-06T12:00:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
    await step(booking, 'dispute');
    const week = await hoursWeek('2027-W09');
    expect(exceptionsOf(week, booking)).toEqual([{ kind: 'open_dispute', workerId: null }]);
    const found = week.exceptions.find((e) => e.bookingId === booking)!;
    expect(found).toMatchObject({ workerName: null, startsAt: '2027-03-03T13:00:00.000Z', endsAt: '2027-03-03T15:00:00.000Z', detail: { reason: 'Er is maar 1 uur gewerkt, niet 2.', minutes: null } });
    expect(found.detail.since).not.toBeNull();
    await step(booking, 'resolve_dispute');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
  });

  it('no_hours: an assigned worker without any entry more than 2 days after the job ended; not for one who logged, nor a cancelled job', async () => {
    const ilse = await worker();
    const joost = await worker();
    const booking = await job('2027-03-03T09:00:00+01:00', '2027-03-03T12:00:00+01:00', [ilse, joost]);
    await logEntry(booking, ilse, '2027-03-03T09:00:00+01:00', '2027-03-03T12:00:00+01:00');
    const cancelled = await job('2027-03-03T08:00:00+01:00', '2027-03-03T09:00:00+01:00', [await worker()]);
    await ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, { programmeId: breda.id, bookingId: cancelled, actorUserId: breda.dispatcherId, reason: 'test', freeCancellationHours: 24, feeMinutesPerWorker: 60, now: t('2027-03-01T08:00:00+01:00') }));

    now = t('2027-03-05T11:59:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
    now = t('2027-03-05T12:01:00+01:00');
    const week = await hoursWeek('2027-W09');
    expect(exceptionsOf(week, booking)).toEqual([{ kind: 'no_hours', workerId: joost }]);
    expect(exceptionsOf(week, cancelled)).toEqual([]);
    await logEntry(booking, joost, '2027-03-03T09:00:00+01:00', '2027-03-03T11:00:00+01:00');
    expect(exceptionsOf(await hoursWeek('2027-W09'), booking)).toEqual([]);
  });

  it('lists the week\'s exceptions earliest first, whatever order they arose in', async () => {
    const [lies, mark, noor] = [await worker(), await worker(), await worker()];
    const thursday = await job('2027-05-20T10:00:00+02:00', '2027-05-20T11:00:00+02:00', [lies]);
    const tuesday = await job('2027-05-18T10:00:00+02:00', '2027-05-18T11:00:00+02:00', [mark]);
    await checkIn(tuesday, mark, '2027-05-18T10:00:00+02:00');
    const monday = await job('2027-05-17T10:00:00+02:00', '2027-05-17T11:00:00+02:00', [noor]);
    await logEntry(monday, noor, '2027-05-17T10:00:00+02:00', '2027-05-17T11:00:00+02:00');
    await step(monday, 'check_in', 'finish', 'dispute');
    now = t('2027-05-24T12:00:00+02:00');
    const week = await hoursWeek('2027-W20');
    expect(week.exceptions.map((e) => [e.kind, e.bookingId])).toEqual([
      ['open_dispute', monday], ['missing_check_out', tuesday], ['no_hours', thursday],
    ]);
  });
});
