/**
 * Booking shapes of docs/api-bookings.md, shared by the booking, series and dispatch routes.
 *
 *   BookingSchema, BookingDetailSchema          TypeBox shapes of `Booking` / `BookingDetail`
 *   NewBookingFields                            TypeBox properties of the POST /bookings body (spread them: Obj({ ...NewBookingFields, … }))
 *   type NewBookingBody                         Static<Obj(NewBookingFields)>
 *   bookingJson(view: bookings.BookingView, opts: { caller: Caller; settings: ProgrammeSettings; now?: Date }): Static<typeof BookingSchema>
 *   bookingStart(view): Date                    when the job starts: the team's start, the fixed start, or 00:00 (Amsterdam) of the window's first day
 *   freeChangeUntil(view, settings): Date       until this moment the customer reschedules or cancels for free
 *   amsterdamMidnight(date: 'YYYY-MM-DD'): Date 00:00 of that day in Europe/Amsterdam
 */
import { Type, type Static } from 'typebox';
import type { bookings } from '@buurtservice/db';
import { canTake, isStaff, priceJob, type ProgrammeSettings, TIME_ZONE } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { Category, IsoDate, Nullable, Obj, Phone, Uuid } from './common.js';

const DateTime = Type.String({ format: 'date-time', examples: ['2027-03-01T10:00:00+01:00'] });

export const BookingStateSchema = Type.Union([
  Type.Literal('requested'), Type.Literal('awaiting_payment'), Type.Literal('ready_to_plan'), Type.Literal('scheduled'), Type.Literal('in_progress'),
  Type.Literal('done'), Type.Literal('confirmed'), Type.Literal('disputed'), Type.Literal('settled'), Type.Literal('cancelled'),
]);
export const PlaceSchema = Type.Union([Type.Literal('home'), Type.Literal('organisation_location'), Type.Literal('service_point')]);
export const BookingActionSchema = Type.Union([Type.Literal('reschedule'), Type.Literal('cancel'), Type.Literal('assign'), Type.Literal('unassign')]);
export type CallerAction = Static<typeof BookingActionSchema>;

const BookingProperties = {
  id: Uuid,
  state: BookingStateSchema,
  service: Obj({ id: Uuid, code: Type.String(), name: Obj({ nl: Type.String(), en: Type.String() }), requiredSkill: Type.String() }),
  customer: Obj({ kind: Type.Union([Type.Literal('household'), Type.Literal('organisation')]), id: Uuid, name: Type.String() }),
  place: PlaceSchema,
  address: Nullable(Obj({
    locationId: Nullable(Uuid), locationName: Nullable(Type.String()), street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Type.String(),
    postcode: Type.String(), city: Type.String(), buurtId: Nullable(Uuid), buurtName: Nullable(Type.String()),
  })),
  startsAt: Nullable(DateTime),
  windowStart: Nullable(IsoDate),
  windowEnd: Nullable(IsoDate),
  durationMinutes: Type.Integer(),
  workersNeeded: Type.Integer(),
  notes: Type.String(),
  contactPhone: Nullable(Type.String()),
  tariff: Obj({ category: Category, centsPerWorkerHour: Type.Integer() }),
  priceCents: Type.Integer({ description: 'workersNeeded × durationMinutes × tariff' }),
  workerMinutes: Type.Integer({ description: 'workersNeeded × durationMinutes: what is held' }),
  seriesId: Nullable(Uuid),
  onBehalf: Type.Boolean(),
  createdAt: DateTime,
  freeChangeUntil: Nullable(DateTime),
  assignments: Type.Array(Obj({ workerId: Uuid, workerName: Type.String(), leads: Type.Boolean(), startsAt: DateTime, endsAt: DateTime })),
  actions: Type.Array(BookingActionSchema, { description: 'What this caller may do now' }),
};
export const BookingSchema = Obj(BookingProperties);
export type BookingJson = Static<typeof BookingSchema>;

export const BookingEventSchema = Obj({
  action: Type.String(), from: BookingStateSchema, to: BookingStateSchema, actorName: Nullable(Type.String()), reason: Nullable(Type.String()), at: DateTime,
});

export const BookingDetailSchema = Obj({ ...BookingProperties, events: Type.Array(BookingEventSchema) });
export type BookingDetailJson = Static<typeof BookingDetailSchema>;

/** The body of POST /bookings, as properties (the series route adds its own). */
export const NewBookingFields = {
  householdId: Type.Optional(Uuid),
  organisationId: Type.Optional(Uuid),
  serviceId: Uuid,
  place: PlaceSchema,
  locationId: Type.Optional(Uuid),
  startsAt: Type.Optional(DateTime),
  windowStart: Type.Optional(IsoDate),
  windowEnd: Type.Optional(IsoDate),
  durationMinutes: Type.Integer({ minimum: 15, maximum: 720, multipleOf: 15 }),
  workersNeeded: Type.Integer({ minimum: 1, maximum: 20 }),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  contactPhone: Type.Optional(Phone),
};
export const NewBookingBodySchema = Obj(NewBookingFields);
export type NewBookingBody = Static<typeof NewBookingBodySchema>;

// ── Time ──

const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** Amsterdam's offset from UTC at an instant, in minutes. */
function offsetMinutes(instant: Date): number {
  const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** 00:00 of a local date in Europe/Amsterdam (clocks never change at midnight there). */
export function amsterdamMidnight(date: string): Date {
  const utcMidnight = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const guess = new Date(utcMidnight - offsetMinutes(new Date(utcMidnight)) * 60_000);
  return new Date(utcMidnight - offsetMinutes(guess) * 60_000);
}

type Timed = Pick<bookings.BookingView, 'startsAt' | 'windowStart' | 'assignments'>;

/** When the job starts, as cancellation counts it: the team's start, the fixed start, else the window's first day at 00:00. */
export function bookingStart(view: Timed): Date {
  return view.assignments[0]?.startsAt ?? view.startsAt ?? amsterdamMidnight(view.windowStart!);
}

export function freeChangeUntil(view: Timed, settings: Pick<ProgrammeSettings, 'freeCancellationHours'>): Date {
  return new Date(bookingStart(view).getTime() - settings.freeCancellationHours * 3_600_000);
}

/** Whether the caller is the booking's customer (a resident of its household, a member of its organisation). */
export function isCustomerOf(caller: Caller, view: Pick<bookings.BookingView, 'customer'>): boolean {
  return view.customer.kind === 'household'
    ? caller.role === 'resident' && caller.householdId === view.customer.id
    : caller.role === 'organisation_member' && caller.organisationId === view.customer.id;
}

/**
 * What the caller may do with the booking now. Customers: reschedule until `freeChangeUntil`,
 * cancel until the start (later than the cutoff costs the fee). Staff: reschedule and cancel
 * until the start, cancel later too while the lifecycle allows it; assign while places are open;
 * unassign while a team is being put together or scheduled. Workers: nothing.
 */
export function callerActions(view: bookings.BookingView, caller: Caller, settings: ProgrammeSettings, now: Date): CallerAction[] {
  const out: CallerAction[] = [];
  const start = bookingStart(view).getTime();
  const staff = isStaff(caller.role);
  if (!staff && !isCustomerOf(caller, view)) return out;
  if (canTake(view.state, 'reschedule') && now.getTime() < start && (staff || now.getTime() <= freeChangeUntil(view, settings).getTime())) out.push('reschedule');
  if (canTake(view.state, 'cancel') && (staff || now.getTime() < start)) out.push('cancel');
  if (staff && canTake(view.state, 'assign') && view.assignments.length < view.workersNeeded) out.push('assign');
  if (staff && (view.state === 'ready_to_plan' || view.state === 'scheduled') && view.assignments.length > 0) out.push('unassign');
  return out;
}

export function bookingJson(view: bookings.BookingView, opts: { caller: Caller; settings: ProgrammeSettings; now?: Date }): BookingJson {
  const price = priceJob(view.workersNeeded, view.durationMinutes, view.tariff.centsPerWorkerHour);
  return {
    id: view.id,
    state: view.state,
    service: view.service,
    customer: view.customer,
    place: view.place,
    address: view.address,
    startsAt: (view.assignments[0]?.startsAt ?? view.startsAt)?.toISOString() ?? null,
    windowStart: view.windowStart,
    windowEnd: view.windowEnd,
    durationMinutes: view.durationMinutes,
    workersNeeded: view.workersNeeded,
    notes: view.notes,
    contactPhone: view.contactPhone,
    tariff: view.tariff,
    priceCents: price.totalCents,
    workerMinutes: price.workerMinutes,
    seriesId: view.seriesId,
    onBehalf: view.onBehalf,
    createdAt: view.createdAt.toISOString(),
    freeChangeUntil: freeChangeUntil(view, opts.settings).toISOString(),
    assignments: view.assignments.map((a) => ({ workerId: a.workerId, workerName: a.workerName, leads: a.leads, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString() })),
    actions: callerActions(view, opts.caller, opts.settings, opts.now ?? new Date()),
  };
}

export function bookingDetailJson(view: bookings.BookingView, events: bookings.BookingEvent[], opts: { caller: Caller; settings: ProgrammeSettings; now?: Date }): BookingDetailJson {
  return {
    ...bookingJson(view, opts),
    events: events.map((e) => ({ action: e.action, from: e.from, to: e.to, actorName: e.actorName, reason: e.reason, at: e.at.toISOString() })),
  };
}
