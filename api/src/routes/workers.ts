import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, users, workers, type Executor } from '@buurtservice/db';
import { amsterdamDate, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { amsterdamMidnight } from '../schemas/bookings.js';
import { Contract, DateTime, Email, IdParams, IsoDate, Name, Nullable, Obj, Password, Phone, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';
import { hashPassword, passwordProblem } from '../services/passwords.js';

/**
 * Workers (staff): accounts, contracts, skills, weekly availability and absences
 * (docs/api-bookings.md, "Workers"). Dispatchers and programme admins manage workers. Most workers
 * never sign in (the dispatcher gives them their jobs): email and password are optional, and only
 * an email with a password makes a login account. Every change is audited.
 */

const Level = Type.Union([Type.Literal('learning'), Type.Literal('independent'), Type.Literal('lead')]);
const SkillName = Type.String({ pattern: '^[a-z0-9-]{2,40}$' });
const Skill = Obj({ skill: SkillName, level: Level });
const Slot = Obj({ weekday: Type.Integer({ minimum: 1, maximum: 7 }), startMinute: Type.Integer({ minimum: 0, maximum: 1439 }), endMinute: Type.Integer({ minimum: 1, maximum: 1440 }) });
const Skills = Type.Array(Skill, { maxItems: 50 });
const Availability = Type.Array(Slot, { maxItems: 50 });
const WeeklyCap = Type.Integer({ minimum: 15, maximum: 3600, multipleOf: 15, description: 'Only for a worker on a benefit (required there)' });
const AbsenceKind = Type.Union([Type.Literal('leave'), Type.Literal('sick'), Type.Literal('other')]);

const WorkerSchema = Obj({
  id: Uuid, displayName: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), contract: Contract, weeklyCapMinutes: Nullable(Type.Integer()),
  homeBuurtId: Nullable(Uuid), homeBuurtName: Nullable(Type.String()), coachId: Nullable(Uuid), coachName: Nullable(Type.String()), startedOn: IsoDate, active: Type.Boolean(),
  skills: Type.Array(Skill), availability: Type.Array(Slot),
});
const AbsenceSchema = Obj({ id: Uuid, workerId: Uuid, kind: AbsenceKind, startsAt: DateTime, endsAt: DateTime, note: Nullable(Type.String()) });
const WorkerDetailSchema = Obj({ ...WorkerSchema.properties, absences: Type.Array(AbsenceSchema) });

const EXAMPLE_WEEK = [{ weekday: 1, startMinute: 540, endMinute: 1020 }, { weekday: 3, startMinute: 540, endMinute: 780 }];

const absenceJson = (a: workers.Absence) => ({ id: a.id, workerId: a.workerId, kind: a.kind, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), note: a.note });

export const workerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  async function profile(ex: Executor, programmeId: string, workerId: string) {
    const w = await workers.findWorker(ex, programmeId, workerId);
    if (!w) throw appError('not_found');
    return w;
  }

  /** A coach must be staff of this programme: someone else is 404 (a resident of the programme: coach_not_staff). */
  async function checkCoach(programmeId: string, coachId: string | null | undefined) {
    if (!coachId) return;
    const u = await users.findUserById(db, coachId);
    if (!u || u.programme_id !== programmeId) throw appError('not_found');
  }

  const auditWorker = (ex: Executor, caller: Caller, workerId: string, action: string, details: Record<string, string | number | boolean | null> = {}) =>
    audit(ex, { programmeId: caller.programmeId, actorUserId: caller.userId, action, subjectType: 'worker', subjectId: workerId, details });

  app.get('/workers', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'], summary: 'The workers of the programme, with skills and availability', security,
      querystring: Obj({ active: Type.Optional(Type.Boolean({ description: 'only active workers' })) }), response: { 200: Obj({ workers: Type.Array(WorkerSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    return { workers: await workers.listWorkers(db, caller.programmeId, { activeOnly: request.query.active === true }) };
  });

  app.post('/workers', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'],
      summary: 'Create a worker (a user with role worker and the worker record, with skills and availability) in one go; with email and password the worker can also sign in',
      security,
      body: Obj({
        displayName: Name,
        email: Type.Optional({ ...Email, description: 'For messages; together with a password also for signing in' }),
        password: Type.Optional({ ...Password, description: 'Start password (8 to 128 characters, not a common password); only together with an email. Without it the worker cannot sign in' }),
        phone: Type.Optional(Phone), contract: Contract, weeklyCapMinutes: Type.Optional(WeeklyCap),
        homeBuurtId: Type.Optional(Uuid), coachId: Type.Optional(Uuid), startedOn: IsoDate, skills: Type.Optional(Skills), availability: Type.Optional(Availability),
      }, {
        // No email or password here: the example must be creatable more than once (the access-matrix test posts it per staff role).
        examples: [{ displayName: 'Mo Haddou', contract: 'paid', startedOn: '2026-12-01', skills: [{ skill: 'tuin', level: 'independent' }], availability: EXAMPLE_WEEK }],
      }),
      response: { 201: WorkerSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    if (b.password !== undefined && b.email === undefined) throw appError('password_needs_email', [{ field: '/password', code: 'password_needs_email' }]);
    const problem = b.password === undefined ? null : passwordProblem(b.password);
    if (problem) throw appError(problem, [{ field: '/password', code: problem }]);
    await checkCoach(caller.programmeId, b.coachId);
    const passwordHash = b.password === undefined ? null : await hashPassword(b.password);
    try {
      const worker = await db.transaction().execute(async (tx) => {
        const u = await users.insertUser(tx, {
          programme_id: caller.programmeId, role: 'worker', display_name: b.displayName, email: b.email?.toLowerCase() ?? null, password_hash: passwordHash, phone: b.phone ?? null, created_by: caller.userId,
        });
        await workers.createWorker(tx, {
          programmeId: caller.programmeId, userId: u.id, contract: b.contract, weeklyCapMinutes: b.weeklyCapMinutes ?? null, homeBuurtId: b.homeBuurtId ?? null, coachId: b.coachId ?? null, startedOn: b.startedOn,
        });
        if (b.skills?.length) await workers.setSkills(tx, caller.programmeId, u.id, b.skills);
        if (b.availability?.length) await workers.setAvailability(tx, caller.programmeId, u.id, b.availability);
        await auditWorker(tx, caller, u.id, 'worker.created', { contract: b.contract, login: passwordHash !== null });
        return profile(tx, caller.programmeId, u.id);
      });
      return reply.status(201).send(worker);
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_idx')) throw appError('email_taken', [{ field: '/email', code: 'email_taken' }]);
      throw err;
    }
  });

  app.get('/workers/:workerId', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['workers'], summary: 'A worker, with absences from today on', security, params: IdParams('workerId'), response: { 200: WorkerDetailSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const w = await profile(db, caller.programmeId, request.params.workerId);
    const absences = await workers.listAbsences(db, { programmeId: caller.programmeId, workerId: w.id, from: amsterdamMidnight(amsterdamDate()), until: new Date('9999-01-01T00:00:00Z') });
    return { ...w, absences: absences.map(absenceJson) };
  });

  app.patch('/workers/:workerId', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'], summary: "Change a worker's contract, weekly cap, home buurt, coach, start date or whether they are active", security,
      params: IdParams('workerId'),
      body: Type.Partial(Obj({
        contract: Contract, weeklyCapMinutes: Nullable(WeeklyCap), homeBuurtId: Nullable(Uuid), coachId: Nullable(Uuid), startedOn: IsoDate, active: Type.Boolean(),
      }), { additionalProperties: false, minProperties: 1, examples: [{ active: true }] }),
      response: { 200: WorkerSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const b = request.body;
    await checkCoach(caller.programmeId, b.coachId);
    return db.transaction().execute(async (tx) => {
      await profile(tx, caller.programmeId, request.params.workerId);
      await workers.updateWorker(tx, caller.programmeId, request.params.workerId, b);
      await auditWorker(tx, caller, request.params.workerId, 'worker.updated', { fields: Object.keys(b).sort().join(',') });
      return profile(tx, caller.programmeId, request.params.workerId);
    });
  });

  app.put('/workers/:workerId/skills', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'], summary: "Replace a worker's skills", security, params: IdParams('workerId'),
      body: Obj({ skills: Skills }, { examples: [{ skills: [{ skill: 'tuin', level: 'lead' }, { skill: 'schoonmaak', level: 'learning' }] }] }),
      response: { 200: WorkerSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    return db.transaction().execute(async (tx) => {
      await profile(tx, caller.programmeId, request.params.workerId);
      await workers.setSkills(tx, caller.programmeId, request.params.workerId, request.body.skills);
      await auditWorker(tx, caller, request.params.workerId, 'worker.skills_set', { skills: request.body.skills.map((s) => `${s.skill}:${s.level}`).join(',') });
      return profile(tx, caller.programmeId, request.params.workerId);
    });
  });

  app.put('/workers/:workerId/availability', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'], summary: "Replace a worker's weekly availability (minutes since local midnight, 1 = Monday)", security, params: IdParams('workerId'),
      body: Obj({ availability: Availability }, { examples: [{ availability: EXAMPLE_WEEK }] }),
      response: { 200: WorkerSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const slots = request.body.availability;
    const bad = slots.findIndex((s) => s.startMinute >= s.endMinute);
    if (bad >= 0) throw appError('range_invalid', [{ field: `/availability/${bad}/endMinute`, code: 'range_invalid' }]);
    return db.transaction().execute(async (tx) => {
      await profile(tx, caller.programmeId, request.params.workerId);
      await workers.setAvailability(tx, caller.programmeId, request.params.workerId, slots);
      await auditWorker(tx, caller, request.params.workerId, 'worker.availability_set', { slots: slots.length });
      return profile(tx, caller.programmeId, request.params.workerId);
    });
  });

  app.post('/workers/:workerId/absences', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['workers'], summary: 'Record leave, sickness or another absence (from startsAt until, not including, endsAt)', security, params: IdParams('workerId'),
      body: Obj({ kind: AbsenceKind, startsAt: DateTime, endsAt: DateTime, note: Type.Optional(Type.String({ maxLength: 500 })) },
        { examples: [{ kind: 'leave', startsAt: '2030-07-01T00:00:00+02:00', endsAt: '2030-07-15T00:00:00+02:00', note: 'Zomervakantie' }] }),
      response: { 201: AbsenceSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const absence = await db.transaction().execute(async (tx) => {
      await profile(tx, caller.programmeId, request.params.workerId);
      const a = await workers.addAbsence(tx, {
        programmeId: caller.programmeId, workerId: request.params.workerId, kind: b.kind, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), note: b.note ?? null, recordedBy: caller.userId,
      });
      await auditWorker(tx, caller, request.params.workerId, 'worker.absence_added', { kind: b.kind, absenceId: a.id });
      return a;
    });
    return reply.status(201).send(absenceJson(absence));
  });

  app.delete('/workers/:workerId/absences/:absenceId', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['workers'], summary: 'Remove an absence', security, params: IdParams('workerId', 'absenceId'), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { workerId, absenceId } = request.params;
    await db.transaction().execute(async (tx) => {
      const found = await tx.selectFrom('worker_absences').select('id').where('programme_id', '=', caller.programmeId).where('worker_id', '=', workerId).where('id', '=', absenceId).executeTakeFirst();
      if (!found || !(await workers.removeAbsence(tx, caller.programmeId, absenceId))) throw appError('not_found');
      await auditWorker(tx, caller, workerId, 'worker.absence_removed', { absenceId });
    });
    return reply.status(204).send(null);
  });

  app.get('/buurten', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['workers'], summary: "The programme's buurten (for a worker's home buurt)", security, response: { 200: Obj({ buurten: Type.Array(Obj({ id: Uuid, name: Type.String() })) }) } },
  }, async (request) => {
    const caller = callerOf(request);
    return { buurten: await db.selectFrom('buurten').select(['id', 'name']).where('programme_id', '=', caller.programmeId).orderBy('name').execute() };
  });
};
