import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, checkIns, timeEntries, workerDay, type Executor, type Tx } from '@buurtservice/db';
import { amsterdamDate, isStaff, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { BookingStateSchema } from '../schemas/bookings.js';
import { DateTime, IdParams, IsoDate, Obj, Uuid } from '../schemas/common.js';
import {
  CheckInSchema, checkInJson, TimeEntrySchema, TimeEntrySourceSchema, timeEntryJson, WorkerJobSchema, workerJobJson,
} from '../schemas/hours.js';
import { callerOf } from '../scope.js';

/**
 * The worker side of logged hours (docs/api-hours.md, "Worker side"): the worker's jobs, check-ins
 * and time entries. Workers act for themselves; staff act on a worker's behalf with `workerId`
 * (audited when something is stored).
 *
 * Decisions:
 *  - The ids of check-ins and entries are made on the phone and are the idempotency keys: a replay
 *    answers 200 with the stored one (also after the booking was confirmed, or the worker taken off).
 *  - A worker who sends a `workerId` other than their own is refused (403 forbidden); staff must
 *    send one for POSTs (400 validation_failed without). `GET /me/jobs` as staff without `workerId`
 *    is the caller's own (empty) day.
 *  - Check-ins and entries are taken while the booking is scheduled, in progress or done; before
 *    it is scheduled: 409 booking_action_not_allowed; confirmed, disputed, settled or cancelled:
 *    409 hours_closed (404 time_entry_not_assigned for a worker who was never on the job).
 *  - `checkInId` of another worker or job: 404 check_in_not_found; of a check-in another entry
 *    closed: 409 check_in_closed. The check-in is closed at the entry's end.
 *  - `time_entry_invalid` carries `reason` (shared/src/hours.ts), e.g. `in_future` for a
 *    check-in or an end more than 5 minutes ahead of the server's clock.
 *  - GET /bookings/:bookingId/time-entries: staff see everything; a worker sees their own entries
 *    and check-ins while assigned, or when they logged there; anyone else gets 404.
 */

const BookingStatusSchema = Obj({ id: Uuid, state: BookingStateSchema });
/** The error body of these routes: `reason` says why `time_entry_invalid` refused the times. */
const HoursErrorBody = Obj({
  code: Type.String(), message: Type.String(),
  fields: Type.Optional(Type.Array(Obj({ field: Type.String(), code: Type.String() }))),
  reason: Type.Optional(Type.String({ description: 'time_entry_invalid: why (end_not_after_start, break_too_long, in_future, …)' })),
});

const EXAMPLE_IDS = { id: '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f', bookingId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a' };

export const hoursRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];
  const now = () => app.config.clock?.() ?? new Date();

  /** Whose hours these are: the worker self, or the worker staff name. */
  function workerFor(caller: Caller, workerId: string | undefined): string {
    if (isStaff(caller.role)) {
      if (!workerId) throw appError('validation_failed', [{ field: '/workerId', code: 'required' }]);
      return workerId;
    }
    if (workerId !== undefined && workerId !== caller.userId) throw appError('forbidden');
    return caller.userId;
  }

  const onBehalfAudit = (tx: Tx, caller: Caller, action: string, bookingId: string, details: Record<string, string>) =>
    isStaff(caller.role)
      ? audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action, subjectType: 'booking', subjectId: bookingId, details })
      : Promise.resolve();

  app.get('/me/jobs', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'],
      summary: "The worker's jobs of some days (today and the 6 after unless asked otherwise), earliest first, cancelled ones left out",
      security,
      querystring: Obj({
        from: Type.Optional(IsoDate),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, default: 7 })),
        workerId: Type.Optional(Uuid),
      }),
      response: { 200: Obj({ jobs: Type.Array(WorkerJobSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { workerId: asked } = request.query;
    if (!isStaff(caller.role) && asked !== undefined && asked !== caller.userId) throw appError('forbidden');
    const workerId = asked ?? caller.userId;
    if (isStaff(caller.role) && asked !== undefined) {
      const worker = await db.selectFrom('workers').select('user_id').where('programme_id', '=', caller.programmeId).where('user_id', '=', asked).executeTakeFirst();
      if (!worker) throw appError('worker_not_found');
    }
    const jobs = await workerDay.workerJobs(db, {
      programmeId: caller.programmeId, workerId, from: request.query.from ?? amsterdamDate(now()), days: request.query.days ?? 7,
    });
    return { jobs: jobs.map(workerJobJson) };
  });

  app.post('/check-ins', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'],
      summary: 'Check in on a job (the id is made on the phone; sent again it is stored once); the first check-in starts the job',
      security,
      body: Obj(
        { id: Uuid, bookingId: Uuid, startedAt: Type.Optional(DateTime), workerId: Type.Optional(Uuid) },
        { examples: [{ ...EXAMPLE_IDS, startedAt: '2026-03-02T09:00:00+01:00' }] },
      ),
      response: { 200: Obj({ checkIn: CheckInSchema, booking: BookingStatusSchema }), 201: Obj({ checkIn: CheckInSchema, booking: BookingStatusSchema }), 400: HoursErrorBody },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const workerId = workerFor(caller, b.workerId);
    const result = await db.transaction().execute(async (tx) => {
      const done = await workerDay.checkIn(tx, {
        programmeId: caller.programmeId, id: b.id, bookingId: b.bookingId, workerId, now: now(), recordedBy: caller.userId,
        ...(b.startedAt !== undefined && { startedAt: new Date(b.startedAt) }),
      });
      if (!done.replayed) await onBehalfAudit(tx, caller, 'hours.checked_in_on_behalf', b.bookingId, { workerId, checkInId: b.id });
      return done;
    });
    return reply.status(result.replayed ? 200 : 201).send({ checkIn: checkInJson(result.checkIn), booking: result.booking });
  });

  app.post('/time-entries', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'],
      summary: 'Log worked time on a job (checked out, or entered afterwards); the id is made on the phone, sent again it is stored once',
      security,
      body: Obj(
        {
          id: Uuid, bookingId: Uuid, startsAt: DateTime, endsAt: DateTime, breakMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 0 })),
          source: TimeEntrySourceSchema, checkInId: Type.Optional(Uuid), workerId: Type.Optional(Uuid),
        },
        { examples: [{ ...EXAMPLE_IDS, startsAt: '2026-03-02T09:00:00+01:00', endsAt: '2026-03-02T11:07:00+01:00', breakMinutes: 0, source: 'entered_after' }] },
      ),
      response: {
        200: Obj({ entry: TimeEntrySchema, replayed: Type.Literal(true), booking: BookingStatusSchema }),
        201: Obj({ entry: TimeEntrySchema, replayed: Type.Literal(false), booking: BookingStatusSchema }),
        400: HoursErrorBody,
      },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const workerId = workerFor(caller, b.workerId);
    const settings = await app.settings.get(caller.programmeId);
    const entry = {
      programmeId: caller.programmeId, id: b.id, bookingId: b.bookingId, workerId, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt),
      breakMinutes: b.breakMinutes ?? 0, source: b.source, recordedBy: caller.userId, settings, now: now(),
    };
    // A worker's own entry without a check-out is mostly stored in one statement; anything else
    // (staff, who are audited, a check-out, a replay, a refusal, the entry that makes the job done) takes the full path.
    const simple = !isStaff(caller.role) && b.checkInId === undefined ? await workerDay.recordEntryAtOnce(db, entry) : undefined;
    const result = simple ?? await db.transaction().execute(async (tx) => {
      const done = await workerDay.recordEntry(tx, { ...entry, checkInId: b.checkInId ?? null });
      if (!done.replayed) await onBehalfAudit(tx, caller, 'hours.entry_recorded_on_behalf', b.bookingId, { workerId, entryId: b.id });
      return done;
    });
    return reply.status(result.replayed ? 200 : 201).send({ entry: timeEntryJson(result.entry), replayed: result.replayed, booking: result.booking });
  });

  /** Staff see the whole booking; a worker only their own, and only on a job they are or were on. */
  async function visibleWorker(ex: Executor, caller: Caller, bookingId: string): Promise<string | undefined> {
    if (isStaff(caller.role)) {
      const booking = await ex.selectFrom('bookings').select('id').where('programme_id', '=', caller.programmeId).where('id', '=', bookingId).executeTakeFirst();
      if (!booking) throw appError('not_found');
      return undefined;
    }
    const onIt = await ex.selectFrom('booking_assignments').select('id')
      .where('programme_id', '=', caller.programmeId).where('booking_id', '=', bookingId).where('worker_id', '=', caller.userId).where('released_at', 'is', null)
      .union(ex.selectFrom('time_entries').select('id').where('programme_id', '=', caller.programmeId).where('booking_id', '=', bookingId).where('worker_id', '=', caller.userId))
      .limit(1).executeTakeFirst();
    if (!onIt) throw appError('not_found');
    return caller.userId;
  }

  app.get('/bookings/:bookingId/time-entries', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'], summary: "A booking's logged hours and check-ins (a worker: their own)", security,
      params: IdParams('bookingId'),
      response: { 200: Obj({ entries: Type.Array(TimeEntrySchema), checkIns: Type.Array(CheckInSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { bookingId } = request.params;
    const workerId = await visibleWorker(db, caller, bookingId);
    const [entries, checks] = await Promise.all([
      timeEntries.entriesForBooking(db, caller.programmeId, bookingId),
      checkIns.checkInsForBooking(db, { programmeId: caller.programmeId, bookingId, ...(workerId && { workerId }) }),
    ]);
    return { entries: entries.filter((e) => !workerId || e.workerId === workerId).map(timeEntryJson), checkIns: checks.map(checkInJson) };
  });
};
