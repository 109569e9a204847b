import { sql } from 'kysely';
import { BookingTransitionError, priceOfWorkerMinutes, resolveSettings, type BookingAction, type BookingState } from '@buurtservice/shared';
import type { Database, Executor, Tx } from '../database.js';
import * as wallet from '../wallet/index.js';
import { audit } from './audit.js';
import { BookingNotFoundError, lockBookingRow, transitionLockedBooking, type BookingRow, type PlainAction } from './bookings.js';
import * as notifications from './notifications.js';
import type { TimeEntry } from './time-entries.js';

/**
 * Confirmation and settlement of logged hours (issue 5, docs/api-hours.md "The loop"):
 *
 *   done ──confirmHours──► confirmed ──► settled                       (one transaction)
 *   done ──disputeHours──► disputed ──resolveHours (minutes set)──► confirmed ──► settled
 *   done and flagged over a cap ──resolveHours──► confirmed ──► settled
 *
 * Settling redeems the confirmed worker-minutes through `wallet.redeemForBooking` (hold first, then
 * the free balance, then a debt the next purchase settles first), releases the rest of the hold,
 * writes what was settled per worker to `booking_hours` and the statement (redeemed, cents,
 * released, owed) to the `settle` event. Every function takes the caller's transaction and locks
 * the booking row first (the lock order of bookings.ts): of concurrent confirmations, the first
 * settles and the others find the booking settled and settle nothing (`replayed: true`). The
 * wallet's key is per booking (`booking:<id>:redeem`), so even a second path could not redeem twice.
 *
 * Errors: `BookingNotFoundError`, `BookingTransitionError` (`booking_action_not_allowed`: the state
 * does not allow it), `HoursError` (its `code`, see HoursErrorCode).
 */

export type HoursErrorCode =
  /** the hours are flagged over a benefit worker's weekly cap: only staff confirm them */
  | 'hours_need_dispatcher'
  /** resolve names a worker who has no part in the booking */
  | 'hours_worker_unknown'
  /** resolve names a worker twice */
  | 'hours_worker_listed_twice';

export class HoursError extends Error {
  constructor(readonly code: HoursErrorCode, message: string = code) {
    super(message);
  }
}

/** Who acts: a user (staff act on the customer's behalf and are audited), or null for the automatic confirmation. */
export interface HoursActor {
  userId: string | null;
  staff: boolean;
}

export interface WorkerHours {
  workerId: string;
  name: string;
  entries: TimeEntry[];
  billableMinutes: number;
  overCapMinutes: number;
  /** what was settled for this worker; null until settled */
  confirmedMinutes: number | null;
  /** the dispatcher's reason when they set this worker's minutes */
  adjustReason: string | null;
}

export interface Statement {
  /** minutes paid from cheques (the hold, then the free balance) */
  redeemedMinutes: number;
  /** what those minutes were bought for */
  cents: number;
  /** minutes of the hold given back to the wallet */
  releasedMinutes: number;
  /** minutes the wallet could not pay and that are still open (the next purchase pays them first) */
  owedMinutes: number;
  settledAt: Date;
}

export interface BookingHoursView {
  bookingId: string;
  programmeId: string;
  state: BookingState;
  customer: wallet.Owner;
  centsPerWorkerHour: number;
  heldMinutes: number;
  workers: WorkerHours[];
  totalBillableMinutes: number;
  /** what confirming the logged hours would cost */
  totalCents: number;
  /** over a cap and not yet confirmed: a dispatcher confirms */
  needsDispatcher: boolean;
  finishedAt: Date | null;
  /** while done: when the hours are confirmed automatically */
  autoConfirmAt: Date | null;
  /** the customer's dispute, also after a dispatcher resolved it */
  dispute: null | { reason: string; byName: string | null; at: Date };
  statement: Statement | null;
}

export interface SettleOutcome {
  /** true when the booking was already settled (or disputed, for disputeHours): nothing moved now */
  replayed: boolean;
}

const DAY = 86_400_000;
const redeemKey = (bookingId: string) => `booking:${bookingId}:redeem`;

/** When `done` hours are confirmed automatically: the finish plus autoConfirmDays (whole days of 24 hours). */
export function autoConfirmAt(finishedAt: Date, autoConfirmDays: number): Date {
  return new Date(finishedAt.getTime() + autoConfirmDays * DAY);
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────

type BookingRecord = Pick<BookingRow, 'id' | 'programme_id' | 'state' | 'household_id' | 'organisation_id' | 'cents_per_worker_hour'>;

function customerOf(b: Pick<BookingRecord, 'household_id' | 'organisation_id'>): wallet.Owner {
  if (b.household_id) return { householdId: b.household_id };
  if (b.organisation_id) return { organisationId: b.organisation_id };
  throw new Error('booking without customer');
}

/** Everyone with a part in the booking: the active team, anyone who logged time on it or was settled for it. */
const partIds = (bookingId: string) => sql`
  select worker_id from booking_assignments where booking_id = ${bookingId} and released_at is null
  union select worker_id from time_entries where booking_id = ${bookingId}
  union select worker_id from booking_hours where booking_id = ${bookingId}`;

interface PartRow { worker_id: string; display_name: string | null; leads: boolean; confirmed_minutes: number | null; reason: string | null }

/** Per worker of `part` (the leader first, then by name): their entries and sums, and what was settled. */
function workerHours(part: readonly PartRow[], entries: readonly TimeEntry[]): WorkerHours[] {
  return part
    .map((p) => {
      const own = entries.filter((e) => e.workerId === p.worker_id);
      return {
        workerId: p.worker_id,
        name: p.display_name ?? '',
        entries: own,
        billableMinutes: own.reduce((s, e) => s + e.billableMinutes, 0),
        overCapMinutes: own.reduce((s, e) => s + e.overCapMinutes, 0),
        confirmedMinutes: p.confirmed_minutes,
        adjustReason: p.reason,
        leads: p.leads,
      };
    })
    .sort((a, b) => Number(b.leads) - Number(a.leads) || a.name.localeCompare(b.name) || a.workerId.localeCompare(b.workerId))
    .map(({ leads: _, ...w }) => w);
}

/** What settling needs per worker, without the entries: one statement. */
async function workerSums(db: Executor, bookingId: string): Promise<Pick<WorkerHours, 'workerId' | 'billableMinutes' | 'overCapMinutes' | 'confirmedMinutes'>[]> {
  const rows = await sql<{ worker_id: string; billable: number; over_cap: number; confirmed_minutes: number | null }>`
    select w.worker_id, coalesce(sum(t.billable_minutes), 0)::integer as billable, coalesce(sum(t.over_cap_minutes), 0)::integer as over_cap,
      (select h.confirmed_minutes from booking_hours h where h.booking_id = ${bookingId} and h.worker_id = w.worker_id) as confirmed_minutes
    from (${partIds(bookingId)}) w
    left join time_entries t on t.booking_id = ${bookingId} and t.worker_id = w.worker_id
    group by w.worker_id
    order by w.worker_id`.execute(db);
  return rows.rows.map((r) => ({ workerId: r.worker_id, billableMinutes: r.billable, overCapMinutes: r.over_cap, confirmedMinutes: r.confirmed_minutes }));
}

/** A time entry as booking_hours_view gives it: times as whole epoch milliseconds. */
type EntryJson = Pick<TimeEntry, 'id' | 'source'> & {
  programme_id: string; booking_id: string; worker_id: string; starts_ms: number; ends_ms: number; break_minutes: number; raw_minutes: number;
  billable_minutes: number; over_cap_minutes: number; check_in_id: string | null; recorded_by: string | null; created_ms: number;
};

function entryOf(e: EntryJson): TimeEntry {
  return {
    id: e.id, programmeId: e.programme_id, bookingId: e.booking_id, workerId: e.worker_id, startsAt: new Date(e.starts_ms), endsAt: new Date(e.ends_ms),
    breakMinutes: e.break_minutes, rawMinutes: e.raw_minutes, billableMinutes: e.billable_minutes, overCapMinutes: e.over_cap_minutes,
    source: e.source, checkInId: e.check_in_id, recordedBy: e.recorded_by, createdAt: new Date(e.created_ms),
  };
}

interface EventRow { action: BookingAction; reason: string | null; details: unknown; at: Date; actor_name: string | null }

/** The latest of each action among `events` (oldest first). */
function latestEvents(events: readonly EventRow[]): Partial<Record<'finish' | 'dispute' | 'settle', EventRow>> {
  const out: Partial<Record<'finish' | 'dispute' | 'settle', EventRow>> = {};
  for (const e of events) out[e.action as 'finish' | 'dispute' | 'settle'] = e;
  return out;
}

interface SettleDetails { redeemedMinutes: number; cents: number; releasedMinutes: number; owedMinutes: number }

/** Whose booking it is (a booking of this programme), or undefined: for deciding who may act on it. */
export async function bookingCustomer(db: Executor, programmeId: string, bookingId: string): Promise<wallet.Owner | undefined> {
  const row = await db.selectFrom('bookings').select(['household_id', 'organisation_id']).where('programme_id', '=', programmeId).where('id', '=', bookingId).executeTakeFirst();
  return row ? customerOf(row) : undefined;
}

/** The hours of one booking of this programme with what confirming costs, the dispute and the statement; undefined when there is no such booking. */
export async function bookingHours(db: Executor, s: { programmeId: string; bookingId: string; autoConfirmDays: number }): Promise<BookingHoursView | undefined> {
  // One call: the function booking_hours_view (migration booking_hours_view) keeps its plans.
  const booking = (await sql<BookingRecord & { held: number; owed: number; events: (Omit<EventRow, 'at'> & { at_ms: number })[]; part: PartRow[]; entries: EntryJson[] }>`
    select * from booking_hours_view(${s.programmeId}, ${s.bookingId})`.execute(db)).rows[0];
  if (!booking) return undefined;
  const workers = workerHours(booking.part, booking.entries.map(entryOf));
  const events = latestEvents(booking.events.map(({ at_ms: at, ...e }) => ({ ...e, at: new Date(at) })));
  const { held: heldMinutes, owed } = booking;
  const totalBillableMinutes = workers.reduce((sum, w) => sum + w.billableMinutes, 0);
  const overCap = workers.some((w) => w.overCapMinutes > 0);
  const finishedAt = events.finish?.at ?? null;
  const settle = events.settle;
  const settled = settle ? (settle.details as Partial<SettleDetails>) : null;
  return {
    bookingId: booking.id,
    programmeId: booking.programme_id,
    state: booking.state,
    customer: customerOf(booking),
    centsPerWorkerHour: booking.cents_per_worker_hour,
    heldMinutes,
    workers,
    totalBillableMinutes,
    totalCents: priceOfWorkerMinutes(totalBillableMinutes, booking.cents_per_worker_hour),
    needsDispatcher: overCap && awaitsConfirmation(booking.state),
    finishedAt,
    autoConfirmAt: booking.state === 'done' && finishedAt ? autoConfirmAt(finishedAt, s.autoConfirmDays) : null,
    dispute: events.dispute ? { reason: events.dispute.reason ?? '', byName: events.dispute.actor_name, at: events.dispute.at } : null,
    statement: settle && settled
      ? { redeemedMinutes: settled.redeemedMinutes ?? 0, cents: settled.cents ?? 0, releasedMinutes: settled.releasedMinutes ?? 0, owedMinutes: owed, settledAt: settle.at }
      : null,
  };
}

/** Hours that still wait for someone to confirm them (logging may still go on until done). */
function awaitsConfirmation(state: BookingState): boolean {
  switch (state) {
    case 'scheduled':
    case 'in_progress':
    case 'done':
    case 'disputed':
      return true;
    case 'requested':
    case 'awaiting_payment':
    case 'ready_to_plan':
    case 'confirmed':
    case 'settled':
    case 'cancelled':
      return false;
  }
}

// ── Settling ─────────────────────────────────────────────────────────────────────────────────────

interface WorkerMinutes { workerId: string; loggedMinutes: number; confirmedMinutes: number; reason: string | null }

/**
 * The booking is confirmed (in this transaction): records the minutes per worker, redeems their sum
 * from the wallet, releases the rest of the hold and takes `settle` with the statement.
 */
async function settleBooking(tx: Tx, booking: BookingRow, minutes: WorkerMinutes[], by: HoursActor, setBy: string | null): Promise<SettleDetails> {
  if (minutes.length > 0) {
    await tx.insertInto('booking_hours').values(minutes.map((m) => ({
      programme_id: booking.programme_id, booking_id: booking.id, worker_id: m.workerId, logged_minutes: m.loggedMinutes,
      confirmed_minutes: m.confirmedMinutes, reason: m.reason, set_by: m.reason === null ? null : setBy, confirmed_by: by.userId,
    }))).execute();
  }
  const total = minutes.reduce((s, m) => s + m.confirmedMinutes, 0);
  const redeemed = await wallet.redeemForBooking(tx, {
    programmeId: booking.programme_id, owner: customerOf(booking), bookingId: booking.id, minutes: total, idempotencyKey: redeemKey(booking.id),
    releaseRest: true, actorUserId: by.userId,
  });
  // The booking row is locked and was not settled: its redemption cannot have happened before.
  if (redeemed.replayed) throw new Error(`booking ${booking.id} was redeemed but not settled`);
  const statement: SettleDetails = {
    redeemedMinutes: redeemed.fromHoldMinutes + redeemed.fromWalletMinutes, cents: redeemed.cents, releasedMinutes: redeemed.releasedMinutes, owedMinutes: redeemed.owedMinutes,
  };
  await transitionLockedBooking(tx, booking, { action: 'settle', actorUserId: by.userId, details: { ...statement } });
  return statement;
}

function auditHours(tx: Tx, booking: BookingRecord, by: HoursActor, action: string, details: Record<string, string | number | boolean | null>): Promise<void> {
  return audit(tx, {
    programmeId: booking.programme_id, actorUserId: by.userId, onBehalfOfHouseholdId: booking.household_id,
    action, subjectType: 'booking', subjectId: booking.id, details: { ...details, ...(booking.organisation_id ? { organisationId: booking.organisation_id } : {}) },
  });
}

/**
 * Confirms the logged hours of a `done` booking and settles it: each worker's billable minutes as
 * logged. The customer (`by.staff` false) and the automatic confirmation (`by.userId` null) are
 * refused hours over a cap (`hours_need_dispatcher`); staff confirm them on the customer's behalf,
 * audited. A booking already settled is left as it is (`replayed`). With `mayAct`, a booking whose
 * customer it refuses is not found (BookingNotFoundError), before anything else is said about it.
 */
export async function confirmHours(
  tx: Tx,
  c: { programmeId: string; bookingId: string; by: HoursActor; note?: string | null; mayAct?: (customer: wallet.Owner) => boolean },
): Promise<SettleOutcome> {
  const booking = await lockBookingRow(tx, c.programmeId, c.bookingId);
  // Whom the caller may not act for, the booking does not exist (checked here to save a statement).
  if (c.mayAct && !c.mayAct(customerOf(booking))) throw new BookingNotFoundError(booking.id);
  if (booking.state === 'settled') return { replayed: true };
  if (booking.state !== 'done') throw new BookingTransitionError(booking.state, 'confirm_hours');
  const workers = await workerSums(tx, booking.id);
  const overCapMinutes = workers.reduce((s, w) => s + w.overCapMinutes, 0);
  if (overCapMinutes > 0 && !c.by.staff) throw new HoursError('hours_need_dispatcher', `booking ${booking.id} has ${overCapMinutes} minutes over a weekly cap`);
  const total = workers.reduce((s, w) => s + w.billableMinutes, 0);
  const confirmed = await transitionLockedBooking(tx, booking, {
    action: 'confirm_hours', actorUserId: c.by.userId, reason: c.note ?? null,
    details: { minutes: total, automatic: c.by.userId === null, onBehalf: c.by.staff },
  });
  const statement = await settleBooking(tx, confirmed.booking, workers.map((w) => ({ workerId: w.workerId, loggedMinutes: w.billableMinutes, confirmedMinutes: w.billableMinutes, reason: null })), c.by, null);
  if (c.by.staff) await auditHours(tx, booking, c.by, 'booking.hours_confirmed', { minutes: total, overCapMinutes, cents: statement.cents, note: c.note ?? null });
  return { replayed: false };
}

/** The customer (or staff on their behalf, audited) disputes the hours of a `done` booking; a dispatcher resolves it. Disputing twice changes nothing. */
export async function disputeHours(tx: Tx, d: { programmeId: string; bookingId: string; by: HoursActor; reason: string }): Promise<SettleOutcome> {
  const booking = await lockBookingRow(tx, d.programmeId, d.bookingId);
  if (booking.state === 'disputed') return { replayed: true };
  await transitionLockedBooking(tx, booking, { action: 'dispute', actorUserId: d.by.userId, reason: d.reason, details: { onBehalf: d.by.staff } });
  if (d.by.staff) await auditHours(tx, booking, d.by, 'booking.hours_disputed', { reason: d.reason });
  return { replayed: false };
}

/**
 * A dispatcher sets the minutes per worker and settles: a disputed booking (`resolve_dispute`), or
 * a done one flagged over a cap (`confirm_hours`). Workers not named keep their logged minutes.
 * Always audited. Sent again for a booking already settled with the same minutes: `replayed`;
 * with other minutes: `booking_action_not_allowed` (a settled booking is final).
 */
export async function resolveHours(tx: Tx, r: { programmeId: string; bookingId: string; by: HoursActor; workers: { workerId: string; minutes: number }[]; reason: string }): Promise<SettleOutcome> {
  const booking = await lockBookingRow(tx, r.programmeId, r.bookingId);
  const seen = new Set<string>();
  for (const w of r.workers) {
    if (!Number.isSafeInteger(w.minutes) || w.minutes < 0) throw new RangeError('minutes must be a non-negative integer');
    if (seen.has(w.workerId)) throw new HoursError('hours_worker_listed_twice', `worker ${w.workerId} is listed twice`);
    seen.add(w.workerId);
  }
  const workers = await workerSums(tx, booking.id);
  const unknown = r.workers.find((w) => !workers.some((x) => x.workerId === w.workerId));
  if (unknown) throw new HoursError('hours_worker_unknown', `worker ${unknown.workerId} has no part in booking ${booking.id}`);
  const setTo = (w: { workerId: string }) => r.workers.find((x) => x.workerId === w.workerId)?.minutes;

  if (booking.state === 'settled') {
    const same = workers.every((w) => w.confirmedMinutes === (setTo(w) ?? w.billableMinutes));
    if (same) return { replayed: true };
    throw new BookingTransitionError(booking.state, 'resolve_dispute');
  }
  const overCapMinutes = workers.reduce((s, w) => s + w.overCapMinutes, 0);
  let action: PlainAction;
  if (booking.state === 'disputed') action = 'resolve_dispute';
  else if (booking.state === 'done' && overCapMinutes > 0) action = 'confirm_hours';
  else throw new BookingTransitionError(booking.state, 'resolve_dispute');

  const minutes = workers.map((w) => {
    const set = setTo(w);
    return { workerId: w.workerId, loggedMinutes: w.billableMinutes, confirmedMinutes: set ?? w.billableMinutes, reason: set === undefined ? null : r.reason };
  });
  const total = minutes.reduce((s, m) => s + m.confirmedMinutes, 0);
  const confirmed = await transitionLockedBooking(tx, booking, {
    action, actorUserId: r.by.userId, reason: r.reason,
    details: { minutes: total, workers: r.workers.map((w) => ({ workerId: w.workerId, minutes: w.minutes })) },
  });
  const statement = await settleBooking(tx, confirmed.booking, minutes, r.by, r.by.userId);
  await auditHours(tx, booking, r.by, 'booking.hours_resolved', {
    reason: r.reason, loggedMinutes: minutes.reduce((s, m) => s + m.loggedMinutes, 0), minutes: total, overCapMinutes, cents: statement.cents, fromState: booking.state,
  });
  return { replayed: false };
}

// ── The automatic confirmation and its reminder ─────────────────────────────────────────────────

interface DueBooking { id: string; programme_id: string; finished_at: Date; auto_confirm_days: number }

/**
 * `done` bookings of every programme whose finish is at or before `cutoff(autoConfirmDays)` and
 * after `after(autoConfirmDays)` (when given), without hours over a cap.
 */
async function doneBookings(db: Executor, window: { until: (days: number) => Date; after?: (days: number) => Date }): Promise<DueBooking[]> {
  const programmes = await db.selectFrom('programmes').select(['id', 'settings']).execute();
  const out: DueBooking[] = [];
  for (const p of programmes) {
    const days = resolveSettings(p.settings).autoConfirmDays;
    const after = window.after?.(days);
    const rows = await sql<DueBooking>`
      select b.id, b.programme_id, f.at as finished_at, ${days}::int as auto_confirm_days
      from bookings b
      -- to the millisecond, as the clock that is passed in (and every time the API shows) counts
      cross join lateral (select date_trunc('milliseconds', max(e.at)) as at from booking_events e where e.booking_id = b.id and e.action = 'finish') f
      where b.programme_id = ${p.id} and b.state = 'done'
        and f.at <= ${window.until(days)}
        and ${after ? sql`f.at > ${after}` : sql`true`}
        and not exists (select 1 from time_entries t where t.booking_id = b.id and t.over_cap_minutes > 0)
      order by f.at, b.id`.execute(db);
    out.push(...rows.rows);
  }
  return out;
}

export interface AutoConfirmReport {
  confirmed: string[];
  /** confirmed by someone else meanwhile, or disputed: left as it is */
  skipped: string[];
  failed: { bookingId: string; error: string }[];
}

/**
 * Confirms and settles every `done` booking whose finish is at least autoConfirmDays old at `now`
 * and that is not flagged over a cap, each in a transaction of its own (one that fails is
 * reported, the others go on; it is tried again on the next run). Idempotent: a settled booking is
 * no longer due, and the lock and the wallet's key per booking settle each once even when two runs overlap.
 */
export async function autoConfirmDue(db: Database, o: { now: Date }): Promise<AutoConfirmReport> {
  const due = await doneBookings(db, { until: (days) => new Date(o.now.getTime() - days * DAY) });
  const report: AutoConfirmReport = { confirmed: [], skipped: [], failed: [] };
  for (const b of due) {
    try {
      const outcome = await db.transaction().execute((tx) => confirmHours(tx, { programmeId: b.programme_id, bookingId: b.id, by: { userId: null, staff: false } }));
      (outcome.replayed ? report.skipped : report.confirmed).push(b.id);
    } catch (err) {
      if (err instanceof BookingTransitionError || err instanceof HoursError) report.skipped.push(b.id);
      else report.failed.push({ bookingId: b.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

/**
 * Reminds the customer of every `done` booking that is confirmed automatically within a day of
 * `now` (and not flagged: those wait for a dispatcher, not for the customer). One message per
 * booking and customer account, however often it runs (the key holds the booking). Returns how
 * many messages were new.
 */
export async function remindDue(db: Executor, o: { now: Date }): Promise<number> {
  const due = await doneBookings(db, {
    until: (days) => new Date(o.now.getTime() - (days - 1) * DAY),
    after: (days) => new Date(o.now.getTime() - days * DAY),
  });
  let written = 0;
  for (const b of due) {
    const view = await bookingHours(db, { programmeId: b.programme_id, bookingId: b.id, autoConfirmDays: b.auto_confirm_days });
    if (!view?.autoConfirmAt) continue;
    written += await notifications.hoursConfirmReminder(db, {
      programmeId: b.programme_id, bookingId: b.id, autoConfirmAt: view.autoConfirmAt, minutes: view.totalBillableMinutes, cents: view.totalCents,
    });
  }
  return written;
}
