import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to convert.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint counters (COUNT(*), bigserial ids) fit in a JS number for our volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
// numeric columns hold rates such as a VAT percentage, never money (money is integer cents).
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the pool or a transaction: repository functions accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Work as this role on every connection (see the api_role migration). */
  role?: string;
}

export const API_ROLE = 'buurtservice_api';

export function createDatabase({ url, poolSize = 10, role }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Every session speaks Amsterdam time, so `now()::date` is the local calendar day.
    options: role ? `-c TimeZone=Europe/Amsterdam -c role=${role}` : '-c TimeZone=Europe/Amsterdam',
  });
  // An idle connection the server closed (a restart, a failover, a dropped test database) is
  // dropped from the pool and replaced on next use; without this listener it would crash the process.
  pool.on('error', (err) => {
    if ((err as { code?: string }).code !== '57P01') console.warn(`database: idle connection lost (${err.message})`);
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The pool the API uses: as the role `buurtservice_api`, which cannot change or delete ledger
 * rows, when the connecting user may take that role; otherwise as the connecting user.
 */
export async function createApiDatabase(url: string, poolSize = 10): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ member: boolean }>(
      `select case when exists (select 1 from pg_roles where rolname = $1) then pg_has_role(current_user, $1, 'member') else false end as member`, [API_ROLE]);
    return createDatabase({ url, poolSize, ...(rows[0]?.member ? { role: API_ROLE } : {}) });
  } finally {
    await client.end();
  }
}

/** Replaces the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
