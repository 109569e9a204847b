// The API process: `DATABASE_URL` or the embedded PostgreSQL, migrations at start, graceful shutdown.
import closeWithGrace from 'close-with-grace';
import { createApiDatabase, createDatabase, migrateToLatest, openDatabaseServer, seedDemo } from '@buurtservice/db';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { startJobs } from './jobs/runner.js';
import { createMailer } from './services/mailer.js';
import { hashPassword } from './services/passwords.js';

const config = loadConfig();
const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL });
// Migrations (and demo data) as the connecting user, who owns the schema; the API then works as
// the restricted role that cannot rewrite the ledger.
const owner = createDatabase({ url: server.url, poolSize: 1 });
await migrateToLatest(owner);
if (process.env.SEED_DEMO === 'true') await seedDemo(owner, hashPassword);
await owner.destroy();
const db = await createApiDatabase(server.url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
const app = await buildApp({ db, config });
// Daily cheque expiry and warnings, payment reconciliation; JOBS=off on instances that should not run them.
const jobs = process.env.JOBS === 'off' ? null : await startJobs({ ownerUrl: server.url, db, stripe: app.stripe, log: app.log, mailer: createMailer(config, app.log), publicWebUrl: config.publicWebUrl });

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await jobs?.stop();
  await app.close();
  await db.destroy();
  await server.stop();
});

await app.listen({ host: config.host, port: config.port });
