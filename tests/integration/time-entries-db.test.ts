// The data layer of logged hours (issue 5) against real PostgreSQL, through the API's restricted
// role: an entry made on a phone is stored once however often it arrives, a worker cannot log
// overlapping time nor log for a job they are not assigned to, and the minutes follow the hour
// rules of shared/src/hours.ts.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, TimeEntryInvalidError, type HourRules } from '@buurtservice/shared';
import { bookings, timeEntries } from '@buurtservice/db';
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

/** A fresh worker assigned to a fresh two-hour job (10:00–12:00 on the given day). */
async function assignedJob(day = '2027-03-01') {
  const customer = await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 4);
  const worker = await newWorker(ctx.db, breda.id);
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
