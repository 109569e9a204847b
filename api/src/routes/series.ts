import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, bookings, series, type Executor, type Tx } from '@buurtservice/db';
import { amsterdamDate, isStaff, STAFF_ROLES, type ProgrammeSettings } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import { bookingJson, bookingStart, BookingSchema, NewBookingFields } from '../schemas/bookings.js';
import { DateTime, IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';
import { bookingRequest } from '../services/bookings.js';

/**
 * Recurring series (docs/api-bookings.md, "Recurring series"). The occurrences are ordinary
 * bookings: one of them is cancelled or moved with POST /bookings/:id/cancel and /reschedule, and
 * the others stay as they are (a moved one is not made again by the daily job).
 *
 * Decisions:
 *  - The start is taken to the minute as a local wall-clock time in Amsterdam; every occurrence is
 *    at that time (DST-correct). The first one is made whatever the horizon; then all up to
 *    8 weeks ahead, each with its own hold (a short wallet leaves that one awaiting payment).
 *  - Every occurrence is priced at the tariff quoted when the series was booked.
 *  - `until` before the first start's date is 400 validation_failed (field /until).
 *  - Cancelling from an occurrence: the occurrences that can still be cancelled are, each like a
 *    single cancellation (within the free-cancellation time: one hour per assigned worker); the
 *    series ends. A customer cannot cancel from an occurrence that has started (409 change_too_late).
 *    A fromBookingId that is not an occurrence of this series is 404.
 */

const Frequency = Type.Union([Type.Literal('weekly'), Type.Literal('every_2_weeks'), Type.Literal('every_4_weeks')]);

const SeriesSchema = Obj({
  id: Uuid,
  rule: Type.String({ description: 'RFC 5545: DTSTART;TZID=Europe/Amsterdam:… and RRULE:FREQ=WEEKLY;INTERVAL=…' }),
  frequency: Frequency,
  startsAt: DateTime,
  until: Nullable(IsoDate),
  endedAt: Nullable(DateTime),
  serviceId: Uuid,
  customer: Obj({ kind: Type.Union([Type.Literal('household'), Type.Literal('organisation')]), id: Uuid, name: Type.String() }),
  durationMinutes: Type.Integer(),
  workersNeeded: Type.Integer(),
});

const { householdId, organisationId, serviceId, place, locationId, durationMinutes, workersNeeded, notes, contactPhone } = NewBookingFields;
const NewSeriesBody = Obj({
  householdId, organisationId, serviceId, place, locationId,
  startsAt: Type.String({ format: 'date-time', description: 'The first occurrence; every later one is at the same local time (Europe/Amsterdam)' }),
  durationMinutes, workersNeeded, notes, contactPhone,
  frequency: Frequency,
  until: Type.Optional(IsoDate),
}, {
  examples: [{
    serviceId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', place: 'home', startsAt: '2030-06-04T10:00:00+02:00', durationMinutes: 120, workersNeeded: 1,
    frequency: 'every_2_weeks', until: '2030-12-31', notes: 'Elke twee weken de tuin bijhouden',
  }],
});

function seriesJson(v: series.SeriesView) {
  return {
    id: v.id, rule: v.rule, frequency: v.frequency, startsAt: v.startsAt.toISOString(), until: v.until, endedAt: v.endedAt?.toISOString() ?? null,
    serviceId: v.serviceId, customer: v.customer, durationMinutes: v.durationMinutes, workersNeeded: v.workersNeeded,
  };
}

export const seriesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];
  const now = () => app.config.clock?.() ?? new Date();

  /** The series as this caller may see it: its customer or staff; anyone else 404. */
  async function visibleSeries(ex: Executor, caller: Caller, seriesId: string): Promise<series.SeriesView> {
    const v = await series.findSeries(ex, caller.programmeId, seriesId);
    if (!v) throw appError('not_found');
    const own = v.customer.kind === 'household'
      ? caller.role === 'resident' && caller.householdId === v.customer.id
      : caller.role === 'organisation_member' && caller.organisationId === v.customer.id;
    if (!own && !isStaff(caller.role)) throw appError('not_found');
    return v;
  }

  const withOccurrences = async (ex: Executor, caller: Caller, v: series.SeriesView, settings: ProgrammeSettings, at: Date) => ({
    series: seriesJson(v),
    occurrences: (await series.seriesOccurrences(ex, caller.programmeId, v.id)).map((b) => bookingJson(b, { caller, settings, now: at })),
  });

  const onBehalfAudit = (tx: Tx, caller: Caller, v: series.SeriesView, action: string, details: Record<string, string | number | boolean | null>) =>
    isStaff(caller.role)
      ? audit(tx, {
        programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: v.customer.kind === 'household' ? v.customer.id : null,
        action, subjectType: 'booking_series', subjectId: v.id, details: { ...details, ...(v.customer.kind === 'organisation' ? { organisationId: v.customer.id } : {}) },
      })
      : Promise.resolve();

  app.post('/booking-series', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'],
      summary: 'Book a recurring job (weekly, every 2 or 4 weeks) at the same local time; occurrences are made 8 weeks ahead, each with its own hold',
      security,
      headers: IdempotencyHeaders,
      body: NewSeriesBody,
      response: { 201: Obj({ series: SeriesSchema, occurrences: Type.Array(BookingSchema) }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const at = now();
    // Read before the transaction: a cache that loads inside it would wait for a pooled connection
    // that every concurrent request holds.
    const [settings, catalogue] = await Promise.all([app.settings.get(caller.programmeId), app.catalogue.get(caller.programmeId)]);
    const { frequency, until, ...body } = request.body;
    return idempotent(db, request, reply, caller, async (tx) => {
      const req = await bookingRequest(tx, caller, body, { now: at, tariffs: catalogue.tariffs });
      const startsAt = req.timing.startsAt;
      if (!startsAt) throw appError('validation_failed', [{ field: '/startsAt', code: 'required' }]);
      if (until !== undefined && until < amsterdamDate(startsAt)) throw appError('validation_failed', [{ field: '/until', code: 'until_before_start' }]);
      const created = await series.createSeries(tx, { ...req, startsAt, frequency, until: until ?? null }, at);
      const v = (await series.findSeries(tx, caller.programmeId, created.series.id))!;
      await onBehalfAudit(tx, caller, v, 'series.created', { frequency, occurrences: created.occurrences.length });
      return { status: 201, body: await withOccurrences(tx, caller, v, settings, at) };
    });
  });

  app.get('/booking-series/:seriesId', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'], summary: 'A recurring series with its occurrences (cancelled ones included), in the order of the series', security,
      params: IdParams('seriesId'), response: { 200: Obj({ series: SeriesSchema, occurrences: Type.Array(BookingSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const v = await visibleSeries(db, caller, request.params.seriesId);
    return withOccurrences(db, caller, v, await app.settings.get(caller.programmeId), now());
  });

  app.post('/booking-series/:seriesId/cancel', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['bookings'],
      summary: 'Cancel an occurrence and every later one, and end the series (the ones before stay)',
      security,
      params: IdParams('seriesId'),
      headers: IdempotencyHeaders,
      body: Obj({ fromBookingId: Uuid, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, {
        examples: [{ fromBookingId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', reason: 'We verhuizen' }],
      }),
      response: { 200: Obj({ series: SeriesSchema, cancelled: Type.Array(Uuid) }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const at = now();
    const settings = await app.settings.get(caller.programmeId);
    const { fromBookingId, reason } = request.body;
    return idempotent(db, request, reply, caller, async (tx) => {
      const v = await visibleSeries(tx, caller, request.params.seriesId);
      const from = await bookings.findBooking(tx, caller.programmeId, fromBookingId);
      if (!from || from.seriesId !== v.id) throw appError('not_found');
      if (!isStaff(caller.role) && from.state !== 'cancelled' && at.getTime() >= bookingStart(from).getTime()) throw appError('change_too_late');
      const result = await series.cancelSeriesFrom(tx, {
        programmeId: caller.programmeId, seriesId: v.id, fromBookingId, actorUserId: caller.userId, reason: reason ?? null,
        freeCancellationHours: settings.freeCancellationHours, feeMinutesPerWorker: settings.lateCancellationFeeMinutesPerWorker, now: at,
      });
      await onBehalfAudit(tx, caller, v, 'series.cancelled', {
        fromBookingId, cancelled: result.cancelled.length, feeMinutes: result.cancelled.reduce((n, c) => n + c.result.feeMinutes, 0),
      });
      const ended = (await series.findSeries(tx, caller.programmeId, v.id))!;
      return { status: 200, body: { series: seriesJson(ended), cancelled: result.cancelled.map((c) => c.bookingId) } };
    });
  });
};
