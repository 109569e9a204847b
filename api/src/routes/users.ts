import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, users } from '@buurtservice/db';
import { appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { Email, Name, Nullable, Obj, Password, Phone, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';
import { hashPassword, passwordProblem } from '../services/passwords.js';

const StaffRole = Type.Union([Type.Literal('dispatcher'), Type.Literal('worker'), Type.Literal('programme_admin')]);
const StaffSchema = Obj({ id: Uuid, role: StaffRole, displayName: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()) });
const STAFF = ['dispatcher', 'worker', 'programme_admin'] as const;

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get('/users', {
    config: { access: ['programme_admin'] },
    schema: { tags: ['users'], summary: 'Staff and workers of the programme', security: [{ bearer: [] }], response: { 200: Obj({ users: Type.Array(StaffSchema) }) } },
  }, async (request) => {
    const rows = await users.listProgrammeUsers(db, callerOf(request).programmeId, STAFF);
    return { users: rows.map((u) => ({ id: u.id, role: u.role as (typeof STAFF)[number], displayName: u.display_name, email: u.email, phone: u.phone })) };
  });

  app.post('/users', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['users'],
      summary: 'Create a dispatcher, worker or programme admin',
      security: [{ bearer: [] }],
      body: Obj({ role: StaffRole, displayName: Name, email: Email, password: Password, phone: Type.Optional(Phone) },
        { examples: [{ role: 'worker', displayName: 'Mo Haddou', email: 'mo@example.nl', password: 'zonnebloem-tuin-42' }] }),
      response: { 201: StaffSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const problem = passwordProblem(b.password);
    if (problem) throw appError(problem, [{ field: '/password', code: problem }]);
    const passwordHash = await hashPassword(b.password);
    try {
      const user = await db.transaction().execute(async (tx) => {
        const u = await users.insertUser(tx, {
          programme_id: caller.programmeId, role: b.role, display_name: b.displayName, email: b.email.toLowerCase(), password_hash: passwordHash, phone: b.phone ?? null, created_by: caller.userId,
        });
        await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'user.created', subjectType: 'user', subjectId: u.id, details: { role: b.role } });
        return u;
      });
      return reply.status(201).send({ id: user.id, role: b.role, displayName: user.display_name, email: user.email, phone: user.phone });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_idx')) throw appError('email_taken', [{ field: '/email', code: 'email_taken' }]);
      throw err;
    }
  });
};
