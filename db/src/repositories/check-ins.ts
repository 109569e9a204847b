import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { TimeCheckIns } from '../schema.js';
import { inSavepoint } from './bookings.js';
import { TimeEntryError } from './time-entries.js';

/**
 * Check-ins (issue 5): the tap "I start" on the phone. Like a time entry, its id is made on the
 * phone and is the idempotency key: the same check-in sent again is stored once, and the same id
 * with other data is refused (`time_entry_id_reused`). The entry sent at check-out closes it
 * (time-entries.ts, `checkInId`).
 *
 * Errors (TimeEntryError, codes in shared/src/errors.ts):
 *   - `time_entry_not_assigned`: the worker has no active assignment to this booking of this programme.
 *   - `check_in_open`: the worker has another open check-in on this job (the unique index
 *     `time_check_ins_one_open`, so two at once cannot both get in).
 *   - `time_entry_id_reused`: the id exists with other data (or in another programme).
 */

export type CheckInRow = Selectable<TimeCheckIns>;

export interface CheckIn {
  id: string;
  programmeId: string;
  bookingId: string;
  workerId: string;
  startedAt: Date;
  closedAt: Date | null;
  closedByEntryId: string | null;
  recordedBy: string | null;
  createdAt: Date;
}

export interface NewCheckIn {
  programmeId: string;
  /** made on the phone (a UUID); the idempotency key */
  id: string;
  bookingId: string;
  workerId: string;
  /** when the work started, as the phone says; undefined: `now` (and a replay is then not compared on it) */
  startedAt?: Date;
  now: Date;
  /** the user who sent it (the worker, or staff on their behalf) */
  recordedBy?: string | null;
}

export interface RecordedCheckIn {
  checkIn: CheckIn;
  /** true when an earlier call stored it */
  replayed: boolean;
}

interface PgError { code?: string; constraint?: string }

function toCheckIn(r: CheckInRow): CheckIn {
  return {
    id: r.id, programmeId: r.programme_id, bookingId: r.booking_id, workerId: r.worker_id, startedAt: r.started_at, closedAt: r.closed_at,
    closedByEntryId: r.closed_by_entry_id, recordedBy: r.recorded_by, createdAt: r.created_at,
  };
}

async function byId(db: Executor, id: string): Promise<CheckIn | undefined> {
  const row = await db.selectFrom('time_check_ins').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCheckIn(row) : undefined;
}

/** The stored check-in as a replay of the one sent, or time_entry_id_reused when the data differ. */
function replayOf(stored: CheckIn, sent: NewCheckIn): RecordedCheckIn {
  const same = stored.programmeId === sent.programmeId && stored.bookingId === sent.bookingId && stored.workerId === sent.workerId
    && (sent.startedAt === undefined || stored.startedAt.getTime() === sent.startedAt.getTime());
  if (!same) throw new TimeEntryError('time_entry_id_reused', `check-in ${sent.id} was already sent with other data`);
  return { checkIn: stored, replayed: true };
}

/** The check-in with the id sent, when it was stored before (a replay); throws time_entry_id_reused for other data. */
export async function findReplay(db: Executor, c: NewCheckIn): Promise<RecordedCheckIn | undefined> {
  const stored = await byId(db, c.id);
  return stored ? replayOf(stored, c) : undefined;
}

/**
 * Records one check-in, once: insert … select … where the worker is assigned … on conflict (id)
 * do nothing; when nothing was inserted the stored one decides (a replay or a reused id), and
 * without one the worker is not assigned.
 */
export async function recordCheckIn(tx: Tx, c: NewCheckIn): Promise<RecordedCheckIn> {
  let inserted: CheckInRow | undefined;
  try {
    inserted = await inSavepoint(tx, 'check_in_insert', () => tx
      .insertInto('time_check_ins')
      .columns(['id', 'programme_id', 'booking_id', 'worker_id', 'started_at', 'recorded_by'])
      .expression((eb) => eb
        .selectFrom('booking_assignments as a')
        .select([
          sql<string>`${c.id}::uuid`.as('id'), 'a.programme_id', 'a.booking_id', 'a.worker_id',
          sql<Date>`${c.startedAt ?? c.now}::timestamptz`.as('started_at'),
          sql<string | null>`${c.recordedBy ?? null}::uuid`.as('recorded_by'),
        ])
        .where('a.programme_id', '=', c.programmeId)
        .where('a.booking_id', '=', c.bookingId)
        .where('a.worker_id', '=', c.workerId)
        .where('a.released_at', 'is', null)
        .limit(1))
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst());
  } catch (err) {
    const pg = err as PgError;
    if (pg.code === '23505' && pg.constraint === 'time_check_ins_one_open') {
      const stored = await byId(tx, c.id);
      if (stored) return replayOf(stored, c);
      throw new TimeEntryError('check_in_open', `worker ${c.workerId} is already checked in on booking ${c.bookingId}`);
    }
    throw err;
  }
  if (inserted) return { checkIn: toCheckIn(inserted), replayed: false };
  const stored = await byId(tx, c.id);
  if (stored) return replayOf(stored, c);
  throw new TimeEntryError('time_entry_not_assigned', `worker ${c.workerId} is not assigned to booking ${c.bookingId}`);
}

/** A booking's check-ins (one worker's, if given), per worker, earliest first. */
export async function checkInsForBooking(db: Executor, f: { programmeId: string; bookingId: string; workerId?: string }): Promise<CheckIn[]> {
  let q = db.selectFrom('time_check_ins').selectAll().where('programme_id', '=', f.programmeId).where('booking_id', '=', f.bookingId);
  if (f.workerId) q = q.where('worker_id', '=', f.workerId);
  const rows = await q.orderBy('worker_id').orderBy('started_at').execute();
  return rows.map(toCheckIn);
}

/** A worker's open check-ins on some bookings (at most one per booking). */
export async function openCheckIns(db: Executor, f: { programmeId: string; workerId: string; bookingIds: readonly string[] }): Promise<CheckIn[]> {
  if (f.bookingIds.length === 0) return [];
  const rows = await db.selectFrom('time_check_ins').selectAll()
    .where('programme_id', '=', f.programmeId).where('worker_id', '=', f.workerId).where('booking_id', 'in', f.bookingIds).where('closed_at', 'is', null)
    .execute();
  return rows.map(toCheckIn);
}
