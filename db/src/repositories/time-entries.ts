import { sql, type Selectable } from 'kysely';
import { billableMinutes, minutesOverCap, workedMinutes, type HourRules } from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import type { TimeEntries, TimeEntrySource } from '../schema.js';

/**
 * Logged hours (issue 5): the time a worker really worked on a job, sent from the phone.
 *
 * The entry's id is made on the phone and is the idempotency key: the same entry sent 5 times, one
 * after another or all at once, is stored once and every call gets the stored entry back
 * (`replayed` is true for all but the call that stored it). The same id with other data is refused
 * (`time_entry_id_reused`): the phone made a mistake, and silently keeping either would be wrong.
 * A replay is answered even when the worker has been taken off the job since: the entry was
 * accepted once and the phone must be able to learn that.
 *
 * Errors with stable codes (shared/src/errors.ts):
 *   - `time_entry_invalid` (TimeEntryInvalidError from shared, with a `reason`): the hour rules refuse the times.
 *   - `time_entry_not_assigned`: the worker has no active (not released) assignment to this booking
 *     of this programme (also when the booking or worker does not exist here).
 *   - `time_entry_overlaps`: the constraint `time_entry_no_overlap` kept the entry out: the worker
 *     already logged time that overlaps (half-open ranges: 09:00–12:00 and 12:00–13:00 do not).
 *   - `time_entry_id_reused`: the id exists with other data (or in another programme).
 *   - `check_in_not_found`: the entry names a check-in (`checkInId`) that is not this worker's on this job.
 *   - `check_in_closed`: the entry names a check-in that another entry closed already.
 *
 * Over the cap: for a worker on a benefit (`workers.weekly_cap_minutes`), the part of the entry's
 * billable minutes beyond the cap in its ISO week (Amsterdam, the week of its start), counting the
 * worker's other entries of that week, is stored as `over_cap_minutes` (shared `minutesOverCap`).
 * A lock per worker makes two entries of one week recorded at once take turns, so the second
 * counts the first.
 */

export type TimeEntryRow = Selectable<TimeEntries>;

/** The refusals of logged hours: entries here, check-ins (check-ins.ts) and the worker's day (worker-day.ts). */
export type TimeEntryErrorCode =
  | 'time_entry_id_reused' | 'time_entry_not_assigned' | 'time_entry_overlaps'
  | 'check_in_open' | 'check_in_not_found' | 'check_in_closed' | 'hours_closed';

export class TimeEntryError extends Error {
  constructor(
    readonly code: TimeEntryErrorCode,
    message: string = code,
    /** time_entry_overlaps: the worker's entry this one overlaps, when it could be read */
    readonly conflictingEntryId: string | null = null,
  ) {
    super(message);
  }
}

/** The constraint in the database and the stable error code it stands for. */
export const CONSTRAINT_ERRORS = {
  time_entry_no_overlap: { sqlstate: '23P01', code: 'time_entry_overlaps' },
} as const;

export interface TimeEntry {
  id: string;
  programmeId: string;
  bookingId: string;
  workerId: string;
  startsAt: Date;
  endsAt: Date;
  breakMinutes: number;
  /** end − start − break, whole minutes */
  rawMinutes: number;
  /** what the customer pays for: rounded up by the programme's rules when recorded */
  billableMinutes: number;
  /** the part of billableMinutes beyond a benefit worker's weekly cap when recorded; 0 for everyone else */
  overCapMinutes: number;
  source: TimeEntrySource;
  /** the check-in this entry closed (checked out), if any */
  checkInId: string | null;
  recordedBy: string | null;
  createdAt: Date;
}

export interface NewTimeEntry {
  programmeId: string;
  /** made on the phone (a UUID); the idempotency key */
  id: string;
  bookingId: string;
  workerId: string;
  startsAt: Date;
  endsAt: Date;
  breakMinutes: number;
  /** checked in and out with the app, or entered afterwards */
  source: TimeEntrySource;
  /** the user who sent it (the worker, or staff on their behalf); not part of the entry's identity */
  recordedBy?: string | null;
  /** the worker's open check-in on this job that this entry closes (the check-out) */
  checkInId?: string | null;
  /** the programme's hour rules (its settings) */
  settings: HourRules;
  /** the worker's weekly cap, when the caller read it already (null: none); else it is read here */
  weeklyCapMinutes?: number | null;
}

export interface RecordedEntry {
  entry: TimeEntry;
  /** true when the entry was stored by an earlier call and this call only got it back */
  replayed: boolean;
}

const columns = [
  'id', 'programme_id', 'booking_id', 'worker_id', 'break_minutes', 'raw_minutes', 'billable_minutes', 'over_cap_minutes', 'source', 'check_in_id',
  'recorded_by', 'created_at',
  sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at'),
] as const;

/** A stored entry as the statements here read it (the range as its two ends). */
export type EntryRecord = Omit<TimeEntryRow, 'during'> & { starts_at: Date; ends_at: Date };

export function toEntry(r: EntryRecord): TimeEntry {
  return {
    id: r.id, programmeId: r.programme_id, bookingId: r.booking_id, workerId: r.worker_id,
    startsAt: r.starts_at, endsAt: r.ends_at, breakMinutes: r.break_minutes, rawMinutes: r.raw_minutes,
    billableMinutes: r.billable_minutes, overCapMinutes: r.over_cap_minutes, source: r.source, checkInId: r.check_in_id,
    recordedBy: r.recorded_by, createdAt: r.created_at,
  };
}

/** Whether a stored entry is the one sent (derived minutes and the sender aside). */
function sameEntry(stored: TimeEntry, sent: NewTimeEntry): boolean {
  return stored.programmeId === sent.programmeId && stored.bookingId === sent.bookingId && stored.workerId === sent.workerId
    && stored.startsAt.getTime() === sent.startsAt.getTime() && stored.endsAt.getTime() === sent.endsAt.getTime()
    && stored.breakMinutes === sent.breakMinutes && stored.source === sent.source && stored.checkInId === (sent.checkInId ?? null);
}

async function byId(db: Executor, id: string): Promise<TimeEntry | undefined> {
  const row = await db.selectFrom('time_entries').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

function replayOf(stored: TimeEntry, sent: NewTimeEntry): RecordedEntry {
  if (!sameEntry(stored, sent)) throw new TimeEntryError('time_entry_id_reused', `time entry ${sent.id} was already sent with other data`);
  return { entry: stored, replayed: true };
}

/** The entry with the id sent, when it was stored before (a replay); throws time_entry_id_reused for other data. */
export async function findReplay(db: Executor, e: NewTimeEntry): Promise<RecordedEntry | undefined> {
  const stored = await byId(db, e.id);
  return stored ? replayOf(stored, e) : undefined;
}

/**
 * The part of the entry's billable minutes over the worker's weekly cap; 0 without a cap. Takes
 * the worker's lock first (only for a worker with a cap), then counts the week's other entries in
 * a statement of its own, so it sees what a transaction that held the lock before committed.
 */
async function overCapOf(tx: Tx, e: NewTimeEntry, billable: number): Promise<number> {
  const lock = sql<string>`pg_advisory_xact_lock(hashtextextended(${`hours:${e.workerId}`}, 0))::text`;
  let cap = e.weeklyCapMinutes;
  if (cap === undefined) {
    const capped = await tx.selectFrom('workers').select(['weekly_cap_minutes', lock.as('locked')])
      .where('programme_id', '=', e.programmeId).where('user_id', '=', e.workerId).where('weekly_cap_minutes', 'is not', null)
      .executeTakeFirst();
    cap = capped?.weekly_cap_minutes ?? null;
  } else if (cap) {
    await sql`select ${lock}`.execute(tx);
  }
  if (!cap) return 0;
  const week = sql`date_trunc('week', ${e.startsAt}::timestamptz at time zone 'Europe/Amsterdam')`;
  const other = await tx.selectFrom('time_entries')
    .select(sql<number>`coalesce(sum(billable_minutes), 0)::integer`.as('minutes'))
    .where('worker_id', '=', e.workerId).where('id', '!=', e.id)
    .where(sql<boolean>`during && tstzrange(${week} at time zone 'Europe/Amsterdam', (${week} + interval '7 days') at time zone 'Europe/Amsterdam', '[)')`)
    .where(sql<boolean>`lower(during) >= ${week} at time zone 'Europe/Amsterdam'`)
    .executeTakeFirstOrThrow();
  return minutesOverCap(billable, other.minutes, cap);
}

/**
 * Checks that the check-in an entry closes is this worker's on this job and still open (or closed
 * by this very entry: a replay), and locks it until the entry closes it.
 */
async function checkInToClose(tx: Tx, e: NewTimeEntry & { checkInId: string }): Promise<void> {
  const checkIn = await tx.selectFrom('time_check_ins').select(['booking_id', 'worker_id', 'closed_at', 'closed_by_entry_id'])
    .where('programme_id', '=', e.programmeId).where('id', '=', e.checkInId).forUpdate().executeTakeFirst();
  if (!checkIn || checkIn.booking_id !== e.bookingId || checkIn.worker_id !== e.workerId) {
    throw new TimeEntryError('check_in_not_found', `check-in ${e.checkInId} is not of worker ${e.workerId} on booking ${e.bookingId}`);
  }
  if (checkIn.closed_at !== null && checkIn.closed_by_entry_id !== e.id) throw new TimeEntryError('check_in_closed', `check-in ${e.checkInId} was closed by another entry`);
}

/**
 * Records one time entry, once. The happy path is one statement (two or three for a benefit worker:
 * the cap and lock, the week's other minutes; the cap is read here unless the caller passes it):
 * insert … select … where the worker is assigned … on conflict do nothing. When nothing was
 * inserted, the stored entry with that id decides (a replay, or a reused id); without one, the
 * worker is not assigned, or else their time overlaps an entry of theirs. With `checkInId` the
 * check-in is checked first and closed by the entry, in the caller's transaction.
 *
 * Concurrency: of concurrent calls with one id, one inserts; the others wait on the primary key
 * (or on the exclusion constraint: the row of the same id overlaps their own times) and, once it
 * committed, insert nothing and find the row.
 */
export async function recordEntry(tx: Tx, e: NewTimeEntry): Promise<RecordedEntry> {
  // The hour rules first: a refused entry never reaches the database (throws TimeEntryInvalidError).
  const raw = workedMinutes(e);
  const billable = billableMinutes(raw, e.settings);
  const checkInId = e.checkInId ?? null;
  if (checkInId) await checkInToClose(tx, { ...e, checkInId });
  const overCap = await overCapOf(tx, e, billable);

  // No conflict target: a row with this id and an overlapping entry of the worker both make the
  // insert a no-op (no error, so no savepoint is needed); what was in the way is read afterwards.
  const inserted = await tx
    .insertInto('time_entries')
    .columns(['id', 'programme_id', 'booking_id', 'worker_id', 'during', 'break_minutes', 'raw_minutes', 'billable_minutes', 'over_cap_minutes', 'source', 'check_in_id', 'recorded_by'])
    .expression((eb) => eb
      .selectFrom('booking_assignments as a')
      .select([
        sql<string>`${e.id}::uuid`.as('id'), 'a.programme_id', 'a.booking_id', 'a.worker_id',
        sql<string>`tstzrange(${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz, '[)')`.as('during'),
        sql<number>`${e.breakMinutes}::integer`.as('break_minutes'),
        sql<number>`${raw}::integer`.as('raw_minutes'),
        sql<number>`${billable}::integer`.as('billable_minutes'),
        sql<number>`${overCap}::integer`.as('over_cap_minutes'),
        sql<TimeEntrySource>`${e.source}::time_entry_source`.as('source'),
        sql<string | null>`${checkInId}::uuid`.as('check_in_id'),
        sql<string | null>`${e.recordedBy ?? null}::uuid`.as('recorded_by'),
      ])
      .where('a.programme_id', '=', e.programmeId)
      .where('a.booking_id', '=', e.bookingId)
      .where('a.worker_id', '=', e.workerId)
      .where('a.released_at', 'is', null)
      .limit(1))
    .onConflict((oc) => oc.doNothing())
    .returning(columns)
    .executeTakeFirst();
  if (inserted) {
    // The check-out: the entry closes the check-in, at the time the work ended.
    if (checkInId) {
      await tx.updateTable('time_check_ins').set({ closed_at: e.endsAt, closed_by_entry_id: e.id })
        .where('id', '=', checkInId).where('closed_at', 'is', null).execute();
    }
    return { entry: toEntry(inserted), replayed: false };
  }

  const stored = await byId(tx, e.id);
  if (stored) return replayOf(stored, e);
  const assigned = await tx.selectFrom('booking_assignments').select('id')
    .where('programme_id', '=', e.programmeId).where('booking_id', '=', e.bookingId).where('worker_id', '=', e.workerId).where('released_at', 'is', null)
    .limit(1).executeTakeFirst();
  if (!assigned) throw new TimeEntryError('time_entry_not_assigned', `worker ${e.workerId} is not assigned to booking ${e.bookingId}`);
  const other = await tx.selectFrom('time_entries').select('id')
    .where('worker_id', '=', e.workerId)
    .where(sql<boolean>`during && tstzrange(${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz, '[)')`)
    .orderBy(sql`lower(during)`).limit(1).executeTakeFirst();
  throw new TimeEntryError('time_entry_overlaps', `worker ${e.workerId} already logged time that overlaps this entry`, other?.id ?? null);
}

/** One entry of this programme, or undefined. */
export async function findEntry(db: Executor, programmeId: string, id: string): Promise<TimeEntry | undefined> {
  const row = await db.selectFrom('time_entries').select(columns).where('programme_id', '=', programmeId).where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

/** A booking's entries, per worker, earliest first. */
export async function entriesForBooking(db: Executor, programmeId: string, bookingId: string): Promise<TimeEntry[]> {
  const rows = await db.selectFrom('time_entries').select(columns)
    .where('programme_id', '=', programmeId).where('booking_id', '=', bookingId)
    .orderBy('worker_id').orderBy(sql`lower(during)`).execute();
  return rows.map(toEntry);
}

/** A worker's entries that overlap [from, until), earliest first. */
export async function entriesForWorker(db: Executor, s: { programmeId: string; workerId: string; from: Date; until: Date }): Promise<TimeEntry[]> {
  const rows = await db.selectFrom('time_entries').select(columns)
    .where('programme_id', '=', s.programmeId).where('worker_id', '=', s.workerId)
    .where(sql<boolean>`during && tstzrange(${s.from}::timestamptz, ${s.until}::timestamptz, '[)')`)
    .orderBy(sql`lower(during)`).execute();
  return rows.map(toEntry);
}

/** A worker's entries on some bookings, earliest first (the worker's day). */
export async function entriesForWorkerOnBookings(db: Executor, f: { programmeId: string; workerId: string; bookingIds: readonly string[] }): Promise<TimeEntry[]> {
  if (f.bookingIds.length === 0) return [];
  const rows = await db.selectFrom('time_entries').select(columns)
    .where('programme_id', '=', f.programmeId).where('worker_id', '=', f.workerId).where('booking_id', 'in', f.bookingIds)
    .orderBy(sql`lower(during)`).execute();
  return rows.map(toEntry);
}
