import { createDatabase } from '@buurtservice/db';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/**
 * The API's OpenAPI document, as GET /docs/json serves it, without a database: the app is built on
 * a pool that never connects (nothing is asked of it before a request arrives). For the web's
 * generated types (scripts/api-types.ts).
 */
export async function openApiDocument(): Promise<unknown> {
  const db = createDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 });
  const app = await buildApp({ db, config: loadConfig({ JWT_SECRET: 'openapi-document-only-'.padEnd(40, 'x'), LOG_LEVEL: 'silent' }), logger: false });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await db.destroy();
  }
}
