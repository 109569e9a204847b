// The API process: `DATABASE_URL` or the embedded PostgreSQL, migrations at start, graceful shutdown.
import closeWithGrace from 'close-with-grace';
import { createDatabase, migrateToLatest, openDatabaseServer, seedDemo } from '@buurtservice/db';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { hashPassword } from './services/passwords.js';

const config = loadConfig();
const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL });
const db = createDatabase({ url: server.url, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
await migrateToLatest(db);
if (process.env.SEED_DEMO === 'true') await seedDemo(db, hashPassword);
const app = await buildApp({ db, config });

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await db.destroy();
  await server.stop();
});

await app.listen({ host: config.host, port: config.port });
