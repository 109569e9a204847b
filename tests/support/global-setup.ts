// Starts the PostgreSQL the integration tests use: TEST_DATABASE_URL's server when given (CI runs
// the suites once more against the machine's own server), otherwise an embedded throw-away server.
// One template database is migrated and seeded once; every test file clones its own from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, ensureDatabase, migrateToLatest, seedDemo, startEmbeddedPostgres, withDatabase } from '@buurtservice/db';
import { hashPassword } from '@buurtservice/api';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let scratch: string | null = null;
  if (!serverUrl) {
    scratch = mkdtempSync(path.join(tmpdir(), 'buurtservice-test-'));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), persistent: false, unsafeFast: true });
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const template = `bs_template_${process.pid}`;
  try {
    await dropDatabase(serverUrl, template);
    await ensureDatabase(serverUrl, template);
    const db = createDatabase({ url: withDatabase(serverUrl, template), poolSize: 2 });
    try {
      await migrateToLatest(db);
      await seedDemo(db, hashPassword);
    } finally {
      await db.destroy();
    }
  } catch (err) {
    if (stopEmbedded) await stopEmbedded();
    throw err;
  }
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);

  return async () => {
    await dropDatabase(serverUrl, template).catch(() => {});
    if (stopEmbedded) await stopEmbedded();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
}
