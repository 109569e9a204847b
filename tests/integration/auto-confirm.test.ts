// The automatic confirmation of logged hours (issue 5, docs/api-hours.md "Confirmation") against
// real PostgreSQL, with the clock as a parameter: a `done` booking is confirmed and settled exactly
// when its finish is autoConfirmDays old, once, however often (or however concurrently) the job
// runs; its customer is reminded once, a day before; hours over a cap and disputed hours wait for a
// dispatcher; a short wallet owes, and the next purchase pays that first.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmation, wallet } from '@buurtservice/db';
import { hoursJobs, notificationJobs } from '@buurtservice/api';
import { formatEuro } from '@buurtservice/shared';
import { createTestContext, type TestContext } from '../support/context.js';
import { buy, newHousehold, programme, stateOf, type Programme } from '../support/bookings.js';
import { doneBooking, finishedAt, ledgerKinds } from '../support/done-booking.js';

let ctx: TestContext;
let breda: Programme;
beforeAll(async () => {
  ctx = await createTestContext();
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
}, 60_000);
afterAll(async () => { await ctx?.close(); });

const DAY = 86_400_000;
const AUTO_CONFIRM_DAYS = 5; // the programme's setting (the default)
let day = 0;
const nextStart = () => new Date(Date.UTC(2026, 8, 1 + (day++ % 28), 7, 0));
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** A household with a resident account (who receives the reminder) and cheques. */
async function customerWith(cheques: number): Promise<{ householdId: string; userId: string }> {
  const { householdId } = await newHousehold(ctx.db, breda.id);
  const user = await ctx.ownerDb.insertInto('users').values({
    programme_id: breda.id, role: 'resident', household_id: householdId, display_name: 'Fam. Automatisch', email: `auto-${randomUUID().slice(0, 8)}@example.nl`,
  }).returning('id').executeTakeFirstOrThrow();
  if (cheques > 0) await buy(ctx.db, breda.id, { householdId }, cheques);
  return { householdId, userId: user.id };
}

const run = (now: Date) => hoursJobs.runHoursAutoConfirm(ctx.db, now);
const summary = (householdId: string) => wallet.walletSummary(ctx.db, breda.id, { householdId });
const reminders = (bookingId: string) => ctx.ownerDb.selectFrom('outbox').select(['user_id', 'kind', 'payload'])
  .where('kind', '=', 'hours_confirm_reminder').where(sql<string>`payload->>'bookingId'`, '=', bookingId).execute();

describe('the automatic confirmation', () => {
  it('confirms nothing before autoConfirmDays, settles exactly at autoConfirmDays, and a second run does nothing', async () => {
    const customer = await customerWith(3);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 120, team: [{ minutes: 100 }] });
    const finished = await finishedAt(ctx.db, job.bookingId);

    const early = await run(at(finished, AUTO_CONFIRM_DAYS * DAY - 1));
    expect(early.autoConfirm.confirmed).not.toContain(job.bookingId);
    expect(await stateOf(ctx.db, job.bookingId)).toBe('done');

    const due = await run(at(finished, AUTO_CONFIRM_DAYS * DAY));
    expect(due.autoConfirm.confirmed).toContain(job.bookingId);
    expect(due.autoConfirm.failed).toEqual([]);
    expect(await stateOf(ctx.db, job.bookingId)).toBe('settled');
    // 100 → 105 billable of 120 held: 15 back; 180 bought.
    expect(await summary(customer.householdId)).toMatchObject({ balanceMinutes: 180 - 105, heldMinutes: 0, owedMinutes: 0 });
    const view = await confirmation.bookingHours(ctx.db, { programmeId: breda.id, bookingId: job.bookingId, autoConfirmDays: AUTO_CONFIRM_DAYS });
    expect(view?.statement).toMatchObject({ redeemedMinutes: 105, cents: 1750, releasedMinutes: 15, owedMinutes: 0 });
    const rows = await ctx.db.selectFrom('booking_hours').select(['confirmed_minutes', 'confirmed_by']).where('booking_id', '=', job.bookingId).execute();
    expect(rows).toEqual([{ confirmed_minutes: 105, confirmed_by: null }]);
    const event = await ctx.db.selectFrom('booking_events').select(['actor_user_id', 'details']).where('booking_id', '=', job.bookingId).where('action', '=', 'confirm_hours').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: null, details: { automatic: true, minutes: 105 } });

    const again = await run(at(finished, AUTO_CONFIRM_DAYS * DAY));
    expect(again.autoConfirm).toEqual({ confirmed: [], skipped: [], failed: [] });
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1, redeem: 1, release: 1 });
    expect(await summary(customer.householdId)).toMatchObject({ balanceMinutes: 75, heldMinutes: 0 });
  });

  it('settles once when two runs overlap', async () => {
    const customer = await customerWith(2);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 45 }] });
    const now = at(await finishedAt(ctx.db, job.bookingId), AUTO_CONFIRM_DAYS * DAY + 60_000);
    const [a, b] = await Promise.all([confirmation.autoConfirmDue(ctx.db, { now }), confirmation.autoConfirmDue(ctx.db, { now })]);
    expect([a, b].filter((r) => r.confirmed.includes(job.bookingId))).toHaveLength(1);
    expect([...a.failed, ...b.failed]).toEqual([]);
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1, redeem: 1, release: 1 });
    expect(await summary(customer.householdId)).toMatchObject({ balanceMinutes: 120 - 45, heldMinutes: 0 });
  });

  it('leaves hours over a cap and disputed hours to a dispatcher', async () => {
    const customer = await customerWith(4);
    const flagged = await doneBooking(ctx.db, breda, {
      customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 75, spec: { contract: 'benefit', weeklyCapMinutes: 60 } }],
    });
    const disputed = await doneBooking(ctx.db, breda, { customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 60 }] });
    await ctx.db.transaction().execute((tx) => confirmation.disputeHours(tx, { programmeId: breda.id, bookingId: disputed.bookingId, by: { userId: customer.userId, staff: false }, reason: 'Dit klopt niet' }));

    const later = await run(at(await finishedAt(ctx.db, disputed.bookingId), 30 * DAY));
    expect(later.autoConfirm.confirmed).not.toContain(flagged.bookingId);
    expect(later.autoConfirm.confirmed).not.toContain(disputed.bookingId);
    expect(await stateOf(ctx.db, flagged.bookingId)).toBe('done');
    expect(await stateOf(ctx.db, disputed.bookingId)).toBe('disputed');
    expect(await reminders(flagged.bookingId)).toEqual([]);
    expect(await summary(customer.householdId)).toMatchObject({ heldMinutes: 120 });
    // the customer cannot confirm the flagged hours either; staff can
    await expect(ctx.db.transaction().execute((tx) => confirmation.confirmHours(tx, { programmeId: breda.id, bookingId: flagged.bookingId, by: { userId: customer.userId, staff: false } })))
      .rejects.toMatchObject({ code: 'hours_need_dispatcher' });
    await ctx.db.transaction().execute((tx) => confirmation.confirmHours(tx, { programmeId: breda.id, bookingId: flagged.bookingId, by: { userId: breda.dispatcherId, staff: true }, note: 'Gebeld met UWV-consulent' }));
    expect(await stateOf(ctx.db, flagged.bookingId)).toBe('settled');
  });

  it('lets a short wallet owe, and the next purchase pays the debt first', async () => {
    const customer = await customerWith(1);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 150 }] });
    const report = await run(at(await finishedAt(ctx.db, job.bookingId), AUTO_CONFIRM_DAYS * DAY));
    expect(report.autoConfirm.confirmed).toContain(job.bookingId);
    expect(await summary(customer.householdId)).toMatchObject({ balanceMinutes: 0, heldMinutes: 0, owedMinutes: 90 });

    const bought = await ctx.db.transaction().execute((tx) => wallet.buyCheques(tx, {
      programmeId: breda.id, owner: { householdId: customer.householdId }, cheques: 2, source: 'counter', category: 'resident', centsPerHour: 1000,
      expiresAt: null, reference: `test-${randomUUID()}`, idempotencyKey: `test-${randomUUID()}`,
    }));
    expect(bought).toMatchObject({ replayed: false, settledDebtMinutes: 90 });
    expect(await summary(customer.householdId)).toMatchObject({ balanceMinutes: 30, owedMinutes: 0 });
    const view = await confirmation.bookingHours(ctx.db, { programmeId: breda.id, bookingId: job.bookingId, autoConfirmDays: AUTO_CONFIRM_DAYS });
    expect(view?.statement).toMatchObject({ redeemedMinutes: 60, releasedMinutes: 0, owedMinutes: 0 });
  });
});

describe('the reminder', () => {
  it('goes to the customer once, a day before the hours are confirmed automatically', async () => {
    const customer = await customerWith(2);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: customer.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 50 }] });
    const finished = await finishedAt(ctx.db, job.bookingId);
    const autoAt = at(finished, AUTO_CONFIRM_DAYS * DAY);

    await run(at(autoAt, -DAY - 1));
    expect(await reminders(job.bookingId)).toEqual([]);
    const first = await run(at(autoAt, -DAY));
    expect(first.reminders).toBeGreaterThanOrEqual(1);
    const sent = await reminders(job.bookingId);
    expect(sent).toEqual([{
      user_id: customer.userId, kind: 'hours_confirm_reminder',
      payload: expect.objectContaining({ bookingId: job.bookingId, audience: 'customer', autoConfirmAt: autoAt.toISOString(), hoursMinutes: 60, hoursCents: 1000 }) as unknown,
    }]);
    await run(at(autoAt, -DAY + 3_600_000));
    await run(at(autoAt, -1));
    expect(await reminders(job.bookingId)).toHaveLength(1);
    expect(await stateOf(ctx.db, job.bookingId)).toBe('done');

    const nl = notificationJobs.renderMessage('hours_confirm_reminder', sent[0]!.payload, 'nl', null);
    expect(nl.subject).toBe('Kloppen de uren? Tuindienst');
    expect(nl.text).toContain(`samen 1 uur (${formatEuro(1000, 'nl')})`);
    expect(nl.text).toContain('vanzelf goed');
    const en = notificationJobs.renderMessage('hours_confirm_reminder', sent[0]!.payload, 'en', null);
    expect(en.subject).toBe('Are the hours right? Garden service');
    expect(en.text).toContain(`1 hour (${formatEuro(1000, 'en')}) in all`);
  });
});
