// The data layer of booking and dispatch (issue 4) against real PostgreSQL, through the API's own
// restricted role: the rules that keep people and money safe hold in the database itself, under
// concurrency, and the repositories turn their refusals into typed errors with stable codes.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_ACTIONS, BOOKING_STATES, BookingTransitionError } from '@buurtservice/shared';
import { bookings, wallet, workers } from '@buurtservice/db';
import { createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, heldMinutes, newHousehold, newWorker, programme, settle, stateOf, type Programme } from '../support/bookings.js';

let ctx: TestContext;
let breda: Programme;
let utrecht: Programme;
beforeAll(async () => {
  ctx = await createTestContext();
  [breda, utrecht] = await Promise.all([programme(ctx.db, 'breda-noordoost'), programme(ctx.db, 'utrecht-overvecht')]);
});
afterAll(async () => { await ctx?.close(); });

const t = (iso: string) => new Date(iso);
const MINUTE = 60_000;

describe('the schema follows the shared state machine', () => {
  it('has the booking states and actions of shared/src/booking-lifecycle.ts, in order', async () => {
    const states = await sql<{ v: string[] }>`select enum_range(null::booking_state)::text[] as v`.execute(ctx.db);
    const actions = await sql<{ v: string[] }>`select enum_range(null::booking_action)::text[] as v`.execute(ctx.db);
    expect(states.rows[0]!.v).toEqual([...BOOKING_STATES]);
    expect(actions.rows[0]!.v).toEqual([...BOOKING_ACTIONS]);
  });
});

describe('a worker is never in two places at once', () => {
  it('lets exactly 1 of 20 concurrent assignments of one worker to overlapping jobs through; the others get worker_double_booked', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 20);
    const worker = await newWorker(ctx.db, breda.id);
    // 20 one-hour jobs starting a minute apart: every pair overlaps.
    const jobs = [];
    for (let i = 0; i < 20; i++) jobs.push((await book(ctx.db, breda, { customer, startsAt: new Date(t('2027-03-01T10:00:00+01:00').getTime() + i * MINUTE) })).booking.id);

    const { ok, errors } = await settle(jobs.map((id) => assign(ctx.db, breda, id, worker)));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(19);
    for (const err of errors) {
      expect(err).toBeInstanceOf(bookings.WorkerDoubleBookedError);
      expect((err as bookings.WorkerDoubleBookedError).code).toBe('worker_double_booked');
    }
    const active = await ctx.db.selectFrom('booking_assignments').select('booking_id').where('worker_id', '=', worker).where('released_at', 'is', null).execute();
    expect(active.map((a) => a.booking_id)).toEqual([ok[0]!.transition!.bookingId]);
    const states = await Promise.all(jobs.map((id) => stateOf(ctx.db, id)));
    expect(states.filter((s) => s === 'scheduled')).toHaveLength(1);
    expect(states.filter((s) => s === 'ready_to_plan')).toHaveLength(19);
  });

  it('allows back-to-back jobs, refuses an overlap of 15 minutes, and frees the time when the worker is taken off', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 10);
    const worker = await newWorker(ctx.db, breda.id);
    const morning = await book(ctx.db, breda, { customer, startsAt: t('2027-03-02T09:00:00+01:00'), minutes: 120 });
    const noon = await book(ctx.db, breda, { customer, startsAt: t('2027-03-02T11:00:00+01:00'), minutes: 120 });
    const overlapping = await book(ctx.db, breda, { customer, startsAt: t('2027-03-02T12:45:00+01:00'), minutes: 60 });

    await assign(ctx.db, breda, morning.booking.id, worker);
    await assign(ctx.db, breda, noon.booking.id, worker);
    await expect(assign(ctx.db, breda, overlapping.booking.id, worker)).rejects.toBeInstanceOf(bookings.WorkerDoubleBookedError);

    const off = await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: noon.booking.id, workerId: worker, actorUserId: breda.dispatcherId, reason: 'ziek gemeld' }));
    expect(off.transition).toMatchObject({ action: 'unassign', from: 'scheduled', to: 'ready_to_plan' });
    await assign(ctx.db, breda, overlapping.booking.id, worker);
    // the released row stays as history
    const rows = await ctx.db.selectFrom('booking_assignments').select(['booking_id', 'released_at', 'release_reason']).where('worker_id', '=', worker).orderBy('assigned_at').execute();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.booking_id === noon.booking.id)).toMatchObject({ release_reason: 'ziek gemeld' });
  });

  it('is the database that refuses, with SQLSTATE 23P01 on the constraint worker_not_double_booked', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 4);
    const worker = await newWorker(ctx.db, breda.id);
    const a = await book(ctx.db, breda, { customer, startsAt: t('2027-03-03T09:00:00+01:00'), minutes: 120 });
    const b = await book(ctx.db, breda, { customer, startsAt: t('2027-03-03T10:00:00+01:00'), minutes: 120 });
    const raw = (bookingId: string, from: string, until: string) => ctx.db
      .insertInto('booking_assignments')
      .values({ programme_id: breda.id, booking_id: bookingId, worker_id: worker, during: sql<string>`tstzrange(${from}::timestamptz, ${until}::timestamptz, '[)')` })
      .execute();
    await raw(a.booking.id, '2027-03-03T09:00:00+01:00', '2027-03-03T11:00:00+01:00');
    await expect(raw(b.booking.id, '2027-03-03T10:00:00+01:00', '2027-03-03T12:00:00+01:00')).rejects.toMatchObject({ code: '23P01', constraint: 'worker_not_double_booked' });
  });
});

describe('a worker on a benefit never exceeds the weekly cap', () => {
  it('lets 4 of 10 concurrent two-hour assignments through for a cap of 8 hours; the others get worker_weekly_cap_exceeded', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 30);
    const worker = await newWorker(ctx.db, breda.id, { contract: 'benefit', weeklyCapMinutes: 480 });
    // Monday 8 to Friday 12 March 2027, 09:00 and 13:00: ten jobs that do not overlap, one ISO week.
    const jobs = [];
    for (let day = 8; day <= 12; day++) {
      for (const hour of ['09', '13']) jobs.push((await book(ctx.db, breda, { customer, startsAt: t(`2027-03-${String(day).padStart(2, '0')}T${hour}:00:00+01:00`), minutes: 120 })).booking.id);
    }
    const { ok, errors } = await settle(jobs.map((id) => assign(ctx.db, breda, id, worker)));
    expect(ok).toHaveLength(4);
    expect(errors).toHaveLength(6);
    for (const err of errors) {
      expect(err).toBeInstanceOf(bookings.WorkerWeeklyCapExceededError);
      expect(err).toMatchObject({ code: 'worker_weekly_cap_exceeded', capMinutes: 480, weekStart: '2027-03-08' });
    }
    const load = (await workers.weeklyLoad(ctx.db, breda.id, '2027-03-10')).find((l) => l.workerId === worker);
    expect(load).toEqual({ workerId: worker, weekStart: '2027-03-08', assignedMinutes: 480, weeklyCapMinutes: 480 });

    // The next week is a new week; a night job from Sunday into Monday counts its part in each week.
    const nextWeek = await book(ctx.db, breda, { customer, startsAt: t('2027-03-15T09:00:00+01:00'), minutes: 120 });
    await assign(ctx.db, breda, nextWeek.booking.id, worker);
    const overnight = await book(ctx.db, breda, { customer, startsAt: t('2027-03-14T23:00:00+01:00'), minutes: 120 });
    await expect(assign(ctx.db, breda, overnight.booking.id, worker)).rejects.toMatchObject({ code: 'worker_weekly_cap_exceeded', weekStart: '2027-03-08', usedMinutes: 540 });
  });

  it('is the database that refuses, with SQLSTATE 23514 and the constraint name worker_within_weekly_cap; workers without a benefit have no cap', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 2 + 5 * 12);
    const capped = await newWorker(ctx.db, breda.id, { contract: 'benefit', weeklyCapMinutes: 60 });
    const paid = await newWorker(ctx.db, breda.id, { contract: 'paid' });
    const job = await book(ctx.db, breda, { customer, startsAt: t('2027-03-16T09:00:00+01:00'), minutes: 120 });
    const raw = (worker: string) => ctx.db
      .insertInto('booking_assignments')
      .values({ programme_id: breda.id, booking_id: job.booking.id, worker_id: worker, during: sql<string>`tstzrange('2027-03-16T09:00:00+01:00', '2027-03-16T11:00:00+01:00', '[)')` })
      .execute();
    await expect(raw(capped)).rejects.toMatchObject({ code: '23514', constraint: 'worker_within_weekly_cap' });
    await raw(paid);
    // a whole week of long days for a paid worker: no cap
    for (let day = 17; day <= 21; day++) {
      const long = await book(ctx.db, breda, { customer, startsAt: t(`2027-03-${day}T08:00:00+01:00`), minutes: 720 });
      expect(long.hold.status).toBe('held');
      await assign(ctx.db, breda, long.booking.id, paid);
    }
  });
});

describe('booking with the wallet', () => {
  it('waits as awaiting_payment when the wallet is short, and moves on to ready_to_plan after a purchase, holding workers × minutes', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 2);
    const created = await book(ctx.db, breda, { customer, startsAt: t('2027-03-22T10:00:00+01:00'), minutes: 180, workers: 2 });
    expect(created.price).toEqual({ workerMinutes: 360, centsPerWorkerHour: 1000, totalCents: 6000 });
    expect(created.hold).toEqual({ status: 'short', neededMinutes: 360, availableMinutes: 120 });
    expect(created.booking.state).toBe('awaiting_payment');
    expect(await heldMinutes(ctx.db, breda.id, created.booking.id)).toBe(0);
    expect((await wallet.walletSummary(ctx.db, breda.id, customer)).balanceMinutes).toBe(120);

    const resume = () => ctx.db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, { programmeId: breda.id, customer }));
    expect(await resume()).toEqual({ resumed: [], waiting: [created.booking.id] });
    await buy(ctx.db, breda.id, customer, 4);
    expect(await resume()).toEqual({ resumed: [created.booking.id], waiting: [] });
    expect(await stateOf(ctx.db, created.booking.id)).toBe('ready_to_plan');
    expect(await heldMinutes(ctx.db, breda.id, created.booking.id)).toBe(2 * 180);
    const summary = await wallet.walletSummary(ctx.db, breda.id, customer);
    expect({ free: summary.balanceMinutes, held: summary.heldMinutes }).toEqual({ free: 0, held: 360 });
    // a second run moves nothing twice
    expect(await resume()).toEqual({ resumed: [], waiting: [] });
    expect(await heldMinutes(ctx.db, breda.id, created.booking.id)).toBe(360);

    const events = await bookings.bookingEvents(ctx.db, breda.id, created.booking.id);
    expect(events.map((e) => [e.action, e.from, e.to])).toEqual([['hold_short', 'requested', 'awaiting_payment'], ['payment_received', 'awaiting_payment', 'ready_to_plan']]);
    expect(events[0]).toMatchObject({ actorUserId: breda.dispatcherId, details: { neededMinutes: 360, availableMinutes: 120 } });
  });

  it('holds at once when the wallet has enough, and moves the oldest waiting booking on first when cheques arrive for only one', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 1);
    const held = await book(ctx.db, breda, { customer, startsAt: t('2027-03-23T10:00:00+01:00'), minutes: 60 });
    expect(held.hold).toEqual({ status: 'held', minutes: 60 });
    expect(held.transition).toMatchObject({ action: 'hold_placed', from: 'requested', to: 'ready_to_plan' });
    const older = await book(ctx.db, breda, { customer, startsAt: t('2027-03-24T10:00:00+01:00'), minutes: 120 });
    const newer = await book(ctx.db, breda, { customer, startsAt: t('2027-03-25T10:00:00+01:00'), minutes: 120 });
    await buy(ctx.db, breda.id, customer, 2);
    const result = await ctx.db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, { programmeId: breda.id, customer }));
    expect(result).toEqual({ resumed: [older.booking.id], waiting: [newer.booking.id] });
  });

  it('refuses a job the service cannot take: too many workers, a service-point service at home, an inactive service', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await expect(book(ctx.db, breda, { customer, workers: 5 })).rejects.toMatchObject({ code: 'workers_out_of_range' });
    await expect(book(ctx.db, breda, { customer, service: 'strijkservice' })).rejects.toMatchObject({ code: 'place_not_allowed' });
    await expect(book(ctx.db, breda, { customer, window: { start: '2027-03-01', end: '2027-03-08' } })).rejects.toMatchObject({ code: 'window_invalid' });
    // the database checks the same shape: a duration that is not a multiple of 15 minutes
    await expect(book(ctx.db, breda, { customer, minutes: 50 })).rejects.toMatchObject({ code: '23514' });
  });
});

describe('the lifecycle is recorded', () => {
  it('records every transition in booking_events and refuses an action the state does not allow with the state machine\'s error', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 2);
    const worker = await newWorker(ctx.db, breda.id);
    const { booking } = await book(ctx.db, breda, { customer, startsAt: t('2027-04-05T10:00:00+02:00'), minutes: 120 });
    const step = (action: bookings.PlainAction, reason?: string) =>
      ctx.db.transaction().execute((tx) => bookings.transitionBooking(tx, { programmeId: breda.id, bookingId: booking.id, action, actorUserId: breda.dispatcherId, reason: reason ?? null }));

    const refused = await step('check_in').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BookingTransitionError);
    expect(refused).toMatchObject({ code: 'booking_action_not_allowed', state: 'ready_to_plan', action: 'check_in' });
    expect(await stateOf(ctx.db, booking.id)).toBe('ready_to_plan');

    await assign(ctx.db, breda, booking.id, worker);
    await step('check_in');
    await step('finish');
    await step('dispute', 'Er is maar 1 uur gewerkt');
    await step('resolve_dispute', 'Na overleg: 2 uur klopt');
    await step('settle');
    await expect(ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
      programmeId: breda.id, bookingId: booking.id, actorUserId: breda.dispatcherId, freeCancellationHours: 24, feeMinutesPerWorker: 60,
    }))).rejects.toBeInstanceOf(BookingTransitionError);

    const events = await bookings.bookingEvents(ctx.db, breda.id, booking.id);
    expect(events.map((e) => e.action)).toEqual(['hold_placed', 'assign', 'check_in', 'finish', 'dispute', 'resolve_dispute', 'settle']);
    // one unbroken chain from requested to settled
    expect(events[0]!.from).toBe('requested');
    for (let i = 1; i < events.length; i++) expect(events[i]!.from).toBe(events[i - 1]!.to);
    expect(events.at(-1)!.to).toBe('settled');
    expect(events.find((e) => e.action === 'dispute')).toMatchObject({ reason: 'Er is maar 1 uur gewerkt', actorName: 'Kees van Dijk' });
    expect(await stateOf(ctx.db, booking.id)).toBe('settled');
  });

  it('lets one of ten concurrent check-ins of a booking through (a row lock), the others see it in progress', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 1);
    const worker = await newWorker(ctx.db, breda.id);
    const { booking } = await book(ctx.db, breda, { customer, startsAt: t('2027-04-06T10:00:00+02:00'), minutes: 60 });
    await assign(ctx.db, breda, booking.id, worker);
    const { ok, errors } = await settle(Array.from({ length: 10 }, () =>
      ctx.db.transaction().execute((tx) => bookings.transitionBooking(tx, { programmeId: breda.id, bookingId: booking.id, action: 'check_in', actorUserId: worker }))));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(9);
    for (const err of errors) expect(err).toMatchObject({ code: 'booking_action_not_allowed', state: 'in_progress' });
    const events = await bookings.bookingEvents(ctx.db, breda.id, booking.id);
    expect(events.filter((e) => e.action === 'check_in')).toHaveLength(1);
  });

  it('keeps booking_events append-only: the API role may not UPDATE or DELETE them, and the owner is stopped by a trigger', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    const { booking } = await book(ctx.db, breda, { customer });
    const event = await ctx.db.selectFrom('booking_events').select('id').where('booking_id', '=', booking.id).executeTakeFirstOrThrow();
    for (const db of [ctx.db, ctx.ownerDb]) {
      await expect(db.updateTable('booking_events').set({ reason: 'achteraf anders' }).where('id', '=', event.id).execute()).rejects.toMatchObject({ code: '42501' });
      await expect(db.deleteFrom('booking_events').where('id', '=', event.id).execute()).rejects.toMatchObject({ code: '42501' });
    }
    await expect(sql`truncate booking_events`.execute(ctx.ownerDb)).rejects.toMatchObject({ code: '42501' });
    await expect(ctx.ownerDb.updateTable('booking_events').set({ reason: 'x' }).where('id', '=', event.id).execute()).rejects.toThrow(/append-only/);
    expect(await ctx.db.selectFrom('booking_events').select('reason').where('id', '=', event.id).executeTakeFirstOrThrow()).toEqual({ reason: null });
  });
});

describe('cancellation', () => {
  // Two workers for three hours: 360 minutes held. Free until 24 hours before the start; later one
  // hour per assigned worker is charged from the hold and the rest released.
  const start = t('2027-04-14T10:00:00+02:00');
  async function scheduledJob() {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 6);
    const lead = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
    const helper = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'learning' }] });
    const { booking } = await book(ctx.db, breda, { customer, startsAt: start, minutes: 180, workers: 2 });
    await assign(ctx.db, breda, booking.id, helper);
    const done = await assign(ctx.db, breda, booking.id, lead, { leads: true });
    expect(done.transition).toMatchObject({ action: 'assign', to: 'scheduled' });
    expect(await heldMinutes(ctx.db, breda.id, booking.id)).toBe(360);
    return { customer, booking, lead, helper };
  }
  const cancel = (bookingId: string, now: Date, extra: Partial<bookings.CancelRequest> = {}) => ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
    programmeId: breda.id, bookingId, actorUserId: breda.dispatcherId, freeCancellationHours: 24, feeMinutesPerWorker: 60, now, ...extra,
  }));

  it('is free 24 hours and 1 minute before the start: the whole hold goes back and the workers are free again', async () => {
    const { customer, booking, lead, helper } = await scheduledJob();
    const result = await cancel(booking.id, new Date(start.getTime() - (24 * 60 + 1) * MINUTE), { reason: 'Toch zelf gedaan' });
    expect(result).toMatchObject({ late: false, feeMinutes: 0, releasedMinutes: 360, transition: { from: 'scheduled', to: 'cancelled' } });
    expect(result.releasedWorkerIds.sort()).toEqual([lead, helper].sort());
    expect(await heldMinutes(ctx.db, breda.id, booking.id)).toBe(0);
    expect((await wallet.walletSummary(ctx.db, breda.id, customer)).balanceMinutes).toBe(360);
    // the workers can take another job at that very time
    const other = await book(ctx.db, breda, { customer, startsAt: start, minutes: 60 });
    await assign(ctx.db, breda, other.booking.id, lead);
    const events = await bookings.bookingEvents(ctx.db, breda.id, booking.id);
    expect(events.at(-1)).toMatchObject({ action: 'cancel', reason: 'Toch zelf gedaan', details: { late: false, feeMinutes: 0, releasedMinutes: 360, assignedWorkers: 2 } });
  });

  it('is free at exactly 24 hours before the start, late from then on', () => {
    expect(bookings.isLateCancellation(start, new Date(start.getTime() - 24 * 60 * MINUTE), 24)).toBe(false);
    expect(bookings.isLateCancellation(start, new Date(start.getTime() - (24 * 60 - 1) * MINUTE), 24)).toBe(true);
  });

  it('costs one hour per assigned worker 23 hours and 59 minutes before the start; the rest of the hold is released', async () => {
    const { customer, booking } = await scheduledJob();
    const result = await cancel(booking.id, new Date(start.getTime() - (24 * 60 - 1) * MINUTE));
    expect(result).toMatchObject({ late: true, feeMinutes: 120, releasedMinutes: 240 });
    expect(await heldMinutes(ctx.db, breda.id, booking.id)).toBe(0);
    expect((await wallet.walletSummary(ctx.db, breda.id, customer)).balanceMinutes).toBe(240);
    const fee = await ctx.db.selectFrom('ledger_transactions').select(['kind', 'idempotency_key']).where('booking_id', '=', booking.id).where('kind', '=', 'cancellation_fee').execute();
    expect(fee).toHaveLength(1);
  });

  it('lets a dispatcher waive the late fee, with a reason', async () => {
    const { customer, booking } = await scheduledJob();
    const result = await cancel(booking.id, new Date(start.getTime() - 60 * MINUTE), { waiveFee: true, reason: 'Klant ligt in het ziekenhuis' });
    expect(result).toMatchObject({ late: true, feeMinutes: 0, releasedMinutes: 360 });
    expect((await wallet.walletSummary(ctx.db, breda.id, customer)).balanceMinutes).toBe(360);
  });

  it('cancels once when ten cancellations arrive at once, and moves no cheque twice', async () => {
    const { customer, booking } = await scheduledJob();
    const { ok, errors } = await settle(Array.from({ length: 10 }, () => cancel(booking.id, new Date(start.getTime() - 60 * MINUTE))));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(9);
    for (const err of errors) expect(err).toBeInstanceOf(BookingTransitionError);
    expect((await wallet.walletSummary(ctx.db, breda.id, customer)).balanceMinutes).toBe(240);
  });

  it('cancels a booking that waits for payment without touching the wallet', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    const { booking } = await book(ctx.db, breda, { customer, startsAt: start, minutes: 60 });
    expect(booking.state).toBe('awaiting_payment');
    const result = await cancel(booking.id, new Date(start.getTime() - 60 * MINUTE));
    expect(result).toMatchObject({ late: true, feeMinutes: 0, releasedMinutes: 0, transition: { from: 'awaiting_payment', to: 'cancelled' } });
    expect(await ctx.db.selectFrom('ledger_transactions').select('id').where('booking_id', '=', booking.id).execute()).toEqual([]);
  });
});

describe('assignment rules', () => {
  it('needs the skill, an active worker who is not absent, and one who leads in a team', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 10);
    const cleaner = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'schoonmaak', level: 'lead' }] });
    const gardener = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'independent' }] });
    const gardener2 = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'independent' }] });
    const { booking } = await book(ctx.db, breda, { customer, startsAt: t('2027-05-03T10:00:00+02:00'), minutes: 120, workers: 2 });

    await expect(assign(ctx.db, breda, booking.id, cleaner)).rejects.toMatchObject({ code: 'worker_lacks_skill' });
    await expect(assign(ctx.db, breda, booking.id, gardener, { leads: true })).rejects.toMatchObject({ code: 'lead_not_qualified' });
    await assign(ctx.db, breda, booking.id, gardener);
    await expect(assign(ctx.db, breda, booking.id, gardener)).rejects.toMatchObject({ code: 'worker_already_assigned' });
    await expect(assign(ctx.db, breda, booking.id, gardener2)).rejects.toMatchObject({ code: 'lead_required' });

    await ctx.db.transaction().execute((tx) => workers.setSkills(tx, breda.id, gardener2, [{ skill: 'tuin', level: 'lead' }]));
    await workers.addAbsence(ctx.db, { programmeId: breda.id, workerId: gardener2, kind: 'sick', startsAt: t('2027-05-03T00:00:00+02:00'), endsAt: t('2027-05-04T00:00:00+02:00'), recordedBy: breda.dispatcherId });
    await expect(assign(ctx.db, breda, booking.id, gardener2, { leads: true })).rejects.toMatchObject({ code: 'worker_absent' });
    await expect(workers.addAbsence(ctx.db, { programmeId: breda.id, workerId: gardener2, kind: 'leave', startsAt: t('2027-05-03T12:00:00+02:00'), endsAt: t('2027-05-10T00:00:00+02:00') })).rejects.toMatchObject({ code: 'absence_overlaps' });
    await workers.updateWorker(ctx.db, breda.id, cleaner, { active: false });
    await ctx.db.transaction().execute((tx) => workers.setSkills(tx, breda.id, cleaner, [{ skill: 'tuin', level: 'lead' }]));
    await expect(assign(ctx.db, breda, booking.id, cleaner, { leads: true })).rejects.toMatchObject({ code: 'worker_inactive' });
    await workers.updateWorker(ctx.db, breda.id, cleaner, { active: true });
    const done = await assign(ctx.db, breda, booking.id, cleaner, { leads: true });
    expect(done.transition).toMatchObject({ to: 'scheduled' });
    await expect(assign(ctx.db, breda, booking.id, gardener2)).rejects.toBeInstanceOf(BookingTransitionError);
  });

  it('plans a flexible booking within its week: the first worker sets the time, the team shares it', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 4);
    const lead = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
    const helper = await newWorker(ctx.db, breda.id);
    const { booking } = await book(ctx.db, breda, { customer, window: { start: '2027-05-10', end: '2027-05-14' }, minutes: 120, workers: 2 });
    expect(booking).toMatchObject({ state: 'ready_to_plan', starts_at: null, window_start: '2027-05-10', window_end: '2027-05-14' });
    await expect(assign(ctx.db, breda, booking.id, lead, { leads: true })).rejects.toMatchObject({ code: 'start_required' });
    await expect(assign(ctx.db, breda, booking.id, lead, { leads: true, startsAt: t('2027-05-15T10:00:00+02:00') })).rejects.toMatchObject({ code: 'start_outside_window' });
    const first = await assign(ctx.db, breda, booking.id, lead, { leads: true, startsAt: t('2027-05-12T13:00:00+02:00') });
    expect(first.endsAt).toEqual(t('2027-05-12T15:00:00+02:00'));
    await expect(assign(ctx.db, breda, booking.id, helper, { startsAt: t('2027-05-12T09:00:00+02:00') })).rejects.toMatchObject({ code: 'start_mismatch' });
    const second = await assign(ctx.db, breda, booking.id, helper);
    expect(second).toMatchObject({ startsAt: first.startsAt, endsAt: first.endsAt, transition: { to: 'scheduled' } });
  });
});

describe('workers', () => {
  it('has the demo workers of Breda Noordoost, medewerker@example.nl among them, with mixed contracts', async () => {
    const list = await workers.listWorkers(ctx.db, breda.id);
    const names = ['Sanne de Bruijn', 'Mohamed Ouali', 'Ineke Vermeulen', 'Jordy Martens', 'Fatma Kaya', 'Dennis Peeters'];
    const demo = list.filter((w) => names.includes(w.displayName));
    expect(demo.map((w) => w.displayName).sort()).toEqual([...names].sort());
    expect(new Set(demo.map((w) => w.contract))).toEqual(new Set(['paid', 'volunteer', 'benefit', 'trainee']));
    const sanne = list.find((w) => w.email === 'medewerker@example.nl');
    expect(sanne).toMatchObject({ displayName: 'Sanne de Bruijn', contract: 'paid', homeBuurtName: 'Hoge Vucht', coachName: 'Kees van Dijk' });
    expect(sanne!.skills).toContainEqual({ skill: 'tuin', level: 'lead' });
    expect(sanne!.availability).toContainEqual({ weekday: 1, startMinute: 480, endMinute: 990 });
    for (const w of demo.filter((x) => x.contract === 'benefit')) expect(w.weeklyCapMinutes).toBeGreaterThan(0);
    expect(await workers.listWorkers(ctx.db, utrecht.id)).toEqual([]);
  });

  it('needs a weekly cap for a benefit and none otherwise, a worker account and a staff coach', async () => {
    const user = await ctx.db.insertInto('users').values({ programme_id: breda.id, role: 'worker', display_name: 'Nieuwe Werker' }).returning('id').executeTakeFirstOrThrow();
    const base = { programmeId: breda.id, userId: user.id, startedOn: '2026-12-01' };
    await expect(workers.createWorker(ctx.db, { ...base, contract: 'benefit' })).rejects.toMatchObject({ code: 'weekly_cap_required' });
    await expect(workers.createWorker(ctx.db, { ...base, contract: 'paid', weeklyCapMinutes: 600 })).rejects.toMatchObject({ code: 'weekly_cap_only_for_benefit' });
    // the database holds the same rule without the repository
    await expect(ctx.db.insertInto('workers').values({ user_id: user.id, programme_id: breda.id, contract: 'benefit', started_on: '2026-12-01' }).execute())
      .rejects.toMatchObject({ code: '23514', constraint: 'worker_cap_only_on_benefit' });
    const resident = await ctx.db.selectFrom('users').select('id').where('email', '=', 'bewoner@example.nl').executeTakeFirstOrThrow();
    await expect(workers.createWorker(ctx.db, { ...base, userId: resident.id, contract: 'paid' })).rejects.toMatchObject({ code: 'not_a_worker_account' });
    await expect(workers.createWorker(ctx.db, { ...base, contract: 'paid', coachId: resident.id })).rejects.toMatchObject({ code: 'coach_not_staff' });
    const w = await workers.createWorker(ctx.db, { ...base, contract: 'benefit', weeklyCapMinutes: 960, coachId: breda.dispatcherId });
    expect(w).toMatchObject({ contract: 'benefit', weekly_cap_minutes: 960, coach_role: 'dispatcher' });
    await expect(workers.createWorker(ctx.db, { ...base, contract: 'paid' })).rejects.toMatchObject({ code: 'worker_exists' });
    // off the benefit the cap goes; back on it, a cap is needed again
    expect(await workers.updateWorker(ctx.db, breda.id, user.id, { contract: 'paid' })).toMatchObject({ contract: 'paid', weekly_cap_minutes: null });
    await expect(workers.updateWorker(ctx.db, breda.id, user.id, { contract: 'benefit' })).rejects.toMatchObject({ code: 'weekly_cap_required' });
    expect(await workers.updateWorker(ctx.db, breda.id, user.id, { contract: 'benefit', weeklyCapMinutes: 720 })).toMatchObject({ weekly_cap_minutes: 720 });
    // a worker's account cannot change role while it is a worker
    await expect(ctx.ownerDb.updateTable('users').set({ role: 'dispatcher' }).where('id', '=', user.id).execute()).rejects.toMatchObject({ code: '23503' });
    await expect(ctx.db.transaction().execute((tx) => workers.setAvailability(tx, breda.id, user.id, [
      { weekday: 1, startMinute: 480, endMinute: 720 }, { weekday: 1, startMinute: 700, endMinute: 900 },
    ]))).rejects.toMatchObject({ code: 'availability_overlaps' });
  });
});

describe('the board and a worker\'s schedule', () => {
  it('lists the bookings of a day and of an ISO week in Amsterdam time, and a worker\'s jobs with their address', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 6);
    const worker = await newWorker(ctx.db, breda.id);
    const monday = await book(ctx.db, breda, { customer, startsAt: t('2027-06-07T09:00:00+02:00') });
    // Sunday 23:30 in Amsterdam (21:30 UTC) still belongs to this week; Monday 00:00 to the next.
    const sunday = await book(ctx.db, breda, { customer, startsAt: t('2027-06-13T23:30:00+02:00'), minutes: 30 });
    const flexible = await book(ctx.db, breda, { customer, window: { start: '2027-06-09', end: '2027-06-11' } });
    const nextWeek = await book(ctx.db, breda, { customer, startsAt: t('2027-06-14T00:00:00+02:00') });
    await assign(ctx.db, breda, monday.booking.id, worker);

    const ids = (list: bookings.BookingView[]) => list.map((b) => b.id).filter((id) => [monday, sunday, flexible, nextWeek].some((x) => x.booking.id === id));
    expect(ids(await bookings.listBookings(ctx.db, { programmeId: breda.id, date: '2027-06-07', span: 'day' }))).toEqual([monday.booking.id]);
    expect(ids(await bookings.listBookings(ctx.db, { programmeId: breda.id, date: '2027-06-10', span: 'day' }))).toEqual([flexible.booking.id]);
    expect(ids(await bookings.listBookings(ctx.db, { programmeId: breda.id, date: '2027-06-10', span: 'week' }))).toEqual([monday.booking.id, flexible.booking.id, sunday.booking.id]);
    expect(ids(await bookings.listBookings(ctx.db, { programmeId: breda.id, date: '2027-06-10', span: 'week', customer }))).toHaveLength(3);

    const view = await bookings.findBooking(ctx.db, breda.id, monday.booking.id);
    expect(view).toMatchObject({
      state: 'scheduled', service: { code: 'tuindienst' }, customer: { kind: 'household', id: customer.householdId }, place: 'home',
      address: { street: 'Teststraat', houseNumber: 1, postcode: '4823AB' }, contactPhone: '06 1234 5678', onBehalf: true,
      tariff: { category: 'resident', centsPerWorkerHour: 1000 },
    });
    expect(view!.assignments).toMatchObject([{ workerId: worker, leads: false, startsAt: t('2027-06-07T09:00:00+02:00'), endsAt: t('2027-06-07T10:00:00+02:00') }]);

    const schedule = await bookings.workerSchedule(ctx.db, { programmeId: breda.id, workerId: worker, from: t('2027-06-07T00:00:00+02:00'), until: t('2027-06-14T00:00:00+02:00') });
    expect(schedule.map((s) => s.booking.id)).toEqual([monday.booking.id]);
    expect(schedule[0]!.booking.notes).toContain('Hond');
  });
});

describe('nothing crosses programmes', () => {
  it('makes it impossible to assign a Utrecht worker to a Breda booking: the repository finds no such worker, the composite foreign key refuses the row', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 1);
    const { booking } = await book(ctx.db, breda, { customer, startsAt: t('2027-07-05T10:00:00+02:00') });
    const utrechtWorker = await newWorker(ctx.db, utrecht.id);

    await expect(assign(ctx.db, breda, booking.id, utrechtWorker)).rejects.toMatchObject({ code: 'worker_not_found' });
    const raw = (programmeId: string) => ctx.ownerDb
      .insertInto('booking_assignments')
      .values({ programme_id: programmeId, booking_id: booking.id, worker_id: utrechtWorker, during: sql<string>`tstzrange('2027-07-05T10:00:00+02:00', '2027-07-05T11:00:00+02:00', '[)')` })
      .execute();
    await expect(raw(breda.id)).rejects.toMatchObject({ code: '23503', constraint: 'booking_assignments_programme_id_worker_id_fkey' });
    await expect(raw(utrecht.id)).rejects.toMatchObject({ code: '23503', constraint: 'booking_assignments_programme_id_booking_id_fkey' });

    // Utrecht does not see the Breda booking, nor act on it
    expect(await bookings.findBooking(ctx.db, utrecht.id, booking.id)).toBeUndefined();
    await expect(ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
      programmeId: utrecht.id, bookingId: booking.id, actorUserId: utrecht.dispatcherId, freeCancellationHours: 24, feeMinutesPerWorker: 60,
    }))).rejects.toBeInstanceOf(bookings.BookingNotFoundError);
    expect(await bookings.listBookings(ctx.db, { programmeId: utrecht.id, date: '2027-07-05', span: 'week' })).toEqual([]);
  });

  it('refuses a booking for another programme\'s household, service or location, and a coach from another programme', async () => {
    const utrechtHousehold = await newHousehold(ctx.db, utrecht.id, '3562JX');
    await expect(book(ctx.db, breda, { customer: utrechtHousehold })).rejects.toMatchObject({ code: '23503' });
    await expect(book(ctx.db, { ...breda, services: utrecht.services }, { customer: await newHousehold(ctx.db, breda.id) })).rejects.toMatchObject({ code: 'service_not_found' });
    const org = await ctx.db.selectFrom('organisations').select('id').where('programme_id', '=', breda.id).executeTakeFirstOrThrow();
    const utrechtOrg = await ctx.db.insertInto('organisations').values({
      programme_id: utrecht.id, name: 'Utrechtse Woonstichting', kvk_number: '30999888', billing_street: 'Dreef', billing_house_number: 1, billing_postcode: '3562AA', billing_city: 'Utrecht',
    }).returning('id').executeTakeFirstOrThrow();
    const utrechtLocation = await ctx.db.insertInto('organisation_locations').values({
      programme_id: utrecht.id, organisation_id: utrechtOrg.id, name: 'Flat', street: 'Dreef', house_number: 2, postcode: '3562AB', city: 'Utrecht',
    }).returning('id').executeTakeFirstOrThrow();
    await expect(ctx.db.transaction().execute((tx) => bookings.createBooking(tx, {
      programmeId: breda.id, customer: { organisationId: org.id }, serviceId: breda.services.tuindienst!, place: { kind: 'organisation_location', locationId: utrechtLocation.id },
      timing: { startsAt: t('2027-07-06T10:00:00+02:00') }, durationMinutes: 60, workersNeeded: 1, tariff: { category: 'organisation', centsPerWorkerHour: 1500 },
      createdBy: breda.dispatcherId, onBehalf: true,
    }))).rejects.toMatchObject({ code: 'location_not_found' });
    const user = await ctx.db.insertInto('users').values({ programme_id: breda.id, role: 'worker', display_name: 'Werker met verkeerde coach' }).returning('id').executeTakeFirstOrThrow();
    await expect(workers.createWorker(ctx.db, { programmeId: breda.id, userId: user.id, contract: 'paid', startedOn: '2026-12-01', coachId: utrecht.adminId })).rejects.toMatchObject({ code: 'coach_not_staff' });
    await expect(workers.createWorker(ctx.db, { programmeId: utrecht.id, userId: user.id, contract: 'paid', startedOn: '2026-12-01' })).rejects.toMatchObject({ code: 'not_a_worker_account' });
  });
});
