import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createApiDatabase, createDatabase, dropDatabase, ensureDatabase, withDatabase, type Database } from '@buurtservice/db';
import { buildApp, loadConfig, type App, type ApiConfig, type BuildOptions } from '@buurtservice/api';
import { DEMO_PASSWORD } from '@buurtservice/db';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestContext {
  app: App;
  /** The API's pool: the restricted role the API works as. */
  db: Database;
  /** The schema owner, for test set-up the API may not do (e.g. clearing the append-only ledger). */
  ownerDb: Database;
  /** The test database's address (the owner's), e.g. for a second API process. */
  url: string;
  /** Access token of a demo user. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** A database of its own (cloned from the seeded template) and an API on it, for one test file. */
export async function createTestContext(overrides: Partial<ApiConfig> = {}, logger: BuildOptions['logger'] = false): Promise<TestContext> {
  const serverUrl = inject('pgServerUrl');
  const name = `bs_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(serverUrl, name, inject('pgTemplate'));
  const db = await createApiDatabase(withDatabase(serverUrl, name), 10);
  const ownerDb = createDatabase({ url: withDatabase(serverUrl, name), poolSize: 2 });
  const config = { ...loadConfig({ JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }), ...overrides };
  const app = await buildApp({ db, config, logger });
  await app.ready();
  const tokens = new Map<string, string>();
  return {
    app,
    db,
    ownerDb,
    url: withDatabase(serverUrl, name),
    async login(email, password = DEMO_PASSWORD) {
      const cached = tokens.get(email);
      if (cached && password === DEMO_PASSWORD) return cached;
      const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
      const token = res.json<{ accessToken: string }>().accessToken;
      tokens.set(email, token);
      return token;
    },
    async close() {
      await app.close();
      await db.destroy();
      await ownerDb.destroy();
      await dropDatabase(serverUrl, name);
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
