import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, bookings, organisations, type Executor, type Tx } from '@buurtservice/db';
import { canTake, isStaff, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import {
  bookingDetailJson, bookingJson, bookingStart, BookingDetailSchema, BookingSchema, freeChangeUntil, isCustomerOf, NewBookingFields,
} from '../schemas/bookings.js';
import { DateTime, IdParams, IsoDate, Obj, Uuid } from '../schemas/common.js';
import { callerOf, householdFor, organisationFor } from '../scope.js';
import { bookingTiming, newBookingView, prepareBooking } from '../services/bookings.js';

/**
 * Customers and staff book (docs/api-bookings.md, "Customers and staff book").
 *
 * Decisions:
 *  - A rescheduled booking keeps every assigned worker who is still free at the new fixed time;
 *    when the whole team is kept, a scheduled booking stays scheduled (the events show `reschedule`
 *    then `assign`). A new window releases the team. Bookings awaiting payment, ready to plan and
 *    scheduled can be rescheduled (the lifecycle's `reschedule`; one awaiting payment keeps waiting,
 *    at its new time); others answer 409 booking_action_not_allowed.
 *  - Customers reschedule until `freeChangeUntil` (start − freeCancellationHours, that moment
 *    included), later 409 change_too_late; they cancel until the start (after the cutoff with the
 *    fee), later 409 change_too_late. Staff reschedule until the start and cancel whenever the
 *    lifecycle allows.
 *  - `waiveFee: true` from a customer is 403 forbidden; from staff without a reason 422
 *    fee_waiver_needs_reason. The late fee per assigned worker is the programme setting lateCancellationFeeMinutesPerWorker (60).
 *  - A location of another organisation (or programme) is 404 location_not_found.
 */

const EXAMPLE_START = '2030-06-03T10:00:00+02:00';

const HoldSchema = Type.Union([
  Obj({ status: Type.Literal('held'), minutes: Type.Integer() }),
  Obj({ status: Type.Literal('short'), neededMinutes: Type.Integer(), availableMinutes: Type.Integer() }),
]);
const When = Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')], { default: 'upcoming' }));
const LocationSchema = Obj({
  id: Uuid, name: Type.String(), street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Type.String(), postcode: Type.String(), city: Type.String(),
});

export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];
  const now = () => app.config.clock?.() ?? new Date();

  const settingsOf = (programmeId: string) => app.settings.get(programmeId);

  /** The booking as this caller may see it: the customer, staff, or a worker assigned to it; else 404. */
  async function visibleBooking(ex: Executor, caller: Caller, bookingId: string): Promise<bookings.BookingView> {
    const view = await bookings.findBooking(ex, caller.programmeId, bookingId);
    if (!view) throw appError('not_found');
    const sees = isStaff(caller.role) || isCustomerOf(caller, view) || (caller.role === 'worker' && view.assignments.some((a) => a.workerId === caller.userId));
    if (!sees) throw appError('not_found');
    return view;
  }

  /** Locks the booking row first (the repositories' lock order), then reads it. */
  async function lockedBooking(tx: Tx, caller: Caller, bookingId: string): Promise<bookings.BookingView> {
    await tx.selectFrom('bookings').select('id').where('programme_id', '=', caller.programmeId).where('id', '=', bookingId).forUpdate().execute();
    return visibleBooking(tx, caller, bookingId);
  }

  const onBehalfAudit = (tx: Tx, caller: Caller, view: bookings.BookingView, action: string, details: Record<string, string | number | boolean | null> = {}) =>
    isStaff(caller.role)
      ? audit(tx, {
        programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: view.customer.kind === 'household' ? view.customer.id : null,
        action, subjectType: 'booking', subjectId: view.id, details: { ...details, ...(view.customer.kind === 'organisation' ? { organisationId: view.customer.id } : {}) },
      })
      : Promise.resolve();

  app.post('/bookings', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'],
      summary: 'Book a job; its worker-minutes are held in the wallet at once (a short wallet: the booking waits as awaiting_payment)',
      security,
      headers: IdempotencyHeaders,
      body: Obj(NewBookingFields, {
        examples: [{
          serviceId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', place: 'home', startsAt: EXAMPLE_START, durationMinutes: 120, workersNeeded: 1,
          notes: 'Heg knippen aan de voorkant', contactPhone: '06 1234 5678',
        }],
      }),
      response: { 201: Obj({ booking: BookingSchema, hold: HoldSchema }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const at = now();
    // Read before the transaction: a cache that loads inside it would wait for a pooled connection
    // that every concurrent booking holds.
    const [settings, catalogue] = await Promise.all([settingsOf(caller.programmeId), app.catalogue.get(caller.programmeId)]);
    return idempotent(db, request, reply, caller, async (tx) => {
      const prepared = await prepareBooking(tx, caller, request.body, { now: at, tariffs: catalogue.tariffs });
      const created = await bookings.createBooking(tx, prepared.request);
      // Shown from what was read to make it (two round trips fewer); a service the cache does not know yet is read back.
      const service = catalogue.servicesById.get(created.booking.service_id);
      const view = service
        ? newBookingView(created, prepared.context, { id: service.id, code: service.code, name: service.name, requiredSkill: service.requiredSkill })
        : (await bookings.findBooking(tx, caller.programmeId, created.booking.id))!;
      await onBehalfAudit(tx, caller, view, 'booking.created', { state: view.state, workerMinutes: created.price.workerMinutes });
      return { status: 201, body: { booking: bookingJson(view, { caller, settings, now: at }), hold: created.hold } };
    });
  });

  app.get('/households/:householdId/bookings', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'], summary: "A household's bookings: upcoming (still open, soonest first) or past (latest first)", security,
      params: IdParams('householdId'), querystring: Obj({ when: When }), response: { 200: Obj({ bookings: Type.Array(BookingSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const [views, settings] = await Promise.all([
      bookings.listCustomerBookings(db, { programmeId: caller.programmeId, customer: { householdId: h.id }, when: request.query.when ?? 'upcoming' }),
      settingsOf(caller.programmeId),
    ]);
    const at = now();
    return { bookings: views.map((v) => bookingJson(v, { caller, settings, now: at })) };
  });

  app.get('/organisations/:organisationId/bookings', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'], summary: "An organisation's bookings, optionally at one of its locations", security,
      params: IdParams('organisationId'), querystring: Obj({ when: When, locationId: Type.Optional(Uuid) }), response: { 200: Obj({ bookings: Type.Array(BookingSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const o = await organisationFor(db, caller, request.params.organisationId);
    const { locationId } = request.query;
    if (locationId !== undefined) {
      const locations = await organisations.listLocations(db, caller.programmeId, o.id);
      if (!locations.some((l) => l.id === locationId)) throw appError('not_found');
    }
    const [views, settings] = await Promise.all([
      bookings.listCustomerBookings(db, { programmeId: caller.programmeId, customer: { organisationId: o.id }, when: request.query.when ?? 'upcoming', ...(locationId ? { locationId } : {}) }),
      settingsOf(caller.programmeId),
    ]);
    const at = now();
    return { bookings: views.map((v) => bookingJson(v, { caller, settings, now: at })) };
  });

  app.get('/organisations/:organisationId/locations', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['organisations'], summary: "The organisation's locations (for the location picker)", security,
      params: IdParams('organisationId'), response: { 200: Obj({ locations: Type.Array(LocationSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const o = await organisationFor(db, caller, request.params.organisationId);
    const rows = await organisations.listLocations(db, caller.programmeId, o.id);
    return { locations: rows.map((l) => ({ id: l.id, name: l.name, street: l.street, houseNumber: l.house_number, houseNumberSuffix: l.house_number_suffix, postcode: l.postcode, city: l.city })) };
  });

  app.get('/bookings/:bookingId', {
    config: { access: ['resident', 'organisation_member', 'worker', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'], summary: 'A booking with its history (the customer, staff, or a worker assigned to it)', security,
      params: IdParams('bookingId'), response: { 200: BookingDetailSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const view = await visibleBooking(db, caller, request.params.bookingId);
    const [events, settings] = await Promise.all([bookings.bookingEvents(db, caller.programmeId, view.id), settingsOf(caller.programmeId)]);
    return bookingDetailJson(view, events, { caller, settings, now: now() });
  });

  app.post('/bookings/:bookingId/reschedule', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'],
      summary: 'Move a booking to another time (customers until the free-change cutoff); workers still free at the new time stay on it',
      security,
      params: IdParams('bookingId'),
      body: Obj({ startsAt: Type.Optional(DateTime), windowStart: Type.Optional(IsoDate), windowEnd: Type.Optional(IsoDate) }, { examples: [{ startsAt: '2030-06-04T13:00:00+02:00' }] }),
      response: { 200: BookingSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const at = now();
    const settings = await settingsOf(caller.programmeId);
    const view = await db.transaction().execute(async (tx) => {
      const current = await lockedBooking(tx, caller, request.params.bookingId);
      if (!canTake(current.state, 'reschedule')) throw appError('booking_action_not_allowed');
      const limit = isStaff(caller.role) ? bookingStart(current) : freeChangeUntil(current, settings);
      if (isStaff(caller.role) ? at.getTime() >= limit.getTime() : at.getTime() > limit.getTime()) throw appError('change_too_late');
      const { timing } = bookingTiming(request.body, at);
      const result = await bookings.rescheduleBooking(tx, { programmeId: caller.programmeId, bookingId: current.id, timing, actorUserId: caller.userId });
      await onBehalfAudit(tx, caller, current, 'booking.rescheduled', { kept: result.keptWorkerIds.length, released: result.releasedWorkerIds.length });
      return (await bookings.findBooking(tx, caller.programmeId, current.id))!;
    });
    return bookingJson(view, { caller, settings, now: at });
  });

  app.post('/bookings/:bookingId/cancel', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'],
      summary: 'Cancel a booking: free until the cutoff, later one hour per assigned worker is charged (staff may waive it, with a reason)',
      security,
      params: IdParams('bookingId'),
      headers: IdempotencyHeaders,
      body: Obj({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })), waiveFee: Type.Optional(Type.Boolean()) }, { examples: [{ reason: 'We zijn op vakantie' }] }),
      response: { 200: Obj({ booking: BookingSchema, late: Type.Boolean(), feeMinutes: Type.Integer(), releasedMinutes: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const staff = isStaff(caller.role);
    if (b.waiveFee === true && !staff) throw appError('forbidden');
    if (b.waiveFee === true && !b.reason?.trim()) throw appError('fee_waiver_needs_reason', [{ field: '/reason', code: 'fee_waiver_needs_reason' }]);
    const at = now();
    const settings = await settingsOf(caller.programmeId);
    return idempotent(db, request, reply, caller, async (tx) => {
      const current = await lockedBooking(tx, caller, request.params.bookingId);
      if (!staff && current.state !== 'cancelled' && at.getTime() >= bookingStart(current).getTime()) throw appError('change_too_late');
      const result = await bookings.cancelBooking(tx, {
        programmeId: caller.programmeId, bookingId: current.id, actorUserId: caller.userId, reason: b.reason ?? null,
        freeCancellationHours: settings.freeCancellationHours, feeMinutesPerWorker: settings.lateCancellationFeeMinutesPerWorker, waiveFee: staff && b.waiveFee === true, now: at,
      });
      await onBehalfAudit(tx, caller, current, 'booking.cancelled', { late: result.late, feeMinutes: result.feeMinutes, waived: staff && b.waiveFee === true });
      const view = (await bookings.findBooking(tx, caller.programmeId, current.id))!;
      return { status: 200, body: { booking: bookingJson(view, { caller, settings, now: at }), late: result.late, feeMinutes: result.feeMinutes, releasedMinutes: result.releasedMinutes } };
    });
  });
};
