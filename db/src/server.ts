import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { withDatabase } from './database.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultDataDir = path.join(repoRoot, '.data', 'postgres');
const EMBEDDED_DB_NAME = 'buurtservice';

export interface DatabaseServer {
  url: string;
  embedded: EmbeddedServer | null;
  stop(): Promise<void>;
}

/** Creates a database on the server unless it exists (CREATE DATABASE cannot run in a transaction). */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      const ident = client.escapeIdentifier(name);
      await client.query(template ? `create database ${ident} template ${client.escapeIdentifier(template)}` : `create database ${ident}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * The database the app uses: DATABASE_URL when set, otherwise an embedded PostgreSQL server whose
 * data lives in the project's `.data/postgres` (it survives restarts) and stops with the process.
 */
export async function openDatabaseServer(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  persistent?: boolean;
  port?: number;
  log?: (line: string) => void;
} = {}): Promise<DatabaseServer> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: null, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: options.dataDir ?? defaultDataDir,
    persistent: options.persistent ?? true,
    ...(options.port ? { port: options.port } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await ensureDatabase(embedded.url, EMBEDDED_DB_NAME);
  return { url: withDatabase(embedded.url, EMBEDDED_DB_NAME), embedded, stop: () => embedded.stop() };
}
