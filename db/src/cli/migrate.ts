// `pnpm db:migrate`: brings DATABASE_URL (or the embedded default database) to the newest migration.
import { createDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { openDatabaseServer } from '../server.js';

const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL });
const db = createDatabase({ url: server.url, poolSize: 2 });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await db.destroy();
  await server.stop();
}
