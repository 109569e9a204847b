import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { audit, bookings, planning as planningData, workers as workersRepo, type Tx } from '@buurtservice/db';
import { ERRORS, errorMessage, planning, STAFF_ROLES, type ErrorCode } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import { requestLocale } from '../plugins/errors.js';
import { bookingJson, BookingSchema } from '../schemas/bookings.js';
import { Contract, IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';

/**
 * Dispatch (docs/api-bookings.md, "Dispatch"): the board, suggestions for one job, assigning and
 * unassigning workers, and the auto-planner. Staff only; another programme's booking or worker is 404.
 *
 * Decisions:
 *  - Scoring and planning are pure code in shared/src/planning (weights, hard rules, reasons);
 *    these routes load what they need in a few set-based queries and score in memory.
 *  - Suggestions list every active worker (ineligible ones last, score 0, with the reasons why).
 *    A flexible booking without `startsAt` gets the quarter hour between 08:00 and 17:00 in its
 *    window (not in the past) at which the most skilled workers are eligible and within their
 *    usual hours, the earliest of equals; when no start is left in the window: 409 start_in_past.
 *    `startsAt` outside the window: 422 start_outside_window; for a booking whose time is set
 *    (fixed, or a team already planned) a different `startsAt`: 409 start_mismatch.
 *  - Buurt: the data has no neighbouring buurten, so the criterion is "same buurt" only.
 *  - Auto-plan proposes for bookings that are ready to plan in the day or ISO week; flexible jobs
 *    start on the hour there. Unplaced codes: skill, lead, absent, free, weekly_cap, planned,
 *    team_incomplete, no_time (see shared/src/planning/autoplan.ts).
 *  - Accept applies each proposal in a savepoint of one transaction (all its workers or none, the
 *    leader first); a refused one is reported with its code and message and the rest goes on.
 */

const DateTime = Type.String({ format: 'date-time', examples: ['2030-06-03T10:00:00+02:00'] });
const Span = Type.Union([Type.Literal('day'), Type.Literal('week')]);
const Text = Obj({ nl: Type.String(), en: Type.String() });
const ReasonCode = Type.Enum(planning.REASON_CODES);
const SkillSchema = Obj({ skill: Type.String(), level: Type.Union([Type.Literal('learning'), Type.Literal('independent'), Type.Literal('lead')]) });
const SlotSchema = Obj({ weekday: Type.Integer(), startMinute: Type.Integer(), endMinute: Type.Integer() });

const BoardSchema = Obj({
  from: IsoDate,
  until: IsoDate,
  bookings: Type.Array(BookingSchema),
  workers: Type.Array(Obj({
    id: Uuid, displayName: Type.String(), contract: Contract, weeklyCapMinutes: Nullable(Type.Integer()), assignedMinutes: Type.Integer(),
    skills: Type.Array(SkillSchema), homeBuurtName: Nullable(Type.String()),
    schedule: Type.Array(Obj({ bookingId: Uuid, startsAt: DateTime, endsAt: DateTime, leads: Type.Boolean() })),
    absences: Type.Array(Obj({ kind: Type.String(), startsAt: DateTime, endsAt: DateTime })),
    availability: Type.Array(SlotSchema),
  })),
});

const SuggestionsSchema = Obj({
  startsAt: DateTime,
  suggestions: Type.Array(Obj({
    workerId: Uuid, displayName: Type.String(), score: Type.Integer({ minimum: 0, maximum: 100 }), eligible: Type.Boolean(), canLead: Type.Boolean(),
    reasons: Type.Array(Obj({ code: ReasonCode, ok: Type.Boolean(), text: Text })),
  })),
});

const ProposalSchema = Obj({
  bookingId: Uuid, startsAt: DateTime,
  workers: Type.Array(Obj({ workerId: Uuid, displayName: Type.String(), leads: Type.Boolean() })),
  score: Type.Integer(), reasons: Type.Array(Type.String()),
});
const AutoplanSchema = Obj({
  proposals: Type.Array(ProposalSchema),
  unplaced: Type.Array(Obj({ bookingId: Uuid, reasons: Type.Array(Obj({ code: Type.String(), text: Text })) })),
  objective: Type.Integer(),
});

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const mondayOf = (date: string) => planning.dayToDate(planning.weekStartDay(planning.dateToDay(date)));
const midnight = (date: string) => new Date(planning.localInstant(planning.dateToDay(date), 0));

/** Local days [from, until) of the board or plan. */
function horizon(date: string, span: 'day' | 'week'): { from: string; until: string } {
  const from = span === 'week' ? mondayOf(date) : date;
  return { from, until: addDays(from, span === 'week' ? 7 : 1) };
}

/** Whole ISO weeks around local days [from, until): what the weekly cap needs to see. */
function weeksAround(from: string, until: string): { from: Date; until: Date } {
  const first = planning.weekStartDay(planning.dateToDay(from));
  const last = planning.weekStartDay(planning.dateToDay(until) - 1);
  return { from: new Date(planning.weekBounds(first)[0]), until: new Date(planning.weekBounds(last)[1]) };
}

/** The catalogue code of a refusal (repository errors carry one), or null for anything else. */
function refusalCode(err: unknown): ErrorCode | null {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERRORS, code) && ERRORS[code as ErrorCode].status < 500 ? (code as ErrorCode) : null;
}

/** A dispatcher waits for the plan: the improvement stops after this long (placing every job always finishes). */
const AUTOPLAN_TIME_LIMIT_MS = 1500;

export const dispatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];
  const now = () => app.config.clock?.() ?? new Date();

  const settingsOf = (programmeId: string) => app.settings.get(programmeId);

  const bookingAnswer = async (tx: Tx, caller: Caller, bookingId: string) => {
    const [view, settings] = await Promise.all([bookings.findBooking(tx, caller.programmeId, bookingId), settingsOf(caller.programmeId)]);
    if (!view) throw appError('not_found');
    return bookingJson(view, { caller, settings, now: now() });
  };

  app.get('/dispatch/board', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'], summary: 'The planning board of a day or ISO week: the bookings and every active worker with their schedule', security,
      querystring: Obj({ date: IsoDate, span: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')], { default: 'day' })) }),
      response: { 200: BoardSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { date } = request.query;
    const span = request.query.span ?? 'day';
    const { from, until } = horizon(date, span);
    const [views, people, load, absences, schedule, settings] = await Promise.all([
      bookings.listBookings(db, { programmeId: caller.programmeId, date, span }),
      workersRepo.listWorkers(db, caller.programmeId, { activeOnly: true }),
      workersRepo.weeklyLoad(db, caller.programmeId, date),
      workersRepo.listAbsences(db, { programmeId: caller.programmeId, from: midnight(from), until: midnight(until) }),
      planningData.assignmentsBetween(db, caller.programmeId, midnight(from), midnight(until)),
      settingsOf(caller.programmeId),
    ]);
    const at = now();
    const loadOf = new Map(load.map((l) => [l.workerId, l.assignedMinutes]));
    return {
      from, until,
      bookings: views.map((v) => bookingJson(v, { caller, settings, now: at })),
      workers: people.map((w) => ({
        id: w.id, displayName: w.displayName, contract: w.contract, weeklyCapMinutes: w.weeklyCapMinutes, assignedMinutes: loadOf.get(w.id) ?? 0,
        skills: w.skills, homeBuurtName: w.homeBuurtName,
        schedule: schedule.filter((s) => s.workerId === w.id).map((s) => ({ bookingId: s.bookingId, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), leads: s.leads })),
        absences: absences.filter((a) => a.workerId === w.id).map((a) => ({ kind: a.kind, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString() })),
        availability: w.availability,
      })),
    };
  });

  app.get('/bookings/:bookingId/suggestions', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'Workers for one job, best first, with a score (0..100) and the reasons; a flexible booking gets a good start unless one is given',
      security,
      params: IdParams('bookingId'),
      querystring: Obj({ startsAt: Type.Optional(DateTime) }),
      response: { 200: SuggestionsSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const job = await planningData.planningJob(db, caller.programmeId, request.params.bookingId);
    if (!job) throw appError('not_found');
    let startsAt: number | undefined;
    if (request.query.startsAt !== undefined) {
      startsAt = Date.parse(request.query.startsAt);
      if (Number.isNaN(startsAt)) throw appError('validation_failed', [{ field: '/startsAt', code: 'format' }]);
      const set = job.assigned[0]?.startsAt ?? job.startsAt;
      if (set !== null && set !== startsAt) throw appError('start_mismatch');
      if (!planning.inWindow(job, startsAt)) throw appError('start_outside_window');
    }
    const days = job.window ?? { start: planning.localDate(startsAt ?? job.assigned[0]?.startsAt ?? job.startsAt!), end: planning.localDate((startsAt ?? job.assigned[0]?.startsAt ?? job.startsAt!) + job.durationMinutes * 60_000) };
    const weeks = weeksAround(days.start, addDays(days.end, 1));
    const people = await planningData.planningWorkers(db, {
      programmeId: caller.programmeId, from: weeks.from, until: weeks.until, month: days.start.slice(0, 7),
      customers: [{ householdId: job.householdId, organisationId: job.organisationId }],
    });
    const result = planning.suggest(job, people, { now: now().getTime(), ...(startsAt !== undefined && { startsAt }) });
    if (result.startsAt === null) throw appError('start_in_past');
    return { startsAt: new Date(result.startsAt).toISOString(), suggestions: result.suggestions };
  });

  app.post('/bookings/:bookingId/assignments', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'Assign a worker to a booking (the first worker of a flexible booking sets its start); the team complete, the booking is scheduled',
      security,
      params: IdParams('bookingId'),
      body: Obj({ workerId: Uuid, leads: Type.Optional(Type.Boolean()), startsAt: Type.Optional(DateTime) }, { examples: [{ workerId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', leads: true }] }),
      response: { 200: BookingSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { workerId, leads, startsAt } = request.body;
    return db.transaction().execute(async (tx) => {
      const result = await bookings.assignWorker(tx, {
        programmeId: caller.programmeId, bookingId: request.params.bookingId, workerId, actorUserId: caller.userId,
        ...(leads !== undefined && { leads }), ...(startsAt !== undefined && { startsAt: new Date(startsAt) }),
      });
      await audit(tx, {
        programmeId: caller.programmeId, actorUserId: caller.userId, action: 'booking.worker_assigned', subjectType: 'booking', subjectId: request.params.bookingId,
        details: { workerId, leads: result.leads, startsAt: result.startsAt.toISOString(), scheduled: result.transition !== null },
      });
      return bookingAnswer(tx, caller, request.params.bookingId);
    });
  });

  app.delete('/bookings/:bookingId/assignments/:workerId', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'], summary: 'Take a worker off a booking (a scheduled booking goes back to ready to plan)', security,
      params: IdParams('bookingId', 'workerId'),
      querystring: Obj({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }),
      response: { 200: BookingSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { bookingId, workerId } = request.params;
    return db.transaction().execute(async (tx) => {
      // Another programme's worker (or none at all) does not exist here, rather than "not assigned".
      const worker = await tx.selectFrom('workers').select('user_id').where('programme_id', '=', caller.programmeId).where('user_id', '=', workerId).executeTakeFirst();
      if (!worker) throw appError('worker_not_found');
      await bookings.unassignWorker(tx, { programmeId: caller.programmeId, bookingId, workerId, actorUserId: caller.userId, reason: request.query.reason ?? null });
      await audit(tx, {
        programmeId: caller.programmeId, actorUserId: caller.userId, action: 'booking.worker_unassigned', subjectType: 'booking', subjectId: bookingId,
        details: { workerId, reason: request.query.reason ?? null },
      });
      return bookingAnswer(tx, caller, bookingId);
    });
  });

  app.post('/dispatch/autoplan', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'], summary: 'A proposal that fills the open places of a day or week (nothing is stored; accept it to apply it)', security,
      body: Obj({ date: IsoDate, span: Span }, { examples: [{ date: '2030-06-03', span: 'week' }] }),
      response: { 200: AutoplanSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { from, until } = horizon(request.body.date, request.body.span);
    const jobs = await planningData.jobsToPlan(db, caller.programmeId, from, until);
    // Flexible windows may reach outside the horizon; the workers' weeks cover the horizon only,
    // which is where the plan puts them.
    const weeks = weeksAround(from, until);
    const people = await planningData.planningWorkers(db, {
      programmeId: caller.programmeId, from: weeks.from, until: weeks.until, month: from.slice(0, 7),
      customers: jobs.map((j) => ({ householdId: j.householdId, organisationId: j.organisationId })),
    });
    const plan = planning.autoplan({ jobs, workers: people, from, until, ctx: { now: now().getTime() }, timeLimitMs: AUTOPLAN_TIME_LIMIT_MS });
    return {
      proposals: plan.proposals.map((p) => ({
        bookingId: p.bookingId, startsAt: new Date(p.startsAt).toISOString(),
        workers: p.workers.map((w) => ({ workerId: w.workerId, displayName: w.displayName, leads: w.leads })), score: p.score, reasons: p.reasons,
      })),
      unplaced: plan.unplaced,
      objective: plan.objective,
    };
  });

  app.post('/dispatch/autoplan/accept', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'Apply an auto-plan proposal: each booking all of its workers or none; those that no longer fit are reported with their code',
      security,
      headers: IdempotencyHeaders,
      body: Obj({
        proposals: Type.Array(Obj({
          bookingId: Uuid, startsAt: DateTime,
          workers: Type.Array(Obj({ workerId: Uuid, leads: Type.Boolean() }), { minItems: 1, maxItems: 20 }),
        }), { maxItems: 2000 }),
      }, { examples: [{ proposals: [{ bookingId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', startsAt: '2030-06-03T10:00:00+02:00', workers: [{ workerId: '1c5f3e1d-9d2b-4a8f-8b62-3a3a2f2e0d4b', leads: true }] }] }] }),
      response: { 200: Obj({ applied: Type.Array(Uuid), failed: Type.Array(Obj({ bookingId: Uuid, code: Type.String(), message: Type.String() })) }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const locale = requestLocale(request);
    return idempotent(db, request, reply, caller, async (tx) => {
      const applied: string[] = [];
      const failed: { bookingId: string; code: string; message: string }[] = [];
      for (const proposal of request.body.proposals) {
        await sql`savepoint autoplan_proposal`.execute(tx);
        try {
          // the leader first: the worker who completes a team needs one on it
          const team = [...proposal.workers].sort((a, b) => Number(b.leads) - Number(a.leads));
          for (const w of team) {
            await bookings.assignWorker(tx, {
              programmeId: caller.programmeId, bookingId: proposal.bookingId, workerId: w.workerId, leads: w.leads, startsAt: new Date(proposal.startsAt), actorUserId: caller.userId,
            });
          }
          await sql`release savepoint autoplan_proposal`.execute(tx);
          applied.push(proposal.bookingId);
        } catch (err) {
          const code = refusalCode(err);
          if (!code) throw err;
          await sql`rollback to savepoint autoplan_proposal`.execute(tx);
          failed.push({ bookingId: proposal.bookingId, code, message: errorMessage(code, locale) });
        }
      }
      await audit(tx, {
        programmeId: caller.programmeId, actorUserId: caller.userId, action: 'dispatch.autoplan_accepted', subjectType: 'programme', subjectId: caller.programmeId,
        details: { applied: applied.length, failed: failed.length },
      });
      return { status: 200, body: { applied, failed } };
    });
  });
};
