// The zero-setup start (`pnpm start`): PostgreSQL (DATABASE_URL, or an embedded server with its data in
// .data/postgres), migrations, demo data, the API, and the built web app. Ctrl+C stops all of it cleanly.
//   --ephemeral        a fresh throw-away database (browser tests): TEST_DATABASE_URL's server, or a temporary embedded one
//   --api-port N       default API_PORT or 3000
//   --web-port N       default PORT or 5173
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import {
  createApiDatabase, createDatabase, DEMO_LOGINS, DEMO_PASSWORD, dropDatabase, ensureDatabase, migrateToLatest, openDatabaseServer, repoRoot, seedDemo, seedDemoBookings, withDatabase,
} from '@buurtservice/db';
import { buildApp, createMailer, hashPassword, loadConfig, startJobs } from '@buurtservice/api';

const { values: args } = parseArgs({
  options: { ephemeral: { type: 'boolean', default: false }, 'api-port': { type: 'string' }, 'web-port': { type: 'string' } },
});
const apiPort = Number(args['api-port'] ?? process.env.API_PORT ?? 3000);
const webPort = Number(args['web-port'] ?? process.env.PORT ?? 5173);
const dataRoot = path.join(repoRoot, '.data');

let scratch: string | null = null;
let dropOnExit: { serverUrl: string; name: string } | null = null;
async function openServer() {
  if (!args.ephemeral) return openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, log: () => {} });
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const name = `e2e_${process.pid}_${Date.now()}`;
    await ensureDatabase(external, name);
    dropOnExit = { serverUrl: external, name };
    return { url: withDatabase(external, name), embedded: null, stop: async () => {} };
  }
  scratch = mkdtempSync(path.join(tmpdir(), 'buurtservice-e2e-'));
  return openDatabaseServer({ dataDir: path.join(scratch, 'pg'), persistent: false, log: () => {} });
}

/** A demo keeps its signing key in .data so sessions survive a restart; production sets JWT_SECRET. */
function demoJwtSecret(): string | undefined {
  if (process.env.JWT_SECRET || args.ephemeral) return process.env.JWT_SECRET;
  const file = path.join(dataRoot, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataRoot, { recursive: true });
    writeFileSync(file, loadConfig({}).jwtSecret, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

const server = await openServer();
const owner = createDatabase({ url: server.url, poolSize: 1 });
await migrateToLatest(owner);
// A fresh demo gets jobs for the coming week too, so the dispatcher's board has work to plan.
// Not with --ephemeral (the browser tests): their pages start from the demo data alone.
if ((await seedDemo(owner, hashPassword)) && !args.ephemeral) await seedDemoBookings(owner);
await owner.destroy();
const db = await createApiDatabase(server.url);
// The web's own address is where links in messages and calendar feeds point.
const publicWebUrl = process.env.PUBLIC_WEB_URL ?? process.env.ORIGIN ?? `http://localhost:${webPort}`;
const config = { ...loadConfig({ ...process.env, JWT_SECRET: demoJwtSecret(), PUBLIC_WEB_URL: publicWebUrl }), port: apiPort, host: '127.0.0.1' };
const app = await buildApp({ db, config, logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
await app.listen({ host: config.host, port: apiPort });
const jobs = await startJobs({ ownerUrl: server.url, db, stripe: app.stripe, log: app.log, mailer: createMailer(config, app.log), publicWebUrl: config.publicWebUrl });

const webEntry = path.join(repoRoot, 'web', 'build', 'index.js');
if (!existsSync(webEntry)) throw new Error('The web app is not built: run `pnpm --filter @buurtservice/web build` first (pnpm start does).');
const web: ChildProcess = spawn(process.execPath, [webEntry], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PORT: String(webPort), HOST: '127.0.0.1', ORIGIN: process.env.ORIGIN ?? `http://localhost:${webPort}`, API_URL: `http://127.0.0.1:${apiPort}` },
});

async function waitForWeb(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${webPort}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the web app did not start');
}
await waitForWeb();

console.log(`
Buurtservice draait op http://localhost:${webPort}
API: http://127.0.0.1:${apiPort}  (API-documentatie: http://127.0.0.1:${apiPort}/docs)
Database: ${server.embedded ? `ingebouwde PostgreSQL (${args.ephemeral ? 'tijdelijk' : '.data/postgres'})` : 'DATABASE_URL'}

Demo-accounts (wachtwoord voor allemaal: ${DEMO_PASSWORD}):
${DEMO_LOGINS.map((l) => `  ${l.email.padEnd(28)} ${l.who}`).join('\n')}

Stoppen: Ctrl+C`);

closeWithGrace({ delay: 10_000 }, async () => {
  web.kill('SIGTERM');
  await jobs.stop();
  await app.close();
  await db.destroy();
  if (dropOnExit) await dropDatabase(dropOnExit.serverUrl, dropOnExit.name);
  await server.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});
web.on('exit', (code) => {
  if (code !== null && code !== 0) {
    console.error(`the web app stopped (exit ${code})`);
    process.kill(process.pid, 'SIGTERM');
  }
});
