import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to convert.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint counters (COUNT(*), bigserial ids) fit in a JS number for our volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the pool or a transaction: repository functions accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

export function createDatabase({ url, poolSize = 10 }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Every session speaks Amsterdam time, so `now()::date` is the local calendar day.
    options: '-c TimeZone=Europe/Amsterdam',
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Replaces the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
