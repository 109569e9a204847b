import { sql } from 'kysely';
import { billableMinutes, BookingTransitionError, notInFuture, TimeEntryInvalidError, workedMinutes, type BookingState } from '@buurtservice/shared';
import type { Database, Executor, Tx } from '../database.js';
import { transitionBooking } from './bookings.js';
import * as checkIns from './check-ins.js';
import { JOB_ADDRESS_COLUMNS } from './job-address.js';
import * as timeEntries from './time-entries.js';
import { TimeEntryError } from './time-entries.js';

/**
 * The worker's day (issue 5, docs/api-hours.md "Worker side"): the jobs a worker sees on the
 * phone, and the check-ins and entries that move a booking along:
 *
 *   scheduled ──first check-in──► in_progress ──every assigned worker has an entry, none still checked in──► done
 *
 * An entry that completes the set while the booking is still `scheduled` (hours entered afterwards,
 * without a check-in) takes it through `check_in` and `finish` itself. The events name the one who
 * sent the hours (the worker, or staff on their behalf).
 *
 * Which bookings take hours: scheduled, in_progress and done. Once confirmed, disputed, settled or
 * cancelled the hours are closed (`hours_closed`); before it is scheduled (the team incomplete)
 * nothing can be logged yet (`booking_action_not_allowed`). A replay of a check-in or entry that
 * was stored earlier is answered in every state: the phone must learn that it arrived.
 *
 * Locks: the booking row first (the repositories' order, see bookings.ts), so the check-ins and
 * entries of one job take turns and the last one sees every other when it decides on `done`.
 */

/** States in which a worker logs hours on a job. */
export const LOGGING_STATES: readonly BookingState[] = ['scheduled', 'in_progress', 'done'];
/** States in which the hours of a job are closed for good. */
const CLOSED_STATES: readonly BookingState[] = ['confirmed', 'disputed', 'settled', 'cancelled'];

export const canLog = (state: BookingState) => LOGGING_STATES.includes(state);

export interface BookingStatus { id: string; state: BookingState }

/** Locks the booking; also reads the worker's weekly cap (null: none), which an entry needs, in the same statement. */
async function lockBooking(tx: Tx, programmeId: string, bookingId: string, workerId: string): Promise<{ booking: BookingStatus; weeklyCapMinutes: number | null }> {
  const row = await tx.selectFrom('bookings as b')
    .select(['b.id', 'b.state'])
    .select((eb) => eb.selectFrom('workers as w').select('w.weekly_cap_minutes').where('w.programme_id', '=', programmeId).where('w.user_id', '=', workerId).as('cap'))
    .where('b.programme_id', '=', programmeId).where('b.id', '=', bookingId).forUpdate().executeTakeFirst();
  if (!row) throw new TimeEntryError('time_entry_not_assigned', `worker ${workerId} is not assigned to booking ${bookingId}`);
  return { booking: { id: row.id, state: row.state }, weeklyCapMinutes: row.cap ?? null };
}

/** The refusal for a booking that takes no hours now: closed for a worker who was on it, else not assigned. */
async function notLogging(tx: Tx, booking: BookingStatus, workerId: string): Promise<Error> {
  const wasOnIt = await tx.selectFrom('booking_assignments').select('id').where('booking_id', '=', booking.id).where('worker_id', '=', workerId).limit(1).executeTakeFirst();
  if (!wasOnIt) return new TimeEntryError('time_entry_not_assigned', `worker ${workerId} is not assigned to booking ${booking.id}`);
  if (CLOSED_STATES.includes(booking.state)) return new TimeEntryError('hours_closed', `the hours of booking ${booking.id} are closed (${booking.state})`);
  return new BookingTransitionError(booking.state, 'check_in');
}

export interface CheckInResult extends checkIns.RecordedCheckIn {
  booking: BookingStatus;
}

/** A worker checks in (throws TimeEntryInvalidError `in_future` for a start more than 5 minutes ahead); the first check-in starts the job. */
export async function checkIn(tx: Tx, c: checkIns.NewCheckIn): Promise<CheckInResult> {
  if (c.startedAt) notInFuture(c.startedAt, c.now);
  const { booking } = await lockBooking(tx, c.programmeId, c.bookingId, c.workerId);
  if (!canLog(booking.state)) {
    const replay = await checkIns.findReplay(tx, c);
    if (replay) return { ...replay, booking };
    throw await notLogging(tx, booking, c.workerId);
  }
  const recorded = await checkIns.recordCheckIn(tx, c);
  if (booking.state !== 'scheduled') return { ...recorded, booking };
  const started = await transitionBooking(tx, { programmeId: c.programmeId, bookingId: booking.id, action: 'check_in', actorUserId: c.recordedBy ?? null });
  return { ...recorded, booking: { id: booking.id, state: started.to } };
}

export interface EntryResult extends timeEntries.RecordedEntry {
  booking: BookingStatus;
}

/**
 * A worker's entry (see time-entries.ts; an end more than 5 minutes ahead is `in_future`). When
 * it completes the set (every active assignment has an entry, no open check-in of theirs) the
 * booking is done.
 */
export async function recordEntry(tx: Tx, e: timeEntries.NewTimeEntry & { now: Date }): Promise<EntryResult> {
  notInFuture(e.endsAt, e.now);
  const { booking, weeklyCapMinutes } = await lockBooking(tx, e.programmeId, e.bookingId, e.workerId);
  if (!canLog(booking.state)) {
    const replay = await timeEntries.findReplay(tx, e);
    if (replay) return { ...replay, booking };
    throw await notLogging(tx, booking, e.workerId);
  }
  const recorded = await timeEntries.recordEntry(tx, { ...e, weeklyCapMinutes });
  if (booking.state === 'done' || !(await allLogged(tx, booking.id))) return { ...recorded, booking };
  const by = { programmeId: e.programmeId, bookingId: booking.id, actorUserId: e.recordedBy ?? null };
  if (booking.state === 'scheduled') await transitionBooking(tx, { ...by, action: 'check_in', details: { enteredAfter: true } });
  const finished = await transitionBooking(tx, { ...by, action: 'finish' });
  return { ...recorded, booking: { id: booking.id, state: finished.to } };
}

/**
 * `recordEntry` in one statement and its own transaction, for the common case: the database
 * function time_entry_record_simple (migration settle_function) stores a new entry of a worker
 * without a weekly cap that closes no check-in and does not complete the set. Returns undefined
 * when it is not that case (nothing changed): the caller then takes `recordEntry`, which decides.
 * Throws TimeEntryInvalidError as recordEntry does.
 */
export async function recordEntryAtOnce(db: Database, e: Omit<timeEntries.NewTimeEntry, 'checkInId'> & { now: Date }): Promise<EntryResult | undefined> {
  notInFuture(e.endsAt, e.now);
  // Times the hour rules refuse: recordEntry says so, after the booking's own refusals.
  let raw: number;
  let billable: number;
  try {
    raw = workedMinutes(e);
    billable = billableMinutes(raw, e.settings);
  } catch (err) {
    if (err instanceof TimeEntryInvalidError) return undefined;
    throw err;
  }
  const row = (await sql<timeEntries.EntryRecord & { booking_state: BookingState }>`
    select * from time_entry_record_simple(${e.programmeId}, ${e.id}, ${e.bookingId}, ${e.workerId}, ${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz,
      ${e.breakMinutes}::integer, ${raw}::integer, ${billable}::integer, ${e.source}::time_entry_source, ${e.recordedBy ?? null})`.execute(db)).rows[0];
  if (!row) return undefined;
  const { booking_state: state, ...entry } = row;
  return { entry: timeEntries.toEntry(entry), replayed: false, booking: { id: e.bookingId, state } };
}

/** Every active assignment has at least one entry and none of these workers is still checked in. */
async function allLogged(tx: Tx, bookingId: string): Promise<boolean> {
  const row = await sql<{ waiting: number }>`
    select count(*)::integer as waiting from booking_assignments a
    where a.booking_id = ${bookingId} and a.released_at is null and (
      not exists (select 1 from time_entries t where t.booking_id = a.booking_id and t.worker_id = a.worker_id)
      or exists (select 1 from time_check_ins c where c.booking_id = a.booking_id and c.worker_id = a.worker_id and c.closed_at is null))`.execute(tx);
  return row.rows[0]!.waiting === 0;
}

// ── The worker's jobs ────────────────────────────────────────────────────────────────────────────

export interface WorkerJob {
  bookingId: string;
  state: BookingState;
  service: { code: string; name: { nl: string; en: string } };
  /** this worker's assignment */
  startsAt: Date;
  endsAt: Date;
  customerName: string;
  /** the booking's contact phone, else the customer's */
  contactPhone: string | null;
  address: null | { street: string; houseNumber: number; houseNumberSuffix: string; postcode: string; city: string; locationName: string | null };
  notes: string;
  team: { workerId: string; name: string; leads: boolean }[];
  leads: boolean;
  /** this worker's open check-in on the job */
  checkIn: checkIns.CheckIn | null;
  /** this worker's entries on the job, earliest first */
  entries: timeEntries.TimeEntry[];
  canLog: boolean;
}

interface JobRow {
  booking_id: string;
  leads: boolean;
  starts_at: Date;
  ends_at: Date;
  state: BookingState;
  notes: string;
  service_code: string;
  name_nl: string;
  name_en: string;
  customer_name: string;
  contact_phone: string | null;
  location_name: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
}

/**
 * A worker's jobs on the local days [from, from + days) (Europe/Amsterdam): their active
 * assignments that overlap those days, cancelled bookings left out, earliest first. Four
 * statements whatever the number of jobs: the jobs, the teams, the entries, the open check-ins.
 */
export async function workerJobs(db: Executor, f: { programmeId: string; workerId: string; from: string; days: number }): Promise<WorkerJob[]> {
  const rows = (await sql<JobRow>`
    select a.booking_id, a.leads, lower(a.during) as starts_at, upper(a.during) as ends_at, b.state, b.notes,
      s.code as service_code, s.name_nl, s.name_en, coalesce(h.name, o.name) as customer_name,
      coalesce(b.contact_phone, h.phone, o.phone) as contact_phone, l.name as location_name,
      ${JOB_ADDRESS_COLUMNS}
    from booking_assignments a
    join bookings b on b.id = a.booking_id
    join services s on s.id = b.service_id
    left join households h on h.id = b.household_id
    left join organisations o on o.id = b.organisation_id
    left join organisation_locations l on l.id = b.location_id
    where a.programme_id = ${f.programmeId} and a.worker_id = ${f.workerId} and a.released_at is null and b.state <> 'cancelled'
      and a.during && tstzrange(${f.from}::date::timestamp at time zone 'Europe/Amsterdam', (${f.from}::date + ${f.days}::integer)::timestamp at time zone 'Europe/Amsterdam', '[)')
    order by lower(a.during), a.booking_id`.execute(db)).rows;
  if (rows.length === 0) return [];
  const bookingIds = rows.map((r) => r.booking_id);
  const [team, entries, open] = await Promise.all([
    db.selectFrom('booking_assignments as a').innerJoin('users as u', 'u.id', 'a.worker_id')
      .select(['a.booking_id', 'a.worker_id', 'u.display_name', 'a.leads'])
      .where('a.booking_id', 'in', bookingIds).where('a.released_at', 'is', null)
      .orderBy('a.leads', 'desc').orderBy('u.display_name').execute(),
    timeEntries.entriesForWorkerOnBookings(db, { programmeId: f.programmeId, workerId: f.workerId, bookingIds }),
    checkIns.openCheckIns(db, { programmeId: f.programmeId, workerId: f.workerId, bookingIds }),
  ]);
  return rows.map((r) => ({
    bookingId: r.booking_id,
    state: r.state,
    service: { code: r.service_code, name: { nl: r.name_nl, en: r.name_en } },
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    customerName: r.customer_name,
    contactPhone: r.contact_phone,
    address: r.street === null ? null : {
      street: r.street, houseNumber: r.house_number!, houseNumberSuffix: r.house_number_suffix ?? '', postcode: r.postcode!, city: r.city!, locationName: r.location_name,
    },
    notes: r.notes,
    team: team.filter((m) => m.booking_id === r.booking_id).map((m) => ({ workerId: m.worker_id, name: m.display_name, leads: m.leads })),
    leads: r.leads,
    checkIn: open.find((c) => c.bookingId === r.booking_id) ?? null,
    entries: entries.filter((e) => e.bookingId === r.booking_id),
    canLog: canLog(r.state),
  }));
}
