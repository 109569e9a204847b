import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { appError } from '../errors.js';
import { Obj } from '../schemas/common.js';

const Status = Obj({ status: Type.Literal('ok') });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health/live', { config: { access: 'public' }, schema: { tags: ['health'], summary: 'The process is up', response: { 200: Status } } }, async () => ({ status: 'ok' as const }));

  app.get('/health/ready', { config: { access: 'public' }, schema: { tags: ['health'], summary: 'The database answers', response: { 200: Status } } }, async (request) => {
    try {
      await sql`select 1`.execute(app.db);
    } catch (err) {
      request.log.warn({ err }, 'database not ready');
      throw appError('not_ready');
    }
    return { status: 'ok' as const };
  });
};
