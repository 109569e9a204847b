/**
 * Turning a booking request of the API into a `bookings.NewBooking` of the repository.
 *
 *   bookingRequest(db: Executor, caller: Caller, body: NewBookingBody,
 *                  extra?: { seriesId?: string | null; now?: Date; tariffs?: Tariff[] }): Promise<bookings.NewBooking>
 *     resolves and checks the customer (customers only their own household / organisation; staff must
 *     name one and book on behalf), the tariff (the shared pricing rules of POST /quotes: the category
 *     and tariff in force on the job's date, the city-pass tariff only with a verified pass), the place
 *     and the timing (a fixed start in the future, or a window of 1..7 days from today on).
 *     Errors: customer_required, not_found, location_not_found, start_in_past, window_invalid, tariff_missing, validation_failed.
 *   programmeSettings(db: Executor, programmeId: string): Promise<ProgrammeSettings>
 *   resumeAfterPurchase(db: Database, r: { programmeId, customer, actorUserId? }, log): Promise<string[]>
 *     every purchase path calls it after its transaction committed (awaiting_payment → ready_to_plan)
 */
import { bookings, catalogue as catalogueRepo, programmes, type Database, type Executor } from '@buurtservice/db';
import {
  amsterdamDate, customerCategory, isStaff, resolveSettings, tariffInForce, type CustomerCategory, type ProgrammeSettings, type Tariff,
} from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import type { NewBookingBody } from '../schemas/bookings.js';
import { householdFor, organisationFor } from '../scope.js';

export interface BookingRequestExtra {
  seriesId?: string | null;
  /** the clock (tests); default now */
  now?: Date;
  /**
   * The programme's tariffs, already read (from the API's catalogue cache, before the transaction:
   * a cache that loads inside it reads on another pooled connection, and with every connection in
   * such a transaction, none would come free). Without them they are read in `db`.
   */
  tariffs?: readonly Tariff[];
}

const DAY = 86_400_000;

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/** The timing of a request, checked against the clock. */
export function bookingTiming(body: Pick<NewBookingBody, 'startsAt' | 'windowStart' | 'windowEnd'>, now: Date): { timing: bookings.BookingTiming; date: string } {
  if (body.startsAt !== undefined) {
    if (body.windowStart !== undefined || body.windowEnd !== undefined) throw appError('validation_failed', [{ field: '/windowStart', code: 'startsAt_or_window' }]);
    const startsAt = new Date(body.startsAt);
    if (Number.isNaN(startsAt.getTime())) throw appError('validation_failed', [{ field: '/startsAt', code: 'format' }]);
    if (startsAt.getTime() <= now.getTime()) throw appError('start_in_past', [{ field: '/startsAt', code: 'start_in_past' }]);
    return { timing: { startsAt }, date: amsterdamDate(startsAt) };
  }
  if (body.windowStart === undefined || body.windowEnd === undefined) {
    throw appError('validation_failed', [{ field: body.windowStart === undefined ? '/startsAt' : '/windowEnd', code: 'required' }]);
  }
  if (body.windowStart < amsterdamDate(now)) throw appError('start_in_past', [{ field: '/windowStart', code: 'start_in_past' }]);
  const days = dayNumber(body.windowEnd) - dayNumber(body.windowStart);
  if (!(days >= 0 && days <= 6)) throw appError('window_invalid', [{ field: '/windowEnd', code: 'window_invalid' }]);
  return { timing: { windowStart: body.windowStart, windowEnd: body.windowEnd }, date: body.windowStart };
}

export async function bookingRequest(db: Executor, caller: Caller, body: NewBookingBody, extra: BookingRequestExtra = {}): Promise<bookings.NewBooking> {
  return (await prepareBooking(db, caller, body, extra)).request;
}

/** What `bookingRequest` read about the customer and the place: enough to show the new booking without reading it back. */
export interface BookingContext {
  customerName: string;
  address: bookings.BookingView['address'];
}

export async function prepareBooking(db: Executor, caller: Caller, body: NewBookingBody, extra: BookingRequestExtra = {}): Promise<{ request: bookings.NewBooking; context: BookingContext }> {
  const now = extra.now ?? new Date();
  const { timing, date } = bookingTiming(body, now);
  // A location names its organisation: one outside the programme, or of another organisation than
  // the customer, does not exist for this request.
  const location = body.locationId === undefined
    ? undefined
    : await db
      .selectFrom('organisation_locations as l')
      .leftJoin('buurten as b', 'b.id', 'l.buurt_id')
      .select(['l.id', 'l.organisation_id', 'l.name', 'l.street', 'l.house_number', 'l.house_number_suffix', 'l.postcode', 'l.city', 'l.buurt_id', 'b.name as buurt_name'])
      .where('l.programme_id', '=', caller.programmeId)
      .where('l.id', '=', body.locationId)
      .executeTakeFirst();
  if (body.locationId !== undefined && !location) throw appError('location_not_found', [{ field: '/locationId', code: 'location_not_found' }]);

  // The customer: customers book for themselves; staff name the household or organisation.
  if (body.householdId !== undefined && body.organisationId !== undefined) throw appError('customer_required', [{ field: '/organisationId', code: 'customer_required' }]);
  let householdId = body.householdId;
  let organisationId = body.organisationId;
  if (householdId === undefined && organisationId === undefined) {
    if (caller.role === 'resident' && caller.householdId) householdId = caller.householdId;
    else if (caller.role === 'organisation_member' && caller.organisationId) organisationId = caller.organisationId;
    else throw appError('customer_required', [{ field: '/householdId', code: 'customer_required' }]);
  }

  const tariffsPromise: Promise<readonly Tariff[]> = extra.tariffs
    ? Promise.resolve(extra.tariffs)
    : catalogueRepo.listTariffs(db, caller.programmeId).then((rows) => rows.map((t) => ({ category: t.category, centsPerWorkerHour: t.cents_per_worker_hour, validFrom: t.valid_from })));
  // householdFor / organisationFor answer 404 for anyone else's customer.
  let customer: bookings.Customer;
  let category: CustomerCategory;
  let customerName: string;
  let home: BookingContext['address'] = null;
  if (householdId !== undefined) {
    const h = await householdFor(db, caller, householdId);
    customer = { householdId: h.id };
    customerName = h.name;
    home = {
      locationId: null, locationName: null, street: h.street, houseNumber: h.house_number, houseNumberSuffix: h.house_number_suffix ?? '', postcode: h.postcode, city: h.city,
      buurtId: h.buurt_id, buurtName: h.buurt_name,
    };
    const pass = h.city_pass_verified_at && h.city_pass_expires_on ? { expiresOn: h.city_pass_expires_on, verified: true } : null;
    category = customerCategory({ kind: 'household', cityPass: pass }, date);
  } else {
    const o = await organisationFor(db, caller, organisationId!);
    customer = { organisationId: o.id };
    customerName = o.name;
    category = 'organisation';
  }
  const tariff = tariffInForce(await tariffsPromise, category, date);
  if (!tariff) throw appError('tariff_missing');

  if (location && location.organisation_id !== customer.organisationId) throw appError('location_not_found', [{ field: '/locationId', code: 'location_not_found' }]);
  let place: bookings.BookingPlace;
  if (body.place === 'organisation_location') {
    if (body.locationId === undefined) throw appError('validation_failed', [{ field: '/locationId', code: 'required' }]);
    place = { kind: 'organisation_location', locationId: body.locationId };
  } else {
    if (body.locationId !== undefined) throw appError('validation_failed', [{ field: '/locationId', code: 'not_allowed' }]);
    place = { kind: body.place };
  }

  const address: BookingContext['address'] = place.kind === 'home'
    ? home
    : place.kind === 'organisation_location' && location
      ? {
        locationId: location.id, locationName: location.name, street: location.street, houseNumber: location.house_number, houseNumberSuffix: location.house_number_suffix,
        postcode: location.postcode, city: location.city, buurtId: location.buurt_id, buurtName: location.buurt_name,
      }
      : null;
  const request: bookings.NewBooking = {
    programmeId: caller.programmeId,
    customer,
    serviceId: body.serviceId,
    place,
    timing,
    durationMinutes: body.durationMinutes,
    workersNeeded: body.workersNeeded,
    notes: body.notes ?? '',
    contactPhone: body.contactPhone ?? null,
    tariff: { category, centsPerWorkerHour: tariff.centsPerWorkerHour },
    createdBy: caller.userId,
    onBehalf: isStaff(caller.role),
    seriesId: extra.seriesId ?? null,
  };
  return { request, context: { customerName, address } };
}

/**
 * The view of a booking `createBooking` just made, from what was read to make it (a new booking has
 * no workers yet): the same as `bookings.findBooking` would answer, without reading it back.
 */
export function newBookingView(created: bookings.CreatedBooking, context: BookingContext, service: bookings.BookingView['service']): bookings.BookingView {
  const b = created.booking;
  return {
    id: b.id,
    state: b.state,
    service,
    customer: b.household_id ? { kind: 'household', id: b.household_id, name: context.customerName } : { kind: 'organisation', id: b.organisation_id!, name: context.customerName },
    place: b.place,
    address: context.address,
    startsAt: b.starts_at,
    windowStart: b.window_start,
    windowEnd: b.window_end,
    durationMinutes: b.duration_minutes,
    workersNeeded: b.workers_needed,
    notes: b.notes,
    contactPhone: b.contact_phone,
    tariff: { category: b.tariff_category, centsPerWorkerHour: b.cents_per_worker_hour },
    createdBy: b.created_by,
    onBehalf: b.on_behalf,
    seriesId: b.series_id,
    createdAt: b.created_at,
    assignments: [],
  };
}

export async function programmeSettings(db: Executor, programmeId: string): Promise<ProgrammeSettings> {
  return resolveSettings((await programmes.getProgramme(db, programmeId)).settings);
}

/**
 * After a purchase committed: bookings of the wallet that wait for payment and now fit move on to
 * ready_to_plan, in a transaction of their own. Best effort: a failure is logged, never the
 * purchase's failure (the next purchase, or the booking's customer, tries again).
 *   resumeAfterPurchase(db: Database, r: { programmeId, customer: wallet.Owner, actorUserId? }, log): Promise<string[]> (resumed booking ids)
 */
export async function resumeAfterPurchase(
  db: Database,
  r: { programmeId: string; customer: bookings.Customer; actorUserId?: string | null },
  log: { warn(obj: object, msg: string): void },
): Promise<string[]> {
  try {
    return (await db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, r))).resumed;
  } catch (err) {
    log.warn({ err, customer: r.customer }, 'could not resume bookings awaiting payment');
    return [];
  }
}
