import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { households, programmes, sessions, throttle, users } from '@buurtservice/db';
import { normalisePostcode } from '@buurtservice/shared';
import type { DeviceClaims } from '../auth.js';
import { AppError, appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { Address, Email, Locale, Name, Obj, Password, Phone } from '../schemas/common.js';
import { SessionSchema } from '../schemas/me.js';
import { hashPassword, passwordProblem, verifyPassword } from '../services/passwords.js';
import { deviceKey, issueSession } from '../services/session.js';

const RefreshBody = Obj({ refreshToken: Type.String({ minLength: 10, maxLength: 200 }) });

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function sessionFor(userId: string, familyId?: string) {
    const profile = await users.loadProfile(db, userId);
    if (!profile || profile.disabled_at) throw appError('refresh_invalid');
    return issueSession(app, db, profile, familyId);
  }

  app.post('/auth/register', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'A resident registers their household (the postcode must lie in a programme area)',
      body: Obj({ email: Email, password: Password, displayName: Name, phone: Type.Optional(Phone), locale: Type.Optional(Locale), ...Address }),
      response: { 201: SessionSchema },
    },
  }, async (request, reply) => {
    const b = request.body;
    const postcode = normalisePostcode(b.postcode);
    if (!postcode) throw appError('postcode_invalid', [{ field: '/postcode', code: 'postcode_invalid' }]);
    const problem = passwordProblem(b.password);
    if (problem) throw appError(problem, [{ field: '/password', code: problem }]);
    const area = await programmes.findAreaForPostcode(db, postcode);
    if (!area) throw appError('postcode_outside_area', [{ field: '/postcode', code: 'postcode_outside_area' }]);
    const email = b.email.toLowerCase();
    if (await users.findUserByEmail(db, email)) throw appError('email_taken', [{ field: '/email', code: 'email_taken' }]);
    const passwordHash = await hashPassword(b.password);
    let userId: string;
    try {
      userId = await db.transaction().execute(async (tx) => {
        const household = await households.insertHousehold(tx, {
          programme_id: area.programmeId,
          name: b.displayName,
          street: b.street,
          house_number: b.houseNumber,
          house_number_suffix: b.houseNumberSuffix ?? '',
          postcode,
          city: b.city,
          buurt_id: area.buurtId,
          phone: b.phone ?? null,
        });
        const user = await users.insertUser(tx, {
          programme_id: area.programmeId,
          role: 'resident',
          household_id: household.id,
          email,
          password_hash: passwordHash,
          display_name: b.displayName,
          phone: b.phone ?? null,
          locale: b.locale ?? 'nl',
        });
        return user.id;
      });
    } catch (err) {
      // Two registrations with one email at the same moment: the unique index decides.
      if (isUniqueViolation(err, 'users_email_idx')) throw appError('email_taken', [{ field: '/email', code: 'email_taken' }]);
      throw err;
    }
    return reply.status(201).send(await sessionFor(userId));
  });

  function trustedDevice(request: FastifyRequest, email: string): string | null {
    const header = request.headers['x-device-token'];
    if (typeof header !== 'string' || header.length > 2000) return null;
    try {
      const claims = app.jwt.verify<DeviceClaims>(header);
      return claims.typ === 'device' && claims.em === email ? deviceKey(header) : null;
    } catch {
      return null;
    }
  }

  app.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      headers: Type.Object({ 'x-device-token': Type.Optional(Type.String({ maxLength: 2000 })) }),
      body: Obj({ email: Email, password: Password }),
      response: { 200: SessionSchema },
    },
  }, async (request) => {
    const email = request.body.email.toLowerCase();
    const limits = app.config.loginLimits;
    const addressKey = `ip:${request.ip}`;
    const device = trustedDevice(request, email);
    const [accountKey, accountRule] = device ? [`dev:${device}`, limits.perDevice] : [`acct:${email}`, limits.perAccount];
    const wait = Math.max(await throttle.blockedFor(db, addressKey), await throttle.blockedFor(db, accountKey));
    if (wait > 0) throw new AppError('too_many_attempts', undefined, { 'retry-after': String(wait) });

    const user = await users.findUserByEmail(db, email);
    const ok = (await verifyPassword(user?.password_hash, request.body.password)) && user && !user.disabled_at;
    if (!ok) {
      await throttle.recordFailure(db, addressKey, limits.perAddress);
      await throttle.recordFailure(db, accountKey, accountRule);
      request.log.info({ event: 'login_failed', trustedDevice: Boolean(device) }, 'login failed');
      throw appError('invalid_credentials');
    }
    await throttle.clearFailures(db, accountKey);
    return sessionFor(user.id);
  });

  app.post('/auth/refresh', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Trade a refresh token for a new session (the old token is spent)', body: RefreshBody, response: { 200: SessionSchema } },
  }, async (request) => {
    const result = await sessions.spendRefreshToken(db, request.body.refreshToken);
    if (result.kind === 'reused') {
      request.log.warn({ event: 'refresh_token_reused' }, 'a spent refresh token was presented; its family is revoked');
      throw appError('refresh_reused');
    }
    if (result.kind === 'invalid') throw appError('refresh_invalid');
    return sessionFor(result.userId, result.familyId);
  });

  app.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'End the session of a refresh token', body: RefreshBody, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await sessions.revokeFamilyOfToken(db, request.body.refreshToken);
    return reply.status(204).send(null);
  });
};
