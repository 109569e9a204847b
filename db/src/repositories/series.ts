import { sql, type Selectable } from 'kysely';
import {
  amsterdamInstant, amsterdamLocal, canTake, occurrences, seriesRule, type SeriesFrequency,
} from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import type { BookingSeries } from '../schema.js';
import * as bookings from './bookings.js';

/**
 * Recurring series of bookings ("every other Tuesday at 10:00", docs/api-bookings.md "Recurring
 * series"). A series row keeps what its occurrences share and its RFC 5545 rule
 * (shared/src/recurrence.ts: every occurrence at the same local wall-clock time in Amsterdam);
 * each occurrence is an ordinary booking with its own hold, created over a rolling horizon of
 * `HORIZON_WEEKS` by `extendSeries` (the daily job; creating a series runs it once).
 *
 * - An occurrence is made once: `bookings.occurrence_at` (its instant from the rule, kept when the
 *   booking is moved) is unique per series, and `generated_until` says up to where the rule was
 *   worked off. Running `extendSeries` twice creates nothing the second time; a moved or
 *   cancelled occurrence is not made again.
 * - A new occurrence gets the workers of the occurrence before it (not cancelled) where they are
 *   free: each assignment is tried in a savepoint and skipped on any refusal (double booked,
 *   weekly cap, absent, no longer active…), leaving the place open for the dispatcher. An
 *   occurrence waiting for payment gets none (it cannot be planned yet).
 * - One occurrence is cancelled or moved like any booking (bookings.cancelBooking /
 *   rescheduleBooking); `cancelSeriesFrom` cancels one and every later one and ends the series.
 *
 * Locks: the series row first (FOR UPDATE: the job and a cancellation of the same series take
 * turns), then the bookings' own order (booking row, hold, wallet; see bookings.ts).
 */

export type SeriesRow = Selectable<BookingSeries>;

/** How far ahead occurrences exist. */
export const HORIZON_WEEKS = 8;
const DAY = 86_400_000;

export class SeriesNotFoundError extends Error {
  readonly code = 'not_found';
  constructor(readonly seriesId: string) {
    super(`series ${seriesId} not found`);
  }
}

/** The end of the rolling horizon at `now`: occurrences that start before it exist. */
export function horizonEnd(now: Date): Date {
  return new Date(now.getTime() + HORIZON_WEEKS * 7 * DAY);
}

export interface NewSeries extends Omit<bookings.NewBooking, 'timing' | 'seriesId'> {
  /** the first occurrence; every later one is at the same local wall-clock time */
  startsAt: Date;
  frequency: SeriesFrequency;
  /** the last local date 'YYYY-MM-DD' an occurrence may fall on (included); none: open-ended */
  until?: string | null;
}

export interface CreatedSeries {
  series: SeriesRow;
  occurrences: bookings.CreatedBooking[];
}

interface PgError { code?: string; constraint?: string }

/**
 * Creates a series and its occurrences up to the horizon (at least the first one), each with its
 * own hold: a short wallet leaves that occurrence awaiting payment like any booking. The start is
 * taken to the minute, as a local wall-clock time. Refusals are the bookings' (BookingRuleError).
 */
export async function createSeries(tx: Tx, s: NewSeries, now: Date = new Date()): Promise<CreatedSeries> {
  const firstLocal = amsterdamLocal(s.startsAt);
  const firstStartsAt = amsterdamInstant(firstLocal);
  const rule = seriesRule(s.frequency, firstLocal, s.until ?? null);
  let series: SeriesRow;
  try {
    series = await tx
      .insertInto('booking_series')
      .values({
        programme_id: s.programmeId,
        household_id: s.customer.householdId ?? null,
        organisation_id: s.customer.organisationId ?? null,
        service_id: s.serviceId,
        place: s.place.kind,
        location_id: s.place.kind === 'organisation_location' ? s.place.locationId : null,
        local_start_time: firstLocal.slice(11),
        duration_minutes: s.durationMinutes,
        workers_needed: s.workersNeeded,
        notes: s.notes ?? '',
        contact_phone: s.contactPhone ?? null,
        frequency: s.frequency,
        rule,
        first_starts_at: firstStartsAt,
        until_date: s.until ?? null,
        generated_until: firstStartsAt,
        tariff_category: s.tariff.category,
        cents_per_worker_hour: s.tariff.centsPerWorkerHour,
        created_by: s.createdBy,
        on_behalf: s.onBehalf,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    const e = err as PgError;
    if (e.code === '23503' && e.constraint?.includes('location_id')) throw new bookings.BookingRuleError('location_not_found');
    if (e.code === '23503' && e.constraint?.includes('service_id')) throw new bookings.BookingRuleError('service_not_found');
    if (e.code === '23514' && e.constraint === 'series_place_fits_customer') throw new bookings.BookingRuleError('place_not_allowed');
    throw err;
  }
  // At least the first occurrence, however far ahead it lies.
  const horizon = new Date(Math.max(horizonEnd(now).getTime(), firstStartsAt.getTime() + 1));
  const extended = await extendSeries(tx, { programmeId: s.programmeId, seriesId: series.id, horizon, now, actorUserId: s.createdBy });
  return { series: extended.series, occurrences: extended.created };
}

async function lockSeries(tx: Tx, programmeId: string, seriesId: string): Promise<SeriesRow> {
  const row = await tx.selectFrom('booking_series').selectAll().where('programme_id', '=', programmeId).where('id', '=', seriesId).forUpdate().executeTakeFirst();
  if (!row) throw new SeriesNotFoundError(seriesId);
  return row;
}

export interface ExtendRequest {
  programmeId: string;
  seriesId: string;
  /** occurrences that start before this instant are to exist (default: `horizonEnd(now)`) */
  horizon?: Date;
  /** occurrences at or before this instant are not made any more */
  now: Date;
  /** who assigns the kept workers (null: the system) */
  actorUserId?: string | null;
}

export interface ExtendResult {
  series: SeriesRow;
  created: bookings.CreatedBooking[];
  /** per new occurrence, the workers of the previous one it kept */
  keptWorkers: { bookingId: string; workerIds: string[] }[];
}

/**
 * Makes the occurrences of a live series from `generated_until` up to the horizon. Idempotent:
 * what exists (also moved or cancelled occurrences) is not made again, and an ended series gets
 * nothing new.
 */
export async function extendSeries(tx: Tx, r: ExtendRequest): Promise<ExtendResult> {
  const series = await lockSeries(tx, r.programmeId, r.seriesId);
  const horizon = r.horizon ?? horizonEnd(r.now);
  if (series.ended_at !== null || horizon.getTime() <= series.generated_until.getTime()) return { series, created: [], keptWorkers: [] };

  const due = occurrences(series.rule, series.generated_until, horizon).filter((at) => at.getTime() > r.now.getTime());
  const made = new Set((await tx
    .selectFrom('bookings')
    .select('occurrence_at')
    .where('series_id', '=', series.id)
    .where('occurrence_at', '>=', series.generated_until)
    .where('occurrence_at', '<', horizon)
    .execute()).map((b) => b.occurrence_at?.getTime()));

  const created: bookings.CreatedBooking[] = [];
  const keptWorkers: ExtendResult['keptWorkers'] = [];
  for (const at of due) {
    if (made.has(at.getTime())) continue;
    const occurrence = await bookings.createBooking(tx, {
      programmeId: series.programme_id,
      customer: series.household_id ? { householdId: series.household_id } : { organisationId: series.organisation_id! },
      serviceId: series.service_id,
      place: series.place === 'organisation_location' ? { kind: 'organisation_location', locationId: series.location_id! } : { kind: series.place },
      timing: { startsAt: at },
      durationMinutes: series.duration_minutes,
      workersNeeded: series.workers_needed,
      notes: series.notes,
      contactPhone: series.contact_phone,
      tariff: { category: series.tariff_category, centsPerWorkerHour: series.cents_per_worker_hour },
      createdBy: series.created_by,
      onBehalf: series.on_behalf,
      seriesId: series.id,
    });
    created.push(occurrence);
    if (occurrence.booking.state === 'ready_to_plan') {
      keptWorkers.push({ bookingId: occurrence.booking.id, workerIds: await keepPreviousTeam(tx, series, occurrence.booking.id, at, r.actorUserId ?? null) });
    }
  }
  const updated = await tx
    .updateTable('booking_series')
    .set({ generated_until: horizon, updated_at: sql<Date>`now()` })
    .where('id', '=', series.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { series: updated, created, keptWorkers };
}

/** Assigns the workers of the occurrence before `occurrenceAt` (the last one not cancelled) to a new occurrence, where they are free; the leader first. */
async function keepPreviousTeam(tx: Tx, series: SeriesRow, bookingId: string, occurrenceAt: Date, actorUserId: string | null): Promise<string[]> {
  const previous = await tx
    .selectFrom('bookings')
    .select('id')
    .where('series_id', '=', series.id)
    .where('occurrence_at', '<', occurrenceAt)
    .where('state', '!=', 'cancelled')
    .orderBy('occurrence_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!previous) return [];
  const team = await tx
    .selectFrom('booking_assignments')
    .select(['worker_id', 'leads'])
    .where('booking_id', '=', previous.id)
    .where('released_at', 'is', null)
    .orderBy('leads', 'desc')
    .orderBy('assigned_at')
    .execute();
  const kept: string[] = [];
  for (const member of team) {
    try {
      await bookings.inSavepoint(tx, 'series_keep_worker', () => bookings.assignWorker(tx, {
        programmeId: series.programme_id, bookingId, workerId: member.worker_id, leads: member.leads, actorUserId,
      }));
      kept.push(member.worker_id);
    } catch {
      // Not free (or no longer fit for it): the place stays open for the dispatcher.
    }
  }
  return kept;
}

export interface CancelFromRequest {
  programmeId: string;
  seriesId: string;
  /** this occurrence and every later one (in the series' order) are cancelled */
  fromBookingId: string;
  actorUserId: string;
  reason?: string | null;
  freeCancellationHours: number;
  feeMinutesPerWorker: number;
  now?: Date;
}

export interface CancelFromResult {
  series: SeriesRow;
  cancelled: { bookingId: string; result: bookings.CancelResult }[];
}

/**
 * Cancels an occurrence and every later one that can still be cancelled (each like a single
 * cancellation: its hold released, or a late fee taken when within the free-cancellation time),
 * and ends the series so the job makes no new ones. Occurrences before it stay as they are.
 */
export async function cancelSeriesFrom(tx: Tx, c: CancelFromRequest): Promise<CancelFromResult> {
  const series = await lockSeries(tx, c.programmeId, c.seriesId);
  const from = await tx
    .selectFrom('bookings')
    .select(['id', 'occurrence_at'])
    .where('programme_id', '=', c.programmeId)
    .where('series_id', '=', series.id)
    .where('id', '=', c.fromBookingId)
    .executeTakeFirst();
  if (!from?.occurrence_at) throw new bookings.BookingNotFoundError(c.fromBookingId);
  const later = await tx
    .selectFrom('bookings')
    .select(['id', 'state'])
    .where('series_id', '=', series.id)
    .where('occurrence_at', '>=', from.occurrence_at)
    .orderBy('occurrence_at')
    .execute();
  const cancelled: CancelFromResult['cancelled'] = [];
  const now = c.now ?? new Date();
  for (const b of later) {
    if (!canTake(b.state, 'cancel')) continue;
    const result = await bookings.cancelBooking(tx, {
      programmeId: c.programmeId, bookingId: b.id, actorUserId: c.actorUserId, reason: c.reason ?? null,
      freeCancellationHours: c.freeCancellationHours, feeMinutesPerWorker: c.feeMinutesPerWorker, now,
    });
    cancelled.push({ bookingId: b.id, result });
  }
  const ended = await tx
    .updateTable('booking_series')
    .set({ ended_at: sql<Date>`coalesce(ended_at, ${now})`, ended_by: sql<string>`coalesce(ended_by, ${c.actorUserId}::uuid)`, updated_at: sql<Date>`now()` })
    .where('id', '=', series.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { series: ended, cancelled };
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────

export interface SeriesView {
  id: string;
  rule: string;
  frequency: SeriesFrequency;
  startsAt: Date;
  until: string | null;
  endedAt: Date | null;
  generatedUntil: Date;
  serviceId: string;
  customer: { kind: 'household'; id: string; name: string } | { kind: 'organisation'; id: string; name: string };
  durationMinutes: number;
  workersNeeded: number;
  createdBy: string;
  onBehalf: boolean;
}

export async function findSeries(db: Executor, programmeId: string, seriesId: string): Promise<SeriesView | undefined> {
  const r = await db
    .selectFrom('booking_series as s')
    .leftJoin('households as h', 'h.id', 's.household_id')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .selectAll('s')
    .select([sql<string>`coalesce(h.name, o.name)`.as('customer_name')])
    .where('s.programme_id', '=', programmeId)
    .where('s.id', '=', seriesId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    rule: r.rule,
    frequency: r.frequency,
    startsAt: r.first_starts_at,
    until: r.until_date,
    endedAt: r.ended_at,
    generatedUntil: r.generated_until,
    serviceId: r.service_id,
    customer: r.household_id ? { kind: 'household', id: r.household_id, name: r.customer_name } : { kind: 'organisation', id: r.organisation_id!, name: r.customer_name },
    durationMinutes: r.duration_minutes,
    workersNeeded: r.workers_needed,
    createdBy: r.created_by,
    onBehalf: r.on_behalf,
  };
}

/** The occurrences of a series in the series' order (by the instant the rule gave each), cancelled ones included. */
export async function seriesOccurrences(db: Executor, programmeId: string, seriesId: string): Promise<bookings.BookingView[]> {
  const rows = await db
    .selectFrom('bookings')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('series_id', '=', seriesId)
    .orderBy('occurrence_at')
    .execute();
  const views = await Promise.all(rows.map((b) => bookings.findBooking(db, programmeId, b.id)));
  return views.filter((v): v is bookings.BookingView => v !== undefined);
}

/** Live series whose horizon may move on (not ended; an end date not yet passed), for the daily job. */
export async function listLiveSeries(db: Executor, horizon: Date): Promise<{ programmeId: string; seriesId: string }[]> {
  const rows = await db
    .selectFrom('booking_series')
    .select(['programme_id', 'id'])
    .where('ended_at', 'is', null)
    .where('generated_until', '<', horizon)
    .where(sql<boolean>`(until_date is null or ((until_date + 1)::timestamp at time zone 'Europe/Amsterdam') > generated_until)`)
    .orderBy('generated_until')
    .execute();
  return rows.map((r) => ({ programmeId: r.programme_id, seriesId: r.id }));
}
