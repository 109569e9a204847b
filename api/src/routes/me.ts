import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { users } from '@buurtservice/db';
import { ROLES } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { MeSchema } from '../schemas/me.js';
import { callerOf } from '../scope.js';
import { toMe } from '../services/session.js';

export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', {
    config: { access: ROLES },
    schema: { tags: ['auth'], summary: 'Who is signed in, their programme, household or organisation and tariff category', security: [{ bearer: [] }], response: { 200: MeSchema } },
  }, async (request) => {
    const profile = await users.loadProfile(app.db, callerOf(request).userId);
    if (!profile || profile.disabled_at) throw appError('token_invalid');
    return toMe(profile);
  });
};
