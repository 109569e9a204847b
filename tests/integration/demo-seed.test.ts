// The demo jobs the quick start adds for the coming week: every one holds its minutes and waits
// to be planned, so the dispatcher's board (and auto-plan) has work on a fresh start.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { outbox, seedDemoBookings, wallet } from '@buurtservice/db';
import { jsonMailer, notificationJobs } from '@buurtservice/api';
import { createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext(); });
afterAll(async () => { await ctx?.close(); });

it('adds jobs for next week, each with its minutes held: the demo worker has one, the others wait to be planned', async () => {
  const now = new Date('2026-11-22T12:00:00+01:00');
  const count = await seedDemoBookings(ctx.ownerDb, now);
  const rows = await ctx.ownerDb.selectFrom('bookings').select(['id', 'state', 'starts_at', 'window_start', 'window_end', 'workers_needed', 'duration_minutes']).execute();
  expect(rows).toHaveLength(count);
  expect(count).toBeGreaterThanOrEqual(5);
  const sanne = await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', 'medewerker@example.nl').executeTakeFirstOrThrow();
  const hers = await ctx.ownerDb.selectFrom('booking_assignments').select(['booking_id', 'worker_id']).where('released_at', 'is', null).execute();
  expect(hers.map((h) => h.worker_id)).toEqual([sanne.id]);
  for (const b of rows) {
    expect(b.state).toBe(b.id === hers[0]!.booking_id ? 'scheduled' : 'ready_to_plan');
    // next week: Monday 23 November 2026 to Sunday 29 November, Amsterdam
    if (b.starts_at) {
      expect(b.starts_at.getTime()).toBeGreaterThanOrEqual(new Date('2026-11-23T00:00:00+01:00').getTime());
      expect(b.starts_at.getTime()).toBeLessThan(new Date('2026-11-30T00:00:00+01:00').getTime());
    } else {
      expect(b.window_start).toBe('2026-11-23');
    }
    const hold = await ctx.ownerDb.selectFrom('ledger_accounts').select('id').where('kind', '=', 'hold').where('booking_id', '=', b.id).executeTakeFirstOrThrow();
    expect(await ctx.ownerDb.transaction().execute((tx) => wallet.accountBalance(tx, hold.id))).toBe(b.workers_needed * b.duration_minutes);
  }

  // Mevr. De Vries (no e-mail address) is to be phoned about her job's new day, and only about that.
  await notificationJobs.deliverOutbox(ctx.db, jsonMailer('Buurtservice <noreply@buurtservice.test>'), { limit: 100 });
  const breda = await ctx.ownerDb.selectFrom('programmes').select('id').where('slug', '=', 'breda-noordoost').executeTakeFirstOrThrow();
  // (asked on the Sunday before the demo week: her job is still to come)
  const calls = await outbox.callList(ctx.db, breda.id, new Date('2026-11-22T18:00:00+01:00'));
  expect(calls.map((c) => [c.name, c.kind, c.phone])).toEqual([['Mevr. De Vries', 'booking_rescheduled', '076 521 00 33']]);
});
