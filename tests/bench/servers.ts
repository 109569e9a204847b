// The three servers `pnpm bench` drives. Each listens on a free loopback port; `run.ts` starts
// them in a child process of their own (default) or in its own process (BENCH_MODE=inprocess).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createApiDatabase, createDatabase } from '@buurtservice/db';
import { buildApp, loadConfig } from '@buurtservice/api';

export type ServerKind = 'bare' | 'api' | 'insert';
export const SERVER_KINDS: readonly ServerKind[] = ['bare', 'api', 'insert'];

/** The scratch table of the insert baseline; `run.ts` creates it in the bench database. */
export const INSERT_TABLE_DDL = `create table bench_insert (
  id bigserial primary key,
  payload text not null,
  created_at timestamptz not null default now()
)`;

interface BenchDB {
  bench_insert: { id: never; payload: string; created_at: never };
}

export interface ServerOptions {
  databaseUrl: string;
  jwtSecret: string;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  return address.port;
}

/** (a) Fastify with one route returning a constant: the ceiling for any route on this machine. */
async function bare(): Promise<RunningServer> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  const port = await listen(app);
  return { port, close: () => app.close() };
}

/** (b) The real API, configured as in production (restricted role, pool 10) except that it logs warnings only. */
async function api({ databaseUrl, jwtSecret }: ServerOptions): Promise<RunningServer> {
  const db = await createApiDatabase(databaseUrl, 10);
  const config = loadConfig({ ...process.env, JWT_SECRET: jwtSecret, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const app = await buildApp({ db, config });
  const port = await listen(app);
  return {
    port,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

/** (c) One INSERT per request via Kysely + pg (pool 10): the database-bound reference. */
async function insert({ databaseUrl }: ServerOptions): Promise<RunningServer> {
  const db = createDatabase({ url: databaseUrl, poolSize: 10 }) as unknown as Kysely<BenchDB>;
  const app = Fastify({ logger: false });
  app.post<{ Body: { payload?: unknown } }>('/insert', async (request) => {
    const payload = typeof request.body?.payload === 'string' ? request.body.payload : 'x';
    const row = await db.insertInto('bench_insert').values({ payload }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id };
  });
  const port = await listen(app);
  return {
    port,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

export function startServer(kind: ServerKind, options: ServerOptions): Promise<RunningServer> {
  switch (kind) {
    case 'bare': return bare();
    case 'api': return api(options);
    case 'insert': return insert(options);
  }
}
