import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import {
  amsterdamDate, BookingTransitionError, canTake, nextState, priceJob,
  type BookingAction, type BookingState, type CustomerCategory, type JobPrice,
} from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import type { Bookings } from '../schema.js';
import * as wallet from '../wallet/index.js';
import * as notifications from './notifications.js';
import { JOB_ADDRESS_COLUMNS } from './job-address.js';

/**
 * Bookings: creating one together with its wallet hold, moving it through the lifecycle of
 * `shared/src/booking-lifecycle.ts`, assigning workers, cancelling. Every function takes the caller's
 * transaction (or, for reads, any executor) and the programme: another programme's booking does not exist here.
 *
 * Locks, in the one order every function takes them, so concurrent calls queue instead of deadlocking:
 *   1. the booking row (SELECT .. FOR UPDATE): two transitions of one booking take turns, and the
 *      second sees the state the first left;
 *   2. the booking's hold, then its wallet (advisory locks inside the wallet functions);
 *   3. per worker, inside the database: the exclusion constraint and the weekly-cap trigger's lock.
 *
 * Errors the API maps to stable codes (the database has the last word; the checks here only give
 * earlier, clearer answers):
 *   - `WorkerDoubleBookedError` (`worker_double_booked`): SQLSTATE 23P01 (exclusion_violation) on the
 *     constraint `worker_not_double_booked` of `booking_assignments`.
 *   - `WorkerWeeklyCapExceededError` (`worker_weekly_cap_exceeded`): SQLSTATE 23514 (check_violation)
 *     raised by the constraint trigger `worker_within_weekly_cap`, with the constraint name
 *     `worker_within_weekly_cap` and a JSON detail `{ capMinutes, usedMinutes, weekStart }`.
 *   - `BookingTransitionError` (`booking_action_not_allowed`, from shared): the action does not fit the state.
 *   - `BookingRuleError` (its `code`): a refused booking or assignment, see `BookingRuleCode`.
 *   - `BookingNotFoundError` (`not_found`).
 */

export type BookingRow = Selectable<Bookings>;

/** Constraint names in the database and the stable error codes they stand for. */
export const CONSTRAINT_ERRORS = {
  worker_not_double_booked: { sqlstate: '23P01', code: 'worker_double_booked' },
  worker_within_weekly_cap: { sqlstate: '23514', code: 'worker_weekly_cap_exceeded' },
} as const;

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────

export class BookingNotFoundError extends Error {
  readonly code = 'not_found';
  constructor(readonly bookingId: string) {
    super(`booking ${bookingId} not found`);
  }
}

export class WorkerDoubleBookedError extends Error {
  readonly code = 'worker_double_booked';
  constructor(readonly workerId: string, readonly bookingId: string) {
    super(`worker ${workerId} already has a job at the time of booking ${bookingId}`);
  }
}

export class WorkerWeeklyCapExceededError extends Error {
  readonly code = 'worker_weekly_cap_exceeded';
  constructor(
    readonly workerId: string,
    readonly capMinutes: number | null,
    /** minutes the worker would have in that week with this assignment */
    readonly usedMinutes: number | null,
    /** Monday 'YYYY-MM-DD' of the ISO week */
    readonly weekStart: string | null,
  ) {
    super(`worker ${workerId} would exceed the weekly cap of ${capMinutes ?? '?'} minutes in the week of ${weekStart ?? '?'}`);
  }
}

export type BookingRuleCode =
  | 'service_not_found'
  | 'service_inactive'
  | 'workers_out_of_range'
  | 'place_not_allowed'
  | 'location_not_found'
  | 'window_invalid'
  | 'booking_fully_assigned'
  | 'worker_not_found'
  | 'worker_inactive'
  | 'worker_lacks_skill'
  | 'worker_absent'
  | 'worker_already_assigned'
  | 'lead_required'
  | 'lead_not_qualified'
  | 'lead_already_assigned'
  | 'start_required'
  | 'start_outside_window'
  | 'start_mismatch'
  | 'not_assigned';

/** A booking or assignment the rules refuse, with a stable code for the API. */
export class BookingRuleError extends Error {
  constructor(readonly code: BookingRuleCode, message: string = code) {
    super(message);
  }
}

interface PgError { code?: string; constraint?: string; detail?: string }

// ── Shapes ───────────────────────────────────────────────────────────────────────────────────────

export type Customer = wallet.Owner;

export type BookingPlace =
  | { kind: 'home' }
  | { kind: 'organisation_location'; locationId: string }
  | { kind: 'service_point' };

export type BookingTiming =
  | { startsAt: Date; windowStart?: undefined; windowEnd?: undefined }
  /** plan within these local dates 'YYYY-MM-DD', both included, at most 7 days */
  | { windowStart: string; windowEnd: string; startsAt?: undefined };

export interface Transition {
  bookingId: string;
  action: BookingAction;
  from: BookingState;
  to: BookingState;
}

const MINUTE = 60_000;
const holdKey = (bookingId: string) => `booking:${bookingId}:hold`;

function customerFilter(customer: Customer) {
  return customer.householdId ? sql<boolean>`household_id = ${customer.householdId}` : sql<boolean>`organisation_id = ${customer.organisationId ?? null}`;
}

function customerOf(b: Pick<BookingRow, 'household_id' | 'organisation_id'>): Customer {
  if (b.household_id) return { householdId: b.household_id };
  if (b.organisation_id) return { organisationId: b.organisation_id };
  throw new Error('booking without customer');
}

/** Runs `work` in a savepoint, so a refused statement leaves the caller's transaction usable. */
export async function inSavepoint<T>(tx: Tx, name: string, work: () => Promise<T>): Promise<T> {
  await sql`savepoint ${sql.id(name)}`.execute(tx);
  try {
    const result = await work();
    await sql`release savepoint ${sql.id(name)}`.execute(tx);
    return result;
  } catch (err) {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(tx);
    throw err;
  }
}

// ── The lifecycle ────────────────────────────────────────────────────────────────────────────────

async function lockBooking(tx: Tx, programmeId: string, bookingId: string): Promise<BookingRow> {
  const row = await tx.selectFrom('bookings').selectAll().where('programme_id', '=', programmeId).where('id', '=', bookingId).forUpdate().executeTakeFirst();
  if (!row) throw new BookingNotFoundError(bookingId);
  return row;
}

/** The one place a booking changes state: checked by the shared state machine, recorded as an event. The row must be locked (or new). */
async function applyTransition(
  tx: Tx, booking: BookingRow, action: BookingAction,
  by: { actorUserId: string | null; reason?: string | null; details?: Record<string, unknown> },
): Promise<Transition> {
  const to = nextState(booking.state, action);
  await tx.updateTable('bookings').set({ state: to, updated_at: sql<Date>`now()` }).where('id', '=', booking.id).execute();
  const event = await tx
    .insertInto('booking_events')
    .values({
      programme_id: booking.programme_id, booking_id: booking.id, from_state: booking.state, to_state: to, action,
      actor_user_id: by.actorUserId, reason: by.reason ?? null, details: JSON.stringify(by.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The messages this change causes, in the same transaction (see notifications.ts).
  await notifications.onTransition(tx, { programmeId: booking.programme_id, bookingId: booking.id, action, eventId: event.id });
  return { bookingId: booking.id, action, from: booking.state, to };
}

/**
 * Actions with nothing to do besides the state change. The others have their own function here,
 * because they move cheques or workers too: hold_placed / hold_short (createBooking),
 * payment_received (resumeAwaitingBookings), assign / unassign (assignWorker / unassignWorker),
 * cancel (cancelBooking); reschedule arrives with the change of a booking's time.
 */
export type PlainAction = Exclude<BookingAction, 'hold_placed' | 'hold_short' | 'payment_received' | 'assign' | 'unassign' | 'cancel' | 'reschedule'>;
const PLAIN_ACTIONS: readonly PlainAction[] = ['check_in', 'finish', 'confirm_hours', 'dispute', 'resolve_dispute', 'settle'];

/**
 * Takes a plain action on a booking. The row lock makes concurrent transitions take turns: of two
 * check-ins at once, the second finds the booking in progress and gets a BookingTransitionError.
 */
export async function transitionBooking(
  tx: Tx,
  t: { programmeId: string; bookingId: string; action: PlainAction; actorUserId: string | null; reason?: string | null; details?: Record<string, unknown> },
): Promise<Transition> {
  const booking = await lockBooking(tx, t.programmeId, t.bookingId);
  return (await transitionLockedBooking(tx, booking, t)).transition;
}

/** The booking row, locked for this transaction (BookingNotFoundError when this programme has no such booking). */
export const lockBookingRow = lockBooking;

/**
 * A plain action on a booking the caller has locked with `lockBookingRow` in this transaction (one
 * statement fewer than `transitionBooking`, which locks it again). Returns the transition and the
 * row in its new state, for a next action in the same transaction.
 */
export async function transitionLockedBooking(
  tx: Tx, booking: BookingRow,
  t: { action: PlainAction; actorUserId: string | null; reason?: string | null; details?: Record<string, unknown> },
): Promise<{ transition: Transition; booking: BookingRow }> {
  if (!PLAIN_ACTIONS.includes(t.action)) throw new Error(`${t.action as string} has its own function in the bookings repository`);
  const transition = await applyTransition(tx, booking, t.action, t);
  return { transition, booking: { ...booking, state: transition.to } };
}

// ── Booking ──────────────────────────────────────────────────────────────────────────────────────

export interface NewBooking {
  programmeId: string;
  customer: Customer;
  serviceId: string;
  place: BookingPlace;
  timing: BookingTiming;
  /** estimated duration of the job, a multiple of 15 */
  durationMinutes: number;
  workersNeeded: number;
  notes?: string;
  contactPhone?: string | null;
  /** the customer's tariff as quoted (the caller computes it with the shared pricing rules) */
  tariff: { category: CustomerCategory; centsPerWorkerHour: number };
  createdBy: string;
  /** a dispatcher booked for the customer (phone, counter) */
  onBehalf: boolean;
  seriesId?: string | null;
}

export type HoldOutcome =
  | { status: 'held'; minutes: number }
  /** the wallet was short: the booking waits as awaiting_payment */
  | { status: 'short'; neededMinutes: number; availableMinutes: number };

export interface CreatedBooking {
  booking: BookingRow;
  price: JobPrice;
  hold: HoldOutcome;
  transition: Transition;
}

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/**
 * Creates a booking and, in the same transaction, holds its estimated worker-minutes
 * (workers × duration) from the customer's wallet. With the hold in place it is ready to plan;
 * when the wallet is short nothing is held and it waits as awaiting_payment until
 * `resumeAwaitingBookings` finds enough cheques.
 *
 * One call to the database function booking_create (migration booking_function): the service's
 * rules (refusals come back as SQLSTATE BSR01 with the rule's code), the hold, the booking in the
 * state the hold decided, its event, and the customer's confirmation messages (see notifications.ts).
 */
export async function createBooking(tx: Tx, b: NewBooking): Promise<CreatedBooking> {
  const price = priceJob(b.workersNeeded, b.durationMinutes, b.tariff.centsPerWorkerHour);
  const bookingId = randomUUID();
  const from: BookingState = 'requested';
  let row: BookingRow & { hold_status: 'held' | 'short'; available_minutes: number | null };
  try {
    row = (await sql<typeof row>`
      select (r.booking).*, r.hold_status, r.available_minutes
      from booking_create(
        ${bookingId}, ${b.programmeId}, ${b.customer.householdId ?? null}, ${b.customer.organisationId ?? null}, ${b.serviceId},
        ${b.place.kind}::booking_place, ${b.place.kind === 'organisation_location' ? b.place.locationId : null},
        ${b.timing.startsAt ?? null}::timestamptz, ${b.timing.windowStart ?? null}::date, ${b.timing.windowEnd ?? null}::date,
        ${b.durationMinutes}::integer, ${Number.isSafeInteger(b.workersNeeded) ? b.workersNeeded : null}::integer, ${price.workerMinutes}::integer,
        ${b.notes ?? ''}, ${b.contactPhone ?? null}, ${b.tariff.category}::customer_category, ${b.tariff.centsPerWorkerHour}::integer,
        ${b.createdBy}, ${b.onBehalf}, ${b.seriesId ?? null}, ${holdKey(bookingId)},
        ${nextState(from, 'hold_placed')}::booking_state, ${nextState(from, 'hold_short')}::booking_state
      ) r`.execute(tx)).rows[0]!;
  } catch (err) {
    const e = err as PgError & { message?: string };
    if (e.code === 'BSR01') throw new BookingRuleError(e.message as BookingRuleCode, e.message === 'window_invalid' ? 'plan within 1 to 7 days' : e.message);
    if (e.constraint?.includes('location_id')) throw new BookingRuleError('location_not_found');
    throw err;
  }
  const { hold_status: holdStatus, available_minutes: availableMinutes, ...booking } = row;
  const hold: HoldOutcome = holdStatus === 'held'
    ? { status: 'held', minutes: price.workerMinutes }
    : { status: 'short', neededMinutes: price.workerMinutes, availableMinutes: availableMinutes ?? 0 };
  const transition: Transition = { bookingId, action: holdStatus === 'held' ? 'hold_placed' : 'hold_short', from, to: booking.state };
  return { booking, price, hold, transition };
}

/**
 * Tries the hold again for every booking of a wallet that waits for payment, oldest first; each
 * one that now fits moves on to ready_to_plan. A later, smaller booking may fit where an older one
 * does not: it moves on, and the older one keeps waiting. Safe to call at any time and more than
 * once (the hold's key is per booking). The purchase paths call it after crediting the wallet;
 * best in a transaction of its own right after the purchase committed, so the booking rows are
 * locked before any wallet lock (the order above).
 */
export async function resumeAwaitingBookings(tx: Tx, r: { programmeId: string; customer: Customer; actorUserId?: string | null }): Promise<{ resumed: string[]; waiting: string[] }> {
  // Locked in creation order; a booking another transaction cancelled or moved on meanwhile no
  // longer matches once its lock is granted, and is skipped.
  const waiting = await tx
    .selectFrom('bookings')
    .selectAll()
    .where('programme_id', '=', r.programmeId)
    .where(customerFilter(r.customer))
    .where('state', '=', 'awaiting_payment')
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  const out = { resumed: [] as string[], waiting: [] as string[] };
  for (const booking of waiting) {
    const minutes = booking.workers_needed * booking.duration_minutes;
    const held = await wallet.holdForBooking(tx, {
      programmeId: r.programmeId, owner: customerOf(booking), bookingId: booking.id, minutes, idempotencyKey: holdKey(booking.id), actorUserId: r.actorUserId ?? null,
    });
    if (held.replayed || held.status === 'held') {
      await applyTransition(tx, booking, 'payment_received', { actorUserId: r.actorUserId ?? null, details: { heldMinutes: minutes } });
      out.resumed.push(booking.id);
    } else {
      out.waiting.push(booking.id);
    }
  }
  return out;
}

// ── Assignments ──────────────────────────────────────────────────────────────────────────────────

interface ActiveAssignment {
  id: string;
  worker_id: string;
  leads: boolean;
  starts_at: Date;
  ends_at: Date;
}

async function activeAssignments(db: Executor, bookingId: string): Promise<ActiveAssignment[]> {
  return db
    .selectFrom('booking_assignments')
    .select(['id', 'worker_id', 'leads', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at')])
    .where('booking_id', '=', bookingId)
    .where('released_at', 'is', null)
    .orderBy('assigned_at')
    .execute();
}

export interface AssignRequest {
  programmeId: string;
  bookingId: string;
  workerId: string;
  /** this worker leads the team (needs level `lead` in the service's skill) */
  leads?: boolean;
  /** for a flexible booking: when the job starts (the first worker sets it; the team shares it) */
  startsAt?: Date;
  actorUserId: string | null;
}

export interface AssignResult {
  assignmentId: string;
  workerId: string;
  startsAt: Date;
  endsAt: Date;
  leads: boolean;
  /** set when this worker completed the team and the booking became scheduled */
  transition: Transition | null;
}

function assignmentError(err: unknown, workerId: string, bookingId: string): unknown {
  const e = err as PgError;
  if (e.code === CONSTRAINT_ERRORS.worker_not_double_booked.sqlstate && e.constraint === 'worker_not_double_booked') return new WorkerDoubleBookedError(workerId, bookingId);
  if (e.code === CONSTRAINT_ERRORS.worker_within_weekly_cap.sqlstate && e.constraint === 'worker_within_weekly_cap') {
    let detail: { capMinutes?: number; usedMinutes?: number; weekStart?: string } = {};
    try {
      detail = JSON.parse(e.detail ?? '{}') as typeof detail;
    } catch {
      // the message still says it all
    }
    return new WorkerWeeklyCapExceededError(workerId, detail.capMinutes ?? null, detail.usedMinutes ?? null, detail.weekStart ?? null);
  }
  if (e.code === '23505' && e.constraint === 'booking_assignments_once') return new BookingRuleError('worker_already_assigned');
  if (e.code === '23505' && e.constraint === 'booking_assignments_one_lead') return new BookingRuleError('lead_already_assigned');
  if (e.code === '23503') return new BookingRuleError('worker_not_found');
  return err;
}

/**
 * Assigns a worker to a booking that is ready to plan. The worker must be active, have the
 * service's skill and not be absent; a team of two or more needs one who leads. When this worker
 * completes the team the booking becomes scheduled. The database refuses a worker who is already
 * somewhere else at that time (WorkerDoubleBookedError) or who would go over the weekly cap of a
 * benefit (WorkerWeeklyCapExceededError), even when two dispatchers assign at the same moment.
 * A refused assignment leaves the caller's transaction usable (an auto-planner tries the next worker).
 */
export async function assignWorker(tx: Tx, a: AssignRequest): Promise<AssignResult> {
  const booking = await lockBooking(tx, a.programmeId, a.bookingId);
  if (!canTake(booking.state, 'assign')) throw new BookingTransitionError(booking.state, 'assign');
  const team = await activeAssignments(tx, booking.id);
  if (team.some((m) => m.worker_id === a.workerId)) throw new BookingRuleError('worker_already_assigned');
  if (team.length >= booking.workers_needed) throw new BookingRuleError('booking_fully_assigned');

  const service = await tx.selectFrom('services').select('required_skill').where('id', '=', booking.service_id).executeTakeFirstOrThrow();
  const worker = await tx
    .selectFrom('workers as w')
    .leftJoin('worker_skills as s', (join) => join.onRef('s.worker_id', '=', 'w.user_id').on('s.skill', '=', service.required_skill))
    .select(['w.user_id', 'w.active', 's.level'])
    .where('w.programme_id', '=', a.programmeId)
    .where('w.user_id', '=', a.workerId)
    .executeTakeFirst();
  if (!worker) throw new BookingRuleError('worker_not_found');
  if (!worker.active) throw new BookingRuleError('worker_inactive');
  if (!worker.level) throw new BookingRuleError('worker_lacks_skill', `the worker has no skill ${service.required_skill}`);
  const leads = a.leads ?? false;
  if (leads && worker.level !== 'lead') throw new BookingRuleError('lead_not_qualified');
  const completes = team.length + 1 === booking.workers_needed;
  if (completes && booking.workers_needed > 1 && !leads && !team.some((m) => m.leads)) throw new BookingRuleError('lead_required', 'a team of two or more needs one worker who leads');

  // The team works at one time: a fixed booking's, or the time the first worker of a flexible one got.
  const first = team[0];
  let startsAt: Date;
  if (first) startsAt = first.starts_at;
  else if (booking.starts_at) startsAt = booking.starts_at;
  else {
    if (!a.startsAt) throw new BookingRuleError('start_required', 'a flexible booking needs a start time when its first worker is assigned');
    const day = amsterdamDate(a.startsAt);
    if (day < booking.window_start! || day > booking.window_end!) throw new BookingRuleError('start_outside_window');
    startsAt = a.startsAt;
  }
  if (a.startsAt && a.startsAt.getTime() !== startsAt.getTime()) throw new BookingRuleError('start_mismatch', 'the job already has its start time');
  const endsAt = new Date(startsAt.getTime() + booking.duration_minutes * MINUTE);

  const absent = await tx
    .selectFrom('worker_absences')
    .select('id')
    .where('worker_id', '=', a.workerId)
    .where(sql<boolean>`during && tstzrange(${startsAt}, ${endsAt}, '[)')`)
    .executeTakeFirst();
  if (absent) throw new BookingRuleError('worker_absent');

  let assignmentId: string;
  try {
    assignmentId = await inSavepoint(tx, 'booking_assign', async () => (await tx
      .insertInto('booking_assignments')
      .values({
        programme_id: a.programmeId, booking_id: booking.id, worker_id: a.workerId,
        during: sql<string>`tstzrange(${startsAt}, ${endsAt}, '[)')`, leads, assigned_by: a.actorUserId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()).id);
  } catch (err) {
    throw assignmentError(err, a.workerId, booking.id);
  }
  await notifications.workerAssigned(tx, { programmeId: a.programmeId, bookingId: booking.id, assignmentId, workerId: a.workerId });
  const transition = completes ? await applyTransition(tx, booking, 'assign', { actorUserId: a.actorUserId, details: { workerId: a.workerId } }) : null;
  return { assignmentId, workerId: a.workerId, startsAt, endsAt, leads, transition };
}

/**
 * Takes a worker off a booking that is ready to plan or scheduled (a scheduled booking goes back
 * to ready to plan). The assignment row stays, released, as history.
 */
export async function unassignWorker(tx: Tx, u: { programmeId: string; bookingId: string; workerId: string; actorUserId: string | null; reason?: string | null }): Promise<{ transition: Transition | null }> {
  const booking = await lockBooking(tx, u.programmeId, u.bookingId);
  // A team still being put together (ready_to_plan) may change too; the state machine's
  // `unassign` is the step back from scheduled.
  if (booking.state !== 'ready_to_plan' && !canTake(booking.state, 'unassign')) throw new BookingTransitionError(booking.state, 'unassign');
  const released = await tx
    .updateTable('booking_assignments')
    .set({ released_at: sql<Date>`now()`, released_by: u.actorUserId, release_reason: u.reason ?? null })
    .where('booking_id', '=', booking.id)
    .where('worker_id', '=', u.workerId)
    .where('released_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!released) throw new BookingRuleError('not_assigned');
  await notifications.workerUnassigned(tx, { programmeId: u.programmeId, bookingId: booking.id, assignmentId: released.id, workerId: u.workerId });
  const transition = booking.state === 'scheduled'
    ? await applyTransition(tx, booking, 'unassign', { actorUserId: u.actorUserId, reason: u.reason ?? null, details: { workerId: u.workerId } })
    : null;
  return { transition };
}

// ── Cancellation ─────────────────────────────────────────────────────────────────────────────────

/**
 * Free until `freeCancellationHours` before the start, that moment included; later is late.
 * (24 hours: cancelling 24:00 or 24:01 before the start is free, 23:59 before costs the fee.)
 */
export function isLateCancellation(startsAt: Date, now: Date, freeCancellationHours: number): boolean {
  return startsAt.getTime() - now.getTime() < freeCancellationHours * 60 * MINUTE;
}

/** Whether a booking in this state has minutes held in the wallet. */
function holdsMinutes(state: BookingState): boolean {
  switch (state) {
    case 'requested':
    case 'awaiting_payment':
    case 'settled':
    case 'cancelled':
      return false;
    case 'ready_to_plan':
    case 'scheduled':
    case 'in_progress':
    case 'done':
    case 'confirmed':
    case 'disputed':
      return true;
  }
}

export interface CancelRequest {
  programmeId: string;
  bookingId: string;
  actorUserId: string | null;
  reason?: string | null;
  /** the programme setting `freeCancellationHours` */
  freeCancellationHours: number;
  /** the late fee per assigned worker, in minutes (one hour: 60) */
  feeMinutesPerWorker: number;
  /** a dispatcher cancels without a fee (with a reason) */
  waiveFee?: boolean;
  now?: Date;
}

export interface CancelResult {
  transition: Transition;
  late: boolean;
  feeMinutes: number;
  releasedMinutes: number;
  /** the workers who were assigned: they are to be told */
  releasedWorkerIds: string[];
}

/**
 * Cancels a booking. Before the free-cancellation cutoff the whole hold goes back to the wallet;
 * later, one fee per assigned worker is taken from the hold and the rest released. The start is
 * the team's start once workers are assigned, else the fixed start, else the first day of the
 * week to plan in (00:00 Amsterdam).
 */
export async function cancelBooking(tx: Tx, c: CancelRequest): Promise<CancelResult> {
  const booking = await lockBooking(tx, c.programmeId, c.bookingId);
  nextState(booking.state, 'cancel');
  const team = await activeAssignments(tx, booking.id);
  let startsAt = team[0]?.starts_at ?? booking.starts_at;
  if (!startsAt) {
    const r = await sql<{ t: Date }>`select (${booking.window_start}::date)::timestamp at time zone 'Europe/Amsterdam' as t`.execute(tx);
    startsAt = r.rows[0]!.t;
  }
  const late = isLateCancellation(startsAt, c.now ?? new Date(), c.freeCancellationHours);
  const dueMinutes = late && !c.waiveFee ? team.length * c.feeMinutesPerWorker : 0;

  let feeMinutes = 0;
  let releasedMinutes = 0;
  if (holdsMinutes(booking.state)) {
    if (dueMinutes > 0) {
      const fee = await wallet.chargeCancellationFee(tx, { programmeId: c.programmeId, bookingId: booking.id, minutes: dueMinutes, idempotencyKey: `booking:${booking.id}:cancel`, actorUserId: c.actorUserId });
      if (!fee.replayed) ({ feeMinutes, releasedMinutes } = fee);
    } else {
      const release = await wallet.releaseHold(tx, { programmeId: c.programmeId, bookingId: booking.id, idempotencyKey: `booking:${booking.id}:release`, actorUserId: c.actorUserId });
      if (!release.replayed) releasedMinutes = release.releasedMinutes;
    }
  }
  const released = await tx
    .updateTable('booking_assignments')
    .set({ released_at: sql<Date>`now()`, released_by: c.actorUserId, release_reason: 'booking cancelled' })
    .where('booking_id', '=', booking.id)
    .where('released_at', 'is', null)
    .returning('worker_id')
    .execute();
  const transition = await applyTransition(tx, booking, 'cancel', {
    actorUserId: c.actorUserId,
    reason: c.reason ?? null,
    details: { late, waived: Boolean(c.waiveFee) && late, feeMinutes, releasedMinutes, assignedWorkers: team.length },
  });
  await notifications.bookingCancelled(tx, { programmeId: c.programmeId, bookingId: booking.id, workerIds: released.map((r) => r.worker_id), late, feeMinutes });
  return { transition, late, feeMinutes, releasedMinutes, releasedWorkerIds: released.map((r) => r.worker_id) };
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────

export interface AssignmentView {
  assignmentId: string;
  workerId: string;
  workerName: string;
  leads: boolean;
  startsAt: Date;
  endsAt: Date;
}

export interface BookingView {
  id: string;
  state: BookingState;
  service: { id: string; code: string; name: { nl: string; en: string }; requiredSkill: string };
  customer: { kind: 'household'; id: string; name: string } | { kind: 'organisation'; id: string; name: string };
  place: BookingRow['place'];
  /** where the job is done: the home or the location; null at the service point */
  address: { locationId: string | null; locationName: string | null; street: string; houseNumber: number; houseNumberSuffix: string; postcode: string; city: string; buurtId: string | null; buurtName: string | null } | null;
  startsAt: Date | null;
  windowStart: string | null;
  windowEnd: string | null;
  durationMinutes: number;
  workersNeeded: number;
  notes: string;
  contactPhone: string | null;
  tariff: { category: CustomerCategory; centsPerWorkerHour: number };
  createdBy: string;
  onBehalf: boolean;
  seriesId: string | null;
  createdAt: Date;
  /** the active assignments, the leader first */
  assignments: AssignmentView[];
}

interface ViewRow extends BookingRow {
  service_code: string;
  name_nl: string;
  name_en: string;
  required_skill: string;
  customer_name: string;
  location_name: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
  buurt_id: string | null;
  buurt_name: string | null;
}

async function bookingViews(db: Executor, programmeId: string, where: RawBuilder<boolean>): Promise<BookingView[]> {
  const rows = (await sql<ViewRow>`
    select b.*, s.code as service_code, s.name_nl, s.name_en, s.required_skill,
      coalesce(h.name, o.name) as customer_name, l.name as location_name,
      ${JOB_ADDRESS_COLUMNS},
      bu.id as buurt_id, bu.name as buurt_name
    from bookings b
    join services s on s.id = b.service_id
    left join households h on h.id = b.household_id
    left join organisations o on o.id = b.organisation_id
    left join organisation_locations l on l.id = b.location_id
    left join buurten bu on bu.id = case b.place when 'home' then h.buurt_id when 'organisation_location' then l.buurt_id end
    where b.programme_id = ${programmeId} and ${where}
    order by coalesce(b.starts_at, b.window_start::timestamp at time zone 'Europe/Amsterdam'), b.created_at, b.id`.execute(db)).rows;
  if (rows.length === 0) return [];
  const assignments = await db
    .selectFrom('booking_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.worker_id')
    .select(['a.id', 'a.booking_id', 'a.worker_id', 'u.display_name', 'a.leads', sql<Date>`lower(a.during)`.as('starts_at'), sql<Date>`upper(a.during)`.as('ends_at')])
    .where('a.booking_id', 'in', rows.map((r) => r.id))
    .where('a.released_at', 'is', null)
    .orderBy('a.leads', 'desc')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    service: { id: r.service_id, code: r.service_code, name: { nl: r.name_nl, en: r.name_en }, requiredSkill: r.required_skill },
    customer: r.household_id ? { kind: 'household', id: r.household_id, name: r.customer_name } : { kind: 'organisation', id: r.organisation_id!, name: r.customer_name },
    place: r.place,
    address: r.street === null ? null : {
      locationId: r.location_id, locationName: r.location_name, street: r.street, houseNumber: r.house_number!, houseNumberSuffix: r.house_number_suffix ?? '',
      postcode: r.postcode!, city: r.city!, buurtId: r.buurt_id, buurtName: r.buurt_name,
    },
    startsAt: r.starts_at,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    durationMinutes: r.duration_minutes,
    workersNeeded: r.workers_needed,
    notes: r.notes,
    contactPhone: r.contact_phone,
    tariff: { category: r.tariff_category, centsPerWorkerHour: r.cents_per_worker_hour },
    createdBy: r.created_by,
    onBehalf: r.on_behalf,
    seriesId: r.series_id,
    createdAt: r.created_at,
    assignments: assignments.filter((x) => x.booking_id === r.id).map((x) => ({
      assignmentId: x.id, workerId: x.worker_id, workerName: x.display_name, leads: x.leads, startsAt: x.starts_at, endsAt: x.ends_at,
    })),
  }));
}

export async function findBooking(db: Executor, programmeId: string, bookingId: string): Promise<BookingView | undefined> {
  return (await bookingViews(db, programmeId, sql<boolean>`b.id = ${bookingId}`))[0];
}

/** States a board shows unless asked otherwise: everything but cancelled. */
const LIVE_STATES: readonly BookingState[] = ['requested', 'awaiting_payment', 'ready_to_plan', 'scheduled', 'in_progress', 'done', 'confirmed', 'disputed', 'settled'];

/**
 * The bookings of one local day or ISO week (Monday to Sunday, Europe/Amsterdam) that holds
 * `date`: fixed ones whose time overlaps it, flexible ones whose week to plan in overlaps it.
 */
export async function listBookings(db: Executor, f: { programmeId: string; date: string; span: 'day' | 'week'; customer?: Customer; states?: readonly BookingState[] }): Promise<BookingView[]> {
  const first = f.span === 'week' ? sql`date_trunc('week', ${f.date}::date)::date` : sql`${f.date}::date`;
  const days = f.span === 'week' ? 7 : 1;
  const states = f.states ?? LIVE_STATES;
  if (states.length === 0) return [];
  const customer = f.customer ? (f.customer.householdId ? sql`b.household_id = ${f.customer.householdId}` : sql`b.organisation_id = ${f.customer.organisationId ?? null}`) : sql`true`;
  return bookingViews(db, f.programmeId, sql<boolean>`
    b.state in (${sql.join(states)}) and ${customer} and (
      (b.starts_at < ((${first}) + ${days}::int)::timestamp at time zone 'Europe/Amsterdam'
        and b.starts_at + make_interval(mins => b.duration_minutes) > (${first})::timestamp at time zone 'Europe/Amsterdam')
      or (b.window_start < (${first}) + ${days}::int and b.window_end >= (${first})))`);
}

export interface ScheduleItem {
  assignment: AssignmentView;
  booking: BookingView;
}

/** A worker's active assignments that overlap [from, until), in time order, each with its booking. */
export async function workerSchedule(db: Executor, s: { programmeId: string; workerId: string; from: Date; until: Date }): Promise<ScheduleItem[]> {
  const rows = await db
    .selectFrom('booking_assignments')
    .select(['booking_id'])
    .where('programme_id', '=', s.programmeId)
    .where('worker_id', '=', s.workerId)
    .where('released_at', 'is', null)
    .where(sql<boolean>`during && tstzrange(${s.from}, ${s.until}, '[)')`)
    .execute();
  if (rows.length === 0) return [];
  const views = await bookingViews(db, s.programmeId, sql<boolean>`b.id in (${sql.join(rows.map((r) => r.booking_id))})`);
  return views
    .flatMap((booking) => booking.assignments.filter((a) => a.workerId === s.workerId).map((assignment) => ({ assignment, booking })))
    .sort((x, y) => x.assignment.startsAt.getTime() - y.assignment.startsAt.getTime());
}

export interface BookingEvent {
  id: number;
  action: BookingAction;
  from: BookingState;
  to: BookingState;
  actorUserId: string | null;
  actorName: string | null;
  reason: string | null;
  details: unknown;
  at: Date;
}

/** The history of a booking, oldest first. */
export async function bookingEvents(db: Executor, programmeId: string, bookingId: string): Promise<BookingEvent[]> {
  const rows = await db
    .selectFrom('booking_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.action', 'e.from_state', 'e.to_state', 'e.actor_user_id', 'u.display_name', 'e.reason', 'e.details', 'e.at'])
    .where('e.programme_id', '=', programmeId)
    .where('e.booking_id', '=', bookingId)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id), action: r.action, from: r.from_state, to: r.to_state, actorUserId: r.actor_user_id, actorName: r.display_name, reason: r.reason, details: r.details, at: r.at,
  }));
}

// ── Rescheduling and the customer's list (issue 4, API) ─────────────────────────────────────────

export interface RescheduleRequest {
  programmeId: string;
  bookingId: string;
  timing: BookingTiming;
  actorUserId: string | null;
  reason?: string | null;
}

export interface RescheduleResult {
  transition: Transition;
  /** set when the whole team was kept and the booking went back to scheduled */
  rescheduled: Transition | null;
  keptWorkerIds: string[];
  /** the workers who could not come at the new time: they are to be told */
  releasedWorkerIds: string[];
}

/**
 * Moves a booking that is ready to plan or scheduled to a new time (a fixed start or a window).
 * The hold stays as it is (workers and duration do not change). Every assigned worker is released
 * and, for a fixed new start, assigned again at the new time in a savepoint of its own: a worker
 * who is still active, not absent, not elsewhere (exclusion constraint) and within the weekly cap
 * stays; the others are released. A new window releases the whole team (its start is open again).
 * The action `reschedule` is recorded (→ ready_to_plan); when the whole team was kept, the
 * booking is complete again and goes on to scheduled with an `assign` event.
 */
export async function rescheduleBooking(tx: Tx, r: RescheduleRequest): Promise<RescheduleResult> {
  const booking = await lockBooking(tx, r.programmeId, r.bookingId);
  nextState(booking.state, 'reschedule');
  if (r.timing.windowStart !== undefined) {
    const days = dayNumber(r.timing.windowEnd) - dayNumber(r.timing.windowStart);
    if (!(days >= 0 && days <= 6)) throw new BookingRuleError('window_invalid', 'plan within 1 to 7 days');
  }
  const team = await activeAssignments(tx, booking.id);
  if (team.length > 0) {
    await tx
      .updateTable('booking_assignments')
      .set({ released_at: sql<Date>`now()`, released_by: r.actorUserId, release_reason: 'rescheduled' })
      .where('booking_id', '=', booking.id)
      .where('released_at', 'is', null)
      .execute();
  }
  const updated = await tx
    .updateTable('bookings')
    .set({ starts_at: r.timing.startsAt ?? null, window_start: r.timing.windowStart ?? null, window_end: r.timing.windowEnd ?? null, updated_at: sql<Date>`now()` })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  const kept: string[] = [];
  const released: string[] = [];
  const startsAt = r.timing.startsAt;
  for (const member of team) {
    if (!startsAt) {
      released.push(member.worker_id);
      continue;
    }
    const endsAt = new Date(startsAt.getTime() + booking.duration_minutes * MINUTE);
    const free = await tx
      .selectFrom('workers as w')
      .select('w.user_id')
      .where('w.user_id', '=', member.worker_id)
      .where('w.active', '=', true)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('worker_absences as x').select('x.id').whereRef('x.worker_id', '=', 'w.user_id').where(sql<boolean>`x.during && tstzrange(${startsAt}, ${endsAt}, '[)')`))))
      .executeTakeFirst();
    if (!free) {
      released.push(member.worker_id);
      continue;
    }
    try {
      await inSavepoint(tx, 'booking_reschedule_keep', () => tx
        .insertInto('booking_assignments')
        .values({
          programme_id: r.programmeId, booking_id: booking.id, worker_id: member.worker_id,
          during: sql<string>`tstzrange(${startsAt}, ${endsAt}, '[)')`, leads: member.leads, assigned_by: r.actorUserId,
        })
        .execute());
      kept.push(member.worker_id);
    } catch (err) {
      const mappedErr = assignmentError(err, member.worker_id, booking.id);
      if (mappedErr instanceof WorkerDoubleBookedError || mappedErr instanceof WorkerWeeklyCapExceededError) released.push(member.worker_id);
      else throw mappedErr;
    }
  }
  const transition = await applyTransition(tx, booking, 'reschedule', {
    actorUserId: r.actorUserId,
    reason: r.reason ?? null,
    details: {
      from: { startsAt: booking.starts_at, windowStart: booking.window_start, windowEnd: booking.window_end },
      to: { startsAt: updated.starts_at, windowStart: updated.window_start, windowEnd: updated.window_end },
      keptWorkerIds: kept, releasedWorkerIds: released,
    },
  });
  const complete = kept.length === booking.workers_needed && (booking.workers_needed === 1 || team.some((m) => m.leads && kept.includes(m.worker_id)));
  const rescheduled = complete
    ? await applyTransition(tx, { ...updated, state: transition.to }, 'assign', { actorUserId: r.actorUserId, details: { keptTeam: true } })
    : null;
  return { transition, rescheduled, keptWorkerIds: kept, releasedWorkerIds: released };
}

const OPEN_STATES: readonly BookingState[] = ['requested', 'awaiting_payment', 'ready_to_plan', 'scheduled', 'in_progress'];

/**
 * A customer's bookings. `upcoming`: the ones still open (requested up to in progress), soonest
 * first. `past`: done, confirmed, disputed, settled or cancelled, the latest first (at most `limit`).
 * `locationId` narrows an organisation's list to one of its locations.
 */
export async function listCustomerBookings(db: Executor, f: { programmeId: string; customer: Customer; when: 'upcoming' | 'past'; locationId?: string; limit?: number }): Promise<BookingView[]> {
  const customer = f.customer.householdId ? sql`b.household_id = ${f.customer.householdId}` : sql`b.organisation_id = ${f.customer.organisationId ?? null}`;
  const location = f.locationId ? sql`b.location_id = ${f.locationId}` : sql`true`;
  if (f.when === 'upcoming') {
    return bookingViews(db, f.programmeId, sql<boolean>`${customer} and ${location} and b.state in (${sql.join(OPEN_STATES)})`);
  }
  const past = await bookingViews(db, f.programmeId, sql<boolean>`b.id in (
    select b.id from bookings b
    where b.programme_id = ${f.programmeId} and ${customer} and ${location} and b.state not in (${sql.join(OPEN_STATES)})
    order by coalesce(b.starts_at, b.window_start::timestamp at time zone 'Europe/Amsterdam') desc, b.created_at desc
    limit ${f.limit ?? 200})`);
  return past.reverse();
}
