// `pnpm db:types` regenerates db/src/schema.ts from a freshly migrated database;
// `pnpm db:types:check` fails when the committed file differs (CI runs it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, withDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { dropDatabase, ensureDatabase, openDatabaseServer, repoRoot } from '../server.js';

const check = process.argv.includes('--check');
const scratch = mkdtempSync(path.join(tmpdir(), 'buurtservice-codegen-'));
const server = await openDatabaseServer({
  databaseUrl: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
  dataDir: path.join(scratch, 'pg'),
  persistent: false,
});
const name = `codegen_${process.pid}`;
const url = withDatabase(server.url, name);
let failed = false;
try {
  await ensureDatabase(server.url, name);
  const db = createDatabase({ url, poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();
  const bin = path.join(repoRoot, 'node_modules', '.bin', 'kysely-codegen');
  const args = ['--dialect', 'postgres', '--url', url, '--date-parser', 'string', '--numeric-parser', 'number',
    '--exclude-pattern', 'kysely_*', '--out-file', path.join(repoRoot, 'db', 'src', 'schema.ts'), '--log-level', 'error'];
  if (check) args.push('--verify');
  try {
    execFileSync(bin, args, { stdio: 'inherit' });
  } catch {
    failed = true;
    console.error(check ? 'db/src/schema.ts is stale: run `pnpm db:types` and commit it.' : 'kysely-codegen failed');
  }
} finally {
  await dropDatabase(server.url, name).catch(() => {});
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
