// The data layer of logged hours (issue 5) against real PostgreSQL, through the API's restricted
// role: an entry made on a phone is stored once however often it arrives, a worker cannot log
// overlapping time nor log for a job they are not assigned to, and the minutes follow the hour
// rules of shared/src/hours.ts.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, TimeEntryInvalidError, type HourRules } from '@buurtservice/shared';
import { bookings, checkIns, timeEntries } from '@buurtservice/db';
import { createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, newWorker, programme, settle, type Programme } from '../support/bookings.js';

let ctx: TestContext;
let breda: Programme;
let utrecht: Programme;
beforeAll(async () => {
  ctx = await createTestContext();
  [breda, utrecht] = await Promise.all([programme(ctx.db, 'breda-noordoost'), programme(ctx.db, 'utrecht-overvecht')]);
});
afterAll(async () => { await ctx?.close(); });

const t = (iso: string) => new Date(iso);

/** A fresh worker (or the one given) assigned to a fresh two-hour job (10:00–12:00 on the given day). */
async function assignedJob(day = '2027-03-01', worker?: string) {
  const customer = await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 4);
  worker ??= await newWorker(ctx.db, breda.id);
  const created = await book(ctx.db, breda, { customer, startsAt: t(`${day}T10:00:00+01:00`), minutes: 120 });
  await assign(ctx.db, breda, created.booking.id, worker);
  return { bookingId: created.booking.id, workerId: worker, customer };
}

function entry(job: { bookingId: string; workerId: string }, from: string, until: string, extra: Partial<timeEntries.NewTimeEntry> = {}): timeEntries.NewTimeEntry {
  return {
    programmeId: breda.id, id: randomUUID(), bookingId: job.bookingId, workerId: job.workerId,
    startsAt: t(from), endsAt: t(until), breakMinutes: 0, source: 'check_in_out', recordedBy: job.workerId,
    settings: DEFAULT_SETTINGS, ...extra,
  };
}

const record = (e: timeEntries.NewTimeEntry) => ctx.db.transaction().execute((tx) => timeEntries.recordEntry(tx, e));
const stored = async (id: string) => (await ctx.db.selectFrom('time_entries').select('id').where('id', '=', id).execute()).length;

describe('an entry made on the phone is stored once, however often it arrives', () => {
  it('stores the same entry sent 5 times one after another once; the 4 repeats are replays of it', async () => {
    const job = await assignedJob('2027-03-01');
    const e = entry(job, '2027-03-01T10:00:00+01:00', '2027-03-01T11:07:00+01:00');
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await record(e));
    expect(results.map((r) => r.replayed)).toEqual([false, true, true, true, true]);
    for (const r of results) expect(r.entry).toEqual(results[0]!.entry);
    expect(results[0]!.entry).toMatchObject({ id: e.id, bookingId: job.bookingId, workerId: job.workerId, rawMinutes: 67, billableMinutes: 75, source: 'check_in_out' });
    expect(await stored(e.id)).toBe(1);
  });

  it('stores the same entry sent 5 times at once once; every call gets the same entry, exactly one stored it', async () => {
    const job = await assignedJob('2027-03-02');
    const e = entry(job, '2027-03-02T10:00:00+01:00', '2027-03-02T11:30:00+01:00', { breakMinutes: 10 });
    const { ok, errors } = await settle(Array.from({ length: 5 }, () => record(e)));
    expect(errors).toEqual([]);
    expect(ok).toHaveLength(5);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of ok) expect(r.entry).toEqual(ok[0]!.entry);
    expect(ok[0]!.entry).toMatchObject({ rawMinutes: 80, billableMinutes: 90, breakMinutes: 10 });
    expect(await stored(e.id)).toBe(1);
  });

  it('answers a replay even after the worker was taken off the job', async () => {
    const job = await assignedJob('2027-03-03');
    const e = entry(job, '2027-03-03T10:00:00+01:00', '2027-03-03T11:00:00+01:00');
    expect((await record(e)).replayed).toBe(false);
    await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: job.bookingId, workerId: job.workerId, actorUserId: breda.dispatcherId, reason: 'test' }));
    expect(await record(e)).toMatchObject({ replayed: true, entry: { id: e.id } });
  });

  it('refuses the same id with other data: time_entry_id_reused, and keeps the first entry', async () => {
    const job = await assignedJob('2027-03-04');
    const e = entry(job, '2027-03-04T10:00:00+01:00', '2027-03-04T11:00:00+01:00');
    await record(e);
    for (const other of [
      { ...e, endsAt: t('2027-03-04T11:15:00+01:00') },
      { ...e, breakMinutes: 5 },
      { ...e, source: 'entered_after' as const },
      { ...e, programmeId: utrecht.id },
    ]) {
      const err = await record(other).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(timeEntries.TimeEntryError);
      expect(err).toMatchObject({ code: 'time_entry_id_reused' });
    }
    // the same id for another worker's overlapping time: still the id that decides
    const second = await assignedJob('2027-03-04');
    const err = await record({ ...e, bookingId: second.bookingId, workerId: second.workerId }).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'time_entry_id_reused' });
    const row = await timeEntries.findEntry(ctx.db, breda.id, e.id);
    expect(row).toMatchObject({ endsAt: t('2027-03-04T11:00:00+01:00'), breakMinutes: 0, source: 'check_in_out', workerId: job.workerId });
  });
});

describe('a worker cannot log overlapping time', () => {
  it('refuses an overlapping entry with time_entry_overlaps, naming the entry it overlaps; back-to-back is fine', async () => {
    const job = await assignedJob('2027-03-05');
    const first = entry(job, '2027-03-05T10:00:00+01:00', '2027-03-05T11:00:00+01:00');
    await record(first);
    const err = await record(entry(job, '2027-03-05T10:45:00+01:00', '2027-03-05T11:30:00+01:00')).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(timeEntries.TimeEntryError);
    expect(err).toMatchObject({ code: 'time_entry_overlaps', conflictingEntryId: first.id });
    // half-open: 11:00 is where the first ends and the next may start
    const next = await record(entry(job, '2027-03-05T11:00:00+01:00', '2027-03-05T12:00:00+01:00', { source: 'entered_after' }));
    expect(next).toMatchObject({ replayed: false, entry: { rawMinutes: 60, billableMinutes: 60, source: 'entered_after' } });
    const all = await timeEntries.entriesForBooking(ctx.db, breda.id, job.bookingId);
    expect(all.map((x) => x.startsAt.toISOString())).toEqual(['2027-03-05T09:00:00.000Z', '2027-03-05T10:00:00.000Z']);
  });

  it('lets one of 5 different overlapping entries sent at once through', async () => {
    const job = await assignedJob('2027-03-08');
    const { ok, errors } = await settle(Array.from({ length: 5 }, (_, i) => record(entry(job, `2027-03-08T10:0${i}:00+01:00`, '2027-03-08T11:00:00+01:00'))));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(4);
    for (const err of errors) expect(err).toMatchObject({ code: 'time_entry_overlaps' });
    expect(await timeEntries.entriesForWorker(ctx.db, { programmeId: breda.id, workerId: job.workerId, from: t('2027-03-08T00:00:00+01:00'), until: t('2027-03-09T00:00:00+01:00') })).toHaveLength(1);
  });

  it('is the database that refuses, with SQLSTATE 23P01 on the constraint time_entry_no_overlap', async () => {
    const job = await assignedJob('2027-03-09');
    const raw = (from: string, until: string) => ctx.db.insertInto('time_entries').values({
      id: randomUUID(), programme_id: breda.id, booking_id: job.bookingId, worker_id: job.workerId,
      during: sql<string>`tstzrange(${from}::timestamptz, ${until}::timestamptz, '[)')`, break_minutes: 0, raw_minutes: 60, billable_minutes: 60, source: 'check_in_out',
    }).execute();
    await raw('2027-03-09T10:00:00+01:00', '2027-03-09T11:00:00+01:00');
    await expect(raw('2027-03-09T10:30:00+01:00', '2027-03-09T11:30:00+01:00')).rejects.toMatchObject({ code: '23P01', constraint: 'time_entry_no_overlap' });
  });
});

describe('a worker logs only for a job they are assigned to', () => {
  it('refuses time_entry_not_assigned for a worker never assigned, one taken off, and another programme', async () => {
    const job = await assignedJob('2027-03-10');
    const stranger = await newWorker(ctx.db, breda.id);
    const notAssigned = [
      entry({ bookingId: job.bookingId, workerId: stranger }, '2027-03-10T10:00:00+01:00', '2027-03-10T11:00:00+01:00'),
      entry(job, '2027-03-10T10:00:00+01:00', '2027-03-10T11:00:00+01:00', { programmeId: utrecht.id }),
      entry({ bookingId: randomUUID(), workerId: job.workerId }, '2027-03-10T10:00:00+01:00', '2027-03-10T11:00:00+01:00'),
    ];
    for (const e of notAssigned) {
      const err = await record(e).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(timeEntries.TimeEntryError);
      expect(err).toMatchObject({ code: 'time_entry_not_assigned' });
      expect(await stored(e.id)).toBe(0);
    }
    await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: job.bookingId, workerId: job.workerId, actorUserId: breda.dispatcherId, reason: 'test' }));
    await expect(record(entry(job, '2027-03-10T10:00:00+01:00', '2027-03-10T11:00:00+01:00'))).rejects.toMatchObject({ code: 'time_entry_not_assigned' });
  });
});

describe('the minutes follow the hour rules', () => {
  it('stores raw and billable minutes: 1:07 → 75, a break counts off, a minimum per visit applies', async () => {
    const job = await assignedJob('2027-03-11');
    const a = await record(entry(job, '2027-03-11T08:00:00+01:00', '2027-03-11T09:07:00+01:00'));
    expect(a.entry).toMatchObject({ rawMinutes: 67, billableMinutes: 75, breakMinutes: 0 });
    const b = await record(entry(job, '2027-03-11T10:00:00+01:00', '2027-03-11T13:00:00+01:00', { breakMinutes: 20 }));
    expect(b.entry).toMatchObject({ rawMinutes: 160, billableMinutes: 165 });
    const withMinimum: HourRules = { hoursRoundingMinutes: 15, minimumMinutesPerVisit: 60 };
    const c = await record(entry(job, '2027-03-11T14:00:00+01:00', '2027-03-11T14:20:00+01:00', { settings: withMinimum }));
    expect(c.entry).toMatchObject({ rawMinutes: 20, billableMinutes: 60 });
    // a replay keeps the minutes stored, even when the rules changed since
    const again = await record(entry(job, '2027-03-11T08:00:00+01:00', '2027-03-11T09:07:00+01:00', { id: a.entry.id, settings: withMinimum }));
    expect(again).toMatchObject({ replayed: true, entry: { billableMinutes: 75 } });
  });

  it('refuses times the rules refuse, with time_entry_invalid, storing nothing', async () => {
    const job = await assignedJob('2027-03-12');
    for (const e of [
      entry(job, '2027-03-12T11:00:00+01:00', '2027-03-12T10:00:00+01:00'),
      entry(job, '2027-03-12T10:00:00+01:00', '2027-03-12T11:00:00+01:00', { breakMinutes: 60 }),
      entry(job, '2027-03-12T10:00:00+01:00', '2027-03-12T11:00:00+01:00', { breakMinutes: -5 }),
    ]) {
      const err = await record(e).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(TimeEntryInvalidError);
      expect(err).toMatchObject({ code: 'time_entry_invalid' });
      expect(await stored(e.id)).toBe(0);
    }
  });
});

describe('logged hours are corrected, never deleted', () => {
  it('does not let the API role delete an entry', async () => {
    const job = await assignedJob('2027-03-15');
    const e = entry(job, '2027-03-15T10:00:00+01:00', '2027-03-15T11:00:00+01:00');
    await record(e);
    const role = await sql<{ r: string }>`select current_user as r`.execute(ctx.db);
    expect(role.rows[0]!.r).toBe('buurtservice_api');
    await expect(ctx.db.deleteFrom('time_entries').where('id', '=', e.id).execute()).rejects.toMatchObject({ code: '42501' });
    expect(await stored(e.id)).toBe(1);
  });
});

describe('minutes over a benefit worker\'s weekly cap', () => {
  it('stores the part beyond the cap, counting the worker\'s other entries of the ISO week in Amsterdam', async () => {
    const worker = await newWorker(ctx.db, breda.id, { contract: 'benefit', weeklyCapMinutes: 240 });
    const job = await assignedJob('2027-04-05', worker);
    const over = async (from: string, until: string) => (await record(entry(job, from, until))).entry.overCapMinutes;
    expect(await over('2027-04-05T08:00:00+02:00', '2027-04-05T10:00:00+02:00')).toBe(0); // 120 of 240
    expect(await over('2027-04-07T08:00:00+02:00', '2027-04-07T09:30:00+02:00')).toBe(0); // 210
    expect(await over('2027-04-09T08:00:00+02:00', '2027-04-09T09:00:00+02:00')).toBe(30); // 270: 30 over
    // Sunday 23:00 in Amsterdam is still this week (whatever UTC says) ...
    expect(await over('2027-04-11T23:00:00+02:00', '2027-04-11T23:45:00+02:00')).toBe(45);
    // ... and Monday 00:30 in Amsterdam (Sunday 22:30 UTC) is the next one
    expect(await over('2027-04-12T00:30:00+02:00', '2027-04-12T01:30:00+02:00')).toBe(0);
    const paid = await assignedJob('2027-04-05');
    expect((await record(entry(paid, '2027-04-05T06:00:00+02:00', '2027-04-05T20:00:00+02:00'))).entry.overCapMinutes).toBe(0);
  });

  it('counts entries recorded at the same moment: 5 hours sent at once over a cap of 4 flag exactly 60 minutes', async () => {
    const worker = await newWorker(ctx.db, breda.id, { contract: 'benefit', weeklyCapMinutes: 240 });
    const job = await assignedJob('2027-04-19', worker);
    const { ok, errors } = await settle(Array.from({ length: 5 }, (_, i) => record(entry(job, `2027-04-${19 + i}T08:00:00+02:00`, `2027-04-${19 + i}T09:00:00+02:00`))));
    expect(errors).toEqual([]);
    expect(ok.map((r) => r.entry.overCapMinutes).reduce((a, b) => a + b, 0)).toBe(60);
  });
});

describe('a check-out closes its check-in', () => {
  const checkIn = (job: { bookingId: string; workerId: string }, at: string) => ctx.db.transaction().execute((tx) => checkIns.recordCheckIn(tx, {
    programmeId: breda.id, id: randomUUID(), bookingId: job.bookingId, workerId: job.workerId, startedAt: t(at), now: t(at), recordedBy: job.workerId,
  }));
  const openOf = async (id: string) => ctx.db.selectFrom('time_check_ins').select(['closed_at', 'closed_by_entry_id']).where('id', '=', id).executeTakeFirstOrThrow();

  it('in the same transaction as the entry: both or neither', async () => {
    const job = await assignedJob('2027-04-26');
    const { checkIn: open } = await checkIn(job, '2027-04-26T10:00:00+02:00');
    const e = entry(job, '2027-04-26T10:00:00+02:00', '2027-04-26T12:00:00+02:00', { checkInId: open.id });
    // a transaction that fails after the entry leaves the check-in open and stores nothing
    await expect(ctx.db.transaction().execute(async (tx) => {
      await timeEntries.recordEntry(tx, e);
      throw new Error('connection lost');
    })).rejects.toThrow('connection lost');
    expect(await openOf(open.id)).toEqual({ closed_at: null, closed_by_entry_id: null });
    expect(await stored(e.id)).toBe(0);

    const done = await record(e);
    expect(done.entry).toMatchObject({ checkInId: open.id });
    expect(await openOf(open.id)).toEqual({ closed_at: t('2027-04-26T12:00:00+02:00'), closed_by_entry_id: e.id });
    expect(await record(e)).toMatchObject({ replayed: true, entry: { checkInId: open.id } });
  });

  it('refuses a check-in of another worker (check_in_not_found) and one another entry closed (check_in_closed)', async () => {
    const job = await assignedJob('2027-04-27');
    const other = await assignedJob('2027-04-27');
    const { checkIn: open } = await checkIn(job, '2027-04-27T10:00:00+02:00');
    await expect(record(entry(other, '2027-04-27T10:00:00+02:00', '2027-04-27T11:00:00+02:00', { checkInId: open.id }))).rejects.toMatchObject({ code: 'check_in_not_found' });
    await record(entry(job, '2027-04-27T10:00:00+02:00', '2027-04-27T11:00:00+02:00', { checkInId: open.id }));
    const second = entry(job, '2027-04-27T11:00:00+02:00', '2027-04-27T11:30:00+02:00', { checkInId: open.id });
    await expect(record(second)).rejects.toMatchObject({ code: 'check_in_closed' });
    expect(await stored(second.id)).toBe(0);
  });

  it('allows one open check-in per worker and job: check_in_open, also when two arrive at once', async () => {
    const job = await assignedJob('2027-04-28');
    const { ok, errors } = await settle([checkIn(job, '2027-04-28T10:00:00+02:00'), checkIn(job, '2027-04-28T10:01:00+02:00')]);
    expect(ok).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ code: 'check_in_open' })]);
  });
});
