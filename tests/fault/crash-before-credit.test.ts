// Fault suite (issue 3): an API process is killed (SIGKILL) after Stripe confirmed a payment and
// while it is crediting the wallet, before its transaction commits. Nothing of the half-done
// credit may remain, and the reconciliation job must then credit the payment exactly once.
//
// How the crash is placed: the test holds a row lock on the wallet's ledger account, so the
// child's credit stops inside its transaction (after the payment row was locked and the ledger
// transaction claimed, at the first ledger write that references the wallet). The test sees it
// waiting in pg_stat_activity, kills the process, and lets go of the lock.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reconcilePendingPayments } from '@buurtservice/api';
import { bearer, createTestContext, TEST_JWT_SECRET, type TestContext } from '../support/context.js';
import { FakeStripe } from '../support/fake-stripe.js';

const SECRET_KEY = 'sk_test_0123456789abcdefghij';
const WEBHOOK_SECRET = 'whsec_0123456789abcdefghij';
const here = path.dirname(fileURLToPath(import.meta.url));

let ctx: TestContext;
let stripeFake: FakeStripe;
let child: ChildProcess | null = null;

beforeAll(async () => {
  stripeFake = new FakeStripe();
  await stripeFake.start();
  ctx = await createTestContext({ stripeApiUrl: stripeFake.url, publicWebUrl: 'http://localhost:5173' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await ctx?.close();
  await stripeFake?.stop();
});

async function startChild(): Promise<{ process: ChildProcess; port: number }> {
  const proc = fork(path.join(here, 'api-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FAULT_DB_URL: ctx.url, FAULT_JWT_SECRET: TEST_JWT_SECRET, STRIPE_API_URL: stripeFake.url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(proc, 'message')) as [{ port: number }];
  return { process: proc, port: message.port };
}

it('a process killed while crediting leaves nothing behind; reconciliation credits the payment once', async () => {
  const admin = await ctx.login('beheer@example.nl');
  const resident = await ctx.login('bewoner@example.nl');
  const user = await ctx.db.selectFrom('users').select(['household_id', 'programme_id']).where('email', '=', 'bewoner@example.nl').executeTakeFirstOrThrow();
  const householdId = user.household_id!;
  const programmeId = user.programme_id;
  expect((await ctx.app.inject({ method: 'PUT', url: '/programme/payment-settings', headers: bearer(admin), payload: { stripeSecretKey: SECRET_KEY, stripeWebhookSecret: WEBHOOK_SECRET } })).statusCode).toBe(200);
  const balance = async () => (await ctx.app.inject({ method: 'GET', url: `/households/${householdId}/wallet`, headers: bearer(resident) })).json<{ balanceMinutes: number }>().balanceMinutes;
  const before = await balance();

  const started = await ctx.app.inject({ method: 'POST', url: `/households/${householdId}/checkout`, headers: bearer(resident), payload: { cheques: 5 } });
  expect(started.statusCode).toBe(201);
  const paymentId = started.json<{ id: string }>().id;
  const session = [...stripeFake.sessions.values()].find((s) => s.client_reference_id === paymentId)!;
  stripeFake.pay(session.id);
  const payload = stripeFake.event('checkout.session.completed', session);
  const signature = new Stripe(SECRET_KEY).webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });

  const { process: proc, port } = await startChild();
  child = proc;
  const wallet = (await sql<{ id: string }>`select ledger_account(${programmeId}, 'wallet', ${householdId}, null, null) as id`.execute(ctx.ownerDb)).rows[0]!.id;

  // Hold the wallet account's row, deliver the webhook to the child, wait until it is stuck on that lock, kill it.
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => { letGo = resolve; });
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => { locked = resolve; });
  const holder = ctx.ownerDb.transaction().execute(async (tx) => {
    await sql`select id from ledger_accounts where id = ${wallet} for update`.execute(tx);
    locked();
    await released;
  });
  await lockTaken;
  const delivery = fetch(`http://127.0.0.1:${port}/webhooks/stripe/${programmeId}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload,
  }).then((r) => r.status, () => 'connection lost' as const);
  let waiting = false;
  for (let i = 0; i < 200 && !waiting; i++) {
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike '%cheque_lots%'`.execute(ctx.ownerDb);
    waiting = rows.rows[0]!.n > 0;
    if (!waiting) await new Promise((r) => setTimeout(r, 50));
  }
  expect(waiting, 'the child should be stuck inside its credit transaction').toBe(true);
  proc.kill('SIGKILL');
  await once(proc, 'exit');
  child = null;
  letGo();
  await holder;
  expect(await delivery).toBe('connection lost');

  // Nothing of the half-done credit remains (PostgreSQL rolled the dead connection's transaction back).
  for (let i = 0; i < 100; i++) {
    const open = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`.execute(ctx.ownerDb);
    if (open.rows[0]!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await ctx.ownerDb.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `stripe:${session.id}`).execute()).toHaveLength(0);
  expect((await ctx.ownerDb.selectFrom('online_payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow()).status).toBe('pending');
  expect(await balance()).toBe(before);

  // The reconciliation job finds the paid session and credits it, once; a late webhook changes nothing.
  expect(await reconcilePendingPayments(ctx.db, ctx.app.stripe, 0)).toEqual({ checked: 1, credited: 1 });
  expect(await reconcilePendingPayments(ctx.db, ctx.app.stripe, 0)).toEqual({ checked: 0, credited: 0 });
  const late = await ctx.app.inject({ method: 'POST', url: `/webhooks/stripe/${programmeId}`, headers: { 'content-type': 'application/json', 'stripe-signature': signature }, payload });
  expect(late.statusCode).toBe(200);
  expect(await balance()).toBe(before + 300);
  expect(await ctx.ownerDb.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `stripe:${session.id}`).execute()).toHaveLength(1);
});
