import { sql, type Selectable } from 'kysely';
import { billableMinutes, workedMinutes, type HourRules } from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import type { TimeEntries, TimeEntrySource } from '../schema.js';
import { inSavepoint } from './bookings.js';

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
 *   - `time_entry_overlaps`: SQLSTATE 23P01 on the constraint `time_entry_no_overlap`: the worker
 *     already logged time that overlaps (half-open ranges: 09:00–12:00 and 12:00–13:00 do not).
 *   - `time_entry_id_reused`: the id exists with other data (or in another programme).
 */

export type TimeEntryRow = Selectable<TimeEntries>;

export type TimeEntryErrorCode = 'time_entry_id_reused' | 'time_entry_not_assigned' | 'time_entry_overlaps';

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
  source: TimeEntrySource;
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
  /** the programme's hour rules (its settings) */
  settings: HourRules;
}

export interface RecordedEntry {
  entry: TimeEntry;
  /** true when the entry was stored by an earlier call and this call only got it back */
  replayed: boolean;
}

interface PgError { code?: string; constraint?: string }

const columns = [
  'id', 'programme_id', 'booking_id', 'worker_id', 'break_minutes', 'raw_minutes', 'billable_minutes', 'source', 'recorded_by', 'created_at',
  sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at'),
] as const;

type EntryRecord = Omit<TimeEntryRow, 'during'> & { starts_at: Date; ends_at: Date };

function toEntry(r: EntryRecord): TimeEntry {
  return {
    id: r.id, programmeId: r.programme_id, bookingId: r.booking_id, workerId: r.worker_id,
    startsAt: r.starts_at, endsAt: r.ends_at, breakMinutes: r.break_minutes, rawMinutes: r.raw_minutes,
    billableMinutes: r.billable_minutes, source: r.source, recordedBy: r.recorded_by, createdAt: r.created_at,
  };
}

/** Whether a stored entry is the one sent (derived minutes and the sender aside). */
function sameEntry(stored: TimeEntry, sent: NewTimeEntry): boolean {
  return stored.programmeId === sent.programmeId && stored.bookingId === sent.bookingId && stored.workerId === sent.workerId
    && stored.startsAt.getTime() === sent.startsAt.getTime() && stored.endsAt.getTime() === sent.endsAt.getTime()
    && stored.breakMinutes === sent.breakMinutes && stored.source === sent.source;
}

async function byId(db: Executor, id: string): Promise<TimeEntry | undefined> {
  const row = await db.selectFrom('time_entries').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

function replayOf(stored: TimeEntry, sent: NewTimeEntry): RecordedEntry {
  if (!sameEntry(stored, sent)) throw new TimeEntryError('time_entry_id_reused', `time entry ${sent.id} was already sent with other data`);
  return { entry: stored, replayed: true };
}

/**
 * Records one time entry, once. The happy path is one statement: insert … select … where the
 * worker is assigned … on conflict (id) do nothing. When nothing was inserted, the stored entry
 * with that id decides (a replay, or a reused id); without one, the worker is not assigned.
 *
 * Concurrency: of concurrent calls with one id, one inserts; the others wait on the primary key
 * and then find the row. A waiter can instead meet the exclusion constraint (the row of the same
 * id overlaps its own times); that refusal is also resolved by reading the id first.
 */
export async function recordEntry(tx: Tx, e: NewTimeEntry): Promise<RecordedEntry> {
  // The hour rules first: a refused entry never reaches the database (throws TimeEntryInvalidError).
  const raw = workedMinutes(e);
  const billable = billableMinutes(raw, e.settings);

  let inserted: EntryRecord | undefined;
  try {
    inserted = await inSavepoint(tx, 'time_entry_insert', () => tx
      .insertInto('time_entries')
      .columns(['id', 'programme_id', 'booking_id', 'worker_id', 'during', 'break_minutes', 'raw_minutes', 'billable_minutes', 'source', 'recorded_by'])
      .expression((eb) => eb
        .selectFrom('booking_assignments as a')
        .select([
          sql<string>`${e.id}::uuid`.as('id'), 'a.programme_id', 'a.booking_id', 'a.worker_id',
          sql<string>`tstzrange(${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz, '[)')`.as('during'),
          sql<number>`${e.breakMinutes}::integer`.as('break_minutes'),
          sql<number>`${raw}::integer`.as('raw_minutes'),
          sql<number>`${billable}::integer`.as('billable_minutes'),
          sql<TimeEntrySource>`${e.source}::time_entry_source`.as('source'),
          sql<string | null>`${e.recordedBy ?? null}::uuid`.as('recorded_by'),
        ])
        .where('a.programme_id', '=', e.programmeId)
        .where('a.booking_id', '=', e.bookingId)
        .where('a.worker_id', '=', e.workerId)
        .where('a.released_at', 'is', null)
        .limit(1))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning(columns)
      .executeTakeFirst());
  } catch (err) {
    const pg = err as PgError;
    if (pg.code === '23P01' && pg.constraint === 'time_entry_no_overlap') {
      const stored = await byId(tx, e.id);
      if (stored) return replayOf(stored, e);
      const other = await tx.selectFrom('time_entries').select('id')
        .where('worker_id', '=', e.workerId)
        .where(sql<boolean>`during && tstzrange(${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz, '[)')`)
        .orderBy(sql`lower(during)`).limit(1).executeTakeFirst();
      throw new TimeEntryError('time_entry_overlaps', `worker ${e.workerId} already logged time that overlaps this entry`, other?.id ?? null);
    }
    throw err;
  }
  if (inserted) return { entry: toEntry(inserted), replayed: false };

  const stored = await byId(tx, e.id);
  if (stored) return replayOf(stored, e);
  throw new TimeEntryError('time_entry_not_assigned', `worker ${e.workerId} is not assigned to booking ${e.bookingId}`);
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
