import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { confirmation, type Executor } from '@buurtservice/db';
import { isStaff, STAFF_ROLES, type ProgrammeSettings } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import { BookingStateSchema } from '../schemas/bookings.js';
import { DateTime, IdParams, Nullable, Obj, Uuid } from '../schemas/common.js';
import { TimeEntrySchema, timeEntryJson } from '../schemas/hours.js';
import { callerOf } from '../scope.js';

/**
 * The customer confirms or disputes a job's logged hours; staff confirm on the customer's behalf
 * and resolve disputes and hours over a cap (docs/api-hours.md, "Confirmation"). Confirming and
 * resolving settle the booking in the same transaction (db/src/repositories/confirmation.ts).
 *
 * Decisions:
 *  - Confirming a booking that is already settled answers 200 with its hours (nothing moves): two
 *    tabs, or a retry without an Idempotency-Key, settle once. Disputing a disputed booking likewise.
 *    Resolving a settled booking again with the same minutes is 200, with other minutes 409.
 *  - A `note` is for staff confirming on the customer's behalf; from a customer it is 403 forbidden.
 *  - Staff may confirm hours flagged over a cap with confirm-hours too (audited, as the contract's
 *    `hours_need_dispatcher` is for customers only); resolve-hours is where a dispatcher sets minutes.
 *  - Workers not named in resolve-hours keep their logged minutes; a worker named twice is 400
 *    `hours_worker_listed_twice`, one without a part in the job 422 `hours_worker_unknown`.
 *  - An assigned worker sees the hours, not the customer's money: `centsPerWorkerHour`,
 *    `totalCents` and `heldMinutes` are 0 and `statement` is null for a worker.
 */

const Reason = Type.String({ minLength: 5, maxLength: 1000 });
const Action = Type.Union([Type.Literal('confirm'), Type.Literal('dispute'), Type.Literal('resolve')]);

export const BookingHoursSchema = Obj({
  bookingId: Uuid,
  state: BookingStateSchema,
  centsPerWorkerHour: Type.Integer(),
  heldMinutes: Type.Integer({ description: 'worker-minutes still held in the wallet for this job' }),
  workers: Type.Array(Obj({
    workerId: Uuid,
    name: Type.String(),
    entries: Type.Array(TimeEntrySchema),
    billableMinutes: Type.Integer(),
    overCapMinutes: Type.Integer(),
    confirmedMinutes: Nullable(Type.Integer({ description: 'what was settled for this worker' })),
    adjustReason: Nullable(Type.String({ description: "the dispatcher's reason when they set this worker's minutes" })),
  })),
  totalBillableMinutes: Type.Integer(),
  totalCents: Type.Integer({ description: 'what confirming the logged hours costs' }),
  needsDispatcher: Type.Boolean({ description: "over a benefit worker's weekly cap: a dispatcher confirms" }),
  autoConfirmAt: Nullable(DateTime),
  dispute: Nullable(Obj({ reason: Type.String(), byName: Nullable(Type.String()), at: DateTime })),
  statement: Nullable(Obj({
    redeemedMinutes: Type.Integer({ description: 'paid from cheques: the hold, then the free balance' }),
    cents: Type.Integer({ description: 'what the redeemed minutes were bought for' }),
    releasedMinutes: Type.Integer({ description: 'given back from the hold to the wallet' }),
    owedMinutes: Type.Integer({ description: 'still to pay: the next purchase pays them first' }),
    settledAt: DateTime,
  })),
  actions: Type.Array(Action, { description: 'what this caller may do now' }),
});
type BookingHoursJson = Static<typeof BookingHoursSchema>;
type HoursAction = Static<typeof Action>;

const HoursReply = Obj({ hours: BookingHoursSchema });

function isCustomer(caller: Caller, customer: { householdId?: string; organisationId?: string }): boolean {
  return customer.householdId
    ? caller.role === 'resident' && caller.householdId === customer.householdId
    : caller.role === 'organisation_member' && caller.organisationId === customer.organisationId;
}

function actionsFor(caller: Caller, view: confirmation.BookingHoursView): HoursAction[] {
  const staff = isStaff(caller.role);
  if (!staff && !isCustomer(caller, view.customer)) return [];
  const out: HoursAction[] = [];
  if (view.state === 'done' && (staff || !view.needsDispatcher)) out.push('confirm');
  if (view.state === 'done') out.push('dispute');
  if (staff && (view.state === 'disputed' || (view.state === 'done' && view.needsDispatcher))) out.push('resolve');
  return out;
}

function hoursJson(caller: Caller, view: confirmation.BookingHoursView): BookingHoursJson {
  // A worker sees the team's hours, never the customer's wallet or price.
  const money = caller.role !== 'worker';
  return {
    bookingId: view.bookingId,
    state: view.state,
    centsPerWorkerHour: money ? view.centsPerWorkerHour : 0,
    heldMinutes: money ? view.heldMinutes : 0,
    workers: view.workers.map((w) => ({ ...w, entries: w.entries.map(timeEntryJson) })),
    totalBillableMinutes: view.totalBillableMinutes,
    totalCents: money ? view.totalCents : 0,
    needsDispatcher: view.needsDispatcher,
    autoConfirmAt: view.autoConfirmAt?.toISOString() ?? null,
    dispute: view.dispute && { ...view.dispute, at: view.dispute.at.toISOString() },
    statement: money && view.statement ? { ...view.statement, settledAt: view.statement.settledAt.toISOString() } : null,
    actions: actionsFor(caller, view),
  };
}

/** A reason without its surrounding blanks; still 5 characters or more (the schema counts the blanks too). */
function reasonOf(raw: string): string {
  const reason = raw.trim();
  if (reason.length < 5) throw appError('validation_failed', [{ field: '/reason', code: 'minLength' }]);
  return reason;
}

/** Maps the repository's refusals to the catalogue's codes. */
async function settling<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof confirmation.HoursError) throw appError(err.code);
    throw err;
  }
}

export const confirmationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  /**
   * The hours as this caller may see them: the customer, staff, or (reading) a worker with a part
   * in the job; else 404. (The settings are read before any transaction: the pool is not asked for
   * a second connection while a transaction holds one.)
   */
  async function visibleHours(ex: Executor, caller: Caller, bookingId: string, settings: ProgrammeSettings) {
    const view = await confirmation.bookingHours(ex, { programmeId: caller.programmeId, bookingId, autoConfirmDays: settings.autoConfirmDays });
    if (!view) throw appError('not_found');
    const sees = isStaff(caller.role) || isCustomer(caller, view.customer) || (caller.role === 'worker' && view.workers.some((w) => w.workerId === caller.userId));
    if (!sees) throw appError('not_found');
    return view;
  }

  /** Only the customer and staff act on a booking's hours; anyone else is told it does not exist. */
  async function mayAct(ex: Executor, caller: Caller, bookingId: string): Promise<void> {
    const customer = await confirmation.bookingCustomer(ex, caller.programmeId, bookingId);
    if (!customer || !(isStaff(caller.role) || isCustomer(caller, customer))) throw appError('not_found');
  }

  const actor = (caller: Caller): confirmation.HoursActor => ({ userId: caller.userId, staff: isStaff(caller.role) });

  app.get('/bookings/:bookingId/hours', {
    config: { access: ['resident', 'organisation_member', 'worker', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'], summary: "A job's logged hours per worker, what confirming costs, the dispute and the statement", security,
      params: IdParams('bookingId'), response: { 200: BookingHoursSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const settings = await app.settings.get(caller.programmeId);
    return hoursJson(caller, await visibleHours(db, caller, request.params.bookingId, settings));
  });

  app.post('/bookings/:bookingId/confirm-hours', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'],
      summary: 'Confirm the logged hours: the worker-minutes are redeemed (hold first, then the wallet, then owed) and the rest of the hold is released',
      security,
      params: IdParams('bookingId'),
      headers: IdempotencyHeaders,
      body: Obj({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'staff confirming on behalf: e.g. "by phone"' })) }, { examples: [{}] }),
      response: { 200: HoursReply },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    if (request.body.note !== undefined && !isStaff(caller.role)) throw appError('forbidden');
    const settings = await app.settings.get(caller.programmeId);
    return idempotent(db, request, reply, caller, async (tx) => {
      const { bookingId } = request.params;
      const mayActFor = (customer: confirmation.BookingHoursView['customer']) => isStaff(caller.role) || isCustomer(caller, customer);
      await settling(() => confirmation.confirmHours(tx, { programmeId: caller.programmeId, bookingId, by: actor(caller), note: request.body.note ?? null, mayAct: mayActFor }));
      return { status: 200, body: { hours: hoursJson(caller, await visibleHours(tx, caller, bookingId, settings)) } };
    });
  });

  app.post('/bookings/:bookingId/dispute-hours', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['hours'], summary: 'Dispute the logged hours, with a reason: a dispatcher sets the minutes and settles', security,
      params: IdParams('bookingId'),
      body: Obj({ reason: Reason }, { examples: [{ reason: 'De medewerker was om 11 uur al weg, niet om 12 uur.' }] }),
      response: { 200: HoursReply },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const reason = reasonOf(request.body.reason);
    const settings = await app.settings.get(caller.programmeId);
    const view = await db.transaction().execute(async (tx) => {
      const { bookingId } = request.params;
      await mayAct(tx, caller, bookingId);
      await confirmation.disputeHours(tx, { programmeId: caller.programmeId, bookingId, by: actor(caller), reason });
      return visibleHours(tx, caller, bookingId, settings);
    });
    return { hours: hoursJson(caller, view) };
  });

  app.post('/bookings/:bookingId/resolve-hours', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['hours'],
      summary: 'Set the minutes per worker of a disputed job (or one over a weekly cap), with a reason, and settle; workers not named keep their logged minutes. Audited',
      security,
      params: IdParams('bookingId'),
      headers: IdempotencyHeaders,
      body: Obj({
        workers: Type.Array(Obj({ workerId: Uuid, minutes: Type.Integer({ minimum: 0, maximum: 1440 }) }), { maxItems: 20 }),
        reason: Reason,
      }, {
        examples: [
          { workers: [], reason: 'Met klant en medewerker gebeld: de uren kloppen.' },
          { workers: [{ workerId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', minutes: 90 }], reason: 'Met klant gebeld: de medewerker was om 11:30 klaar.' },
        ],
      }),
      response: { 200: HoursReply },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const reason = reasonOf(request.body.reason);
    const settings = await app.settings.get(caller.programmeId);
    return idempotent(db, request, reply, caller, async (tx) => {
      const { bookingId } = request.params;
      await mayAct(tx, caller, bookingId);
      await settling(() => confirmation.resolveHours(tx, { programmeId: caller.programmeId, bookingId, by: actor(caller), workers: request.body.workers, reason }));
      return { status: 200, body: { hours: hoursJson(caller, await visibleHours(tx, caller, bookingId, settings)) } };
    });
  });
};
