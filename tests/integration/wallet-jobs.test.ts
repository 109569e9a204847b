import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { JOBS, startJobs, walletJobs } from '@buurtservice/api';
import { wallet, withDatabase } from '@buurtservice/db';
import { createTestContext, type TestContext } from '../support/context.js';
import * as fixtures from '../support/bookings.js';

let ctx: TestContext;
let programmeId: string;
let householdId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  ctx = await createTestContext();
  const u = await ctx.db.selectFrom('users').select(['household_id', 'programme_id']).where('email', '=', 'bewoner@example.nl').executeTakeFirstOrThrow();
  programmeId = u.programme_id;
  householdId = u.household_id!;
});
afterAll(async () => { await ctx?.close(); });

const buy = (cheques: number, expiresAt: Date, key: string) =>
  ctx.db.transaction().execute((tx) => wallet.buyCheques(tx, {
    programmeId, owner: { householdId }, cheques, source: 'counter', category: 'resident', centsPerHour: 1000, expiresAt, reference: key, idempotencyKey: key,
  }));
const kinds = async () => (await ctx.db.selectFrom('outbox').select(['kind', 'dedupe_key']).where('household_id', '=', householdId).execute()).map((r) => r.kind).sort();

describe('daily wallet jobs (the clock is an argument)', () => {
  it('warn 30 days before, expire after, and change nothing when run twice', async () => {
    const now = new Date();
    await buy(2, new Date(now.getTime() + 20 * DAY), 'job-lot-soon');
    await buy(3, new Date(now.getTime() + 90 * DAY), 'job-lot-later');
    // Fam. Jansen's verified pass expires in 10 days.
    await ctx.ownerDb.insertInto('city_passes').values({ household_id: householdId, programme_id: programmeId, pass_number: 'BP-JOB-0001', expires_on: new Date(now.getTime() + 10 * DAY).toISOString().slice(0, 10), verified_at: now }).execute();

    // Today: one lot expires within 30 days, the pass too. Nothing has expired.
    expect(await walletJobs.warnExpiringCheques(ctx.db, now)).toBe(1);
    expect(await walletJobs.warnExpiringCityPasses(ctx.db, now)).toBe(1);
    expect(await walletJobs.expireCheques(ctx.db, now)).toEqual({ lots: 0, minutes: 0 });
    // Again the same day: nothing new.
    expect(await walletJobs.warnExpiringCheques(ctx.db, now)).toBe(0);
    expect(await walletJobs.warnExpiringCityPasses(ctx.db, now)).toBe(0);
    expect(await kinds()).toEqual(['cheques_expiring', 'city_pass_expiring']);

    // 21 days later the first lot has expired: its 120 minutes go to the expired account, once.
    const later = new Date(now.getTime() + 21 * DAY);
    const expired = await walletJobs.expireCheques(ctx.db, later);
    expect(expired).toEqual({ lots: 1, minutes: 120 });
    expect(await walletJobs.expireCheques(ctx.db, later)).toEqual({ lots: 0, minutes: 0 });
    const summary = await wallet.walletSummary(ctx.db, programmeId, { householdId });
    expect(summary.balanceMinutes).toBe(180);
    // 70 days later the second lot is within 30 days of expiry: warned once.
    const muchLater = new Date(now.getTime() + 70 * DAY);
    expect(await walletJobs.warnExpiringCheques(ctx.db, muchLater)).toBe(1);
    expect(await walletJobs.warnExpiringCheques(ctx.db, muchLater)).toBe(0);
  });

  it('run through the pg-boss queue on the same PostgreSQL', async () => {
    const key = 'job-lot-queue';
    await buy(1, new Date(Date.now() - 1000), key);
    const url = withDatabase(inject('pgServerUrl'), (await sql<{ d: string }>`select current_database() as d`.execute(ctx.db)).rows[0]!.d);
    const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, trace: () => {}, fatal: () => {}, child: () => silent, level: 'silent', silent: () => {} };
    const runner = await startJobs({ ownerUrl: url, db: ctx.db, stripe: ctx.app.stripe, log: silent as never });
    try {
      await runner.boss.send(JOBS.walletDaily, {});
      const deadline = Date.now() + 30_000;
      let expiredMinutes = 0;
      while (Date.now() < deadline) {
        const r = await sql<{ m: number }>`select coalesce(sum(e.minutes), 0)::int as m from ledger_entries e join ledger_accounts a on a.id = e.account_id where a.kind = 'expired' and e.lot_id = (select id from cheque_lots where reference = ${key})`.execute(ctx.db);
        expiredMinutes = r.rows[0]!.m;
        if (expiredMinutes > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(expiredMinutes).toBe(60);
    } finally {
      await runner.stop();
    }
  });
});

describe('bookings waiting for payment (the safety net behind the purchase paths)', () => {
  it('move on once their wallet can hold them, each once, and a wallet still short keeps waiting', async () => {
    const p = await fixtures.programme(ctx.db, 'breda-noordoost');
    const rich = await fixtures.newHousehold(ctx.db, p.id);
    const poor = await fixtures.newHousehold(ctx.db, p.id);
    const first = await fixtures.book(ctx.db, p, { customer: rich, minutes: 120 });
    const second = await fixtures.book(ctx.db, p, { customer: rich, minutes: 60 });
    const short = await fixtures.book(ctx.db, p, { customer: poor, minutes: 180 });
    for (const b of [first, second, short]) expect(await fixtures.stateOf(ctx.db, b.booking.id)).toBe('awaiting_payment');

    // Bought straight in the ledger: as if the purchase path's own resume had failed after its commit.
    await fixtures.buy(ctx.db, p.id, rich, 3);
    await fixtures.buy(ctx.db, p.id, poor, 1);

    const run = await walletJobs.resumeWaitingBookings(ctx.db);
    expect(run.failed).toBe(0);
    expect(await fixtures.stateOf(ctx.db, first.booking.id)).toBe('ready_to_plan');
    expect(await fixtures.stateOf(ctx.db, second.booking.id)).toBe('ready_to_plan');
    expect(await fixtures.stateOf(ctx.db, short.booking.id)).toBe('awaiting_payment');
    expect(await fixtures.heldMinutes(ctx.db, p.id, first.booking.id)).toBe(120);
    expect(await fixtures.heldMinutes(ctx.db, p.id, second.booking.id)).toBe(60);

    // Run again: nothing left that fits, nothing held twice.
    expect((await walletJobs.resumeWaitingBookings(ctx.db)).resumed).toBe(0);
    expect(await fixtures.heldMinutes(ctx.db, p.id, first.booking.id)).toBe(120);
    const events = await ctx.db.selectFrom('booking_events').select('action').where('booking_id', '=', first.booking.id).where('action', '=', 'payment_received').execute();
    expect(events).toHaveLength(1);
  });
});
