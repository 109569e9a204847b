import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, notifications, type Database } from '@buurtservice/db';
import { createTestContext, type TestContext } from '../support/context.js';
import * as fixtures from '../support/bookings.js';

// createBooking is one call to the database function booking_create (migration booking_function),
// which writes the customer's "booking confirmed" messages itself instead of through
// notifications.ts. This keeps the two in step: for every kind of booking, the message the function
// wrote must equal the one notifications.onTransition writes for the same booking.

let ctx: TestContext;
let p: fixtures.Programme;

beforeAll(async () => {
  ctx = await createTestContext();
  p = await fixtures.programme(ctx.db, 'breda-noordoost');
});
afterAll(async () => { await ctx?.close(); });

class Rollback extends Error {}

/** The payload notifications.ts writes for `hold_placed` of this booking, in a transaction that is thrown away. */
async function payloadFromNotifications(db: Database, bookingId: string): Promise<unknown[]> {
  let payloads: unknown[] = [];
  await db.transaction().execute(async (tx) => {
    await notifications.onTransition(tx, { programmeId: p.id, bookingId, action: 'hold_placed', eventId: 'compare' });
    payloads = (await tx.selectFrom('outbox').select('payload').where('dedupe_key', 'like', `booking:${bookingId}:event:compare:%`).orderBy('dedupe_key').execute()).map((r) => r.payload);
    throw new Rollback();
  }).catch((err: unknown) => { if (!(err instanceof Rollback)) throw err; });
  return payloads;
}

async function payloadFromFunction(bookingId: string): Promise<unknown[]> {
  return (await ctx.db.selectFrom('outbox').select('payload').where('dedupe_key', 'like', `booking:${bookingId}:event:%`).orderBy('dedupe_key').execute()).map((r) => r.payload);
}

describe('booking_create writes the messages notifications.ts would', () => {
  it('for a home job with a house-number suffix, a flexible week, an organisation location and the service point', async () => {
    const home = await ctx.db.insertInto('households')
      .values({ programme_id: p.id, name: 'Fam. Toevoeging', street: 'Wisselaan', house_number: 12, house_number_suffix: 'B', postcode: '4823JA', city: 'Breda' })
      .returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('users').values({ programme_id: p.id, role: 'resident', display_name: 'T. Toevoeging', household_id: home.id }).execute();
    const customer = { householdId: home.id };
    await fixtures.buy(ctx.db, p.id, customer, 20);

    const org = await ctx.db.selectFrom('organisation_locations').select(['organisation_id', 'id']).where('programme_id', '=', p.id).executeTakeFirstOrThrow();
    await fixtures.buy(ctx.db, p.id, { organisationId: org.organisation_id }, 10);

    const made = [
      await fixtures.book(ctx.db, p, { customer, minutes: 120, workers: 2 }),
      await fixtures.book(ctx.db, p, { customer, window: { start: '2027-03-01', end: '2027-03-05' } }),
      await ctx.db.transaction().execute((tx) => bookings.createBooking(tx, {
        programmeId: p.id, customer: { organisationId: org.organisation_id }, serviceId: p.services['tuindienst']!,
        place: { kind: 'organisation_location', locationId: org.id }, timing: { startsAt: new Date('2027-03-02T09:00:00+01:00') },
        durationMinutes: 60, workersNeeded: 1, notes: '', contactPhone: null, tariff: { category: 'organisation', centsPerWorkerHour: 1500 },
        createdBy: p.dispatcherId, onBehalf: true,
      })),
      await ctx.db.transaction().execute((tx) => bookings.createBooking(tx, {
        programmeId: p.id, customer, serviceId: p.services['strijkservice']!, place: { kind: 'service_point' },
        timing: { startsAt: new Date('2027-03-03T14:00:00+01:00') }, durationMinutes: 60, workersNeeded: 1, notes: 'Twee overhemden',
        contactPhone: null, tariff: { category: 'resident', centsPerWorkerHour: 1000 }, createdBy: p.dispatcherId, onBehalf: true,
      })),
    ];
    for (const created of made) {
      expect(created.hold.status).toBe('held');
      const written = await payloadFromFunction(created.booking.id);
      expect(written.length).toBeGreaterThan(0);
      expect(written).toEqual(await payloadFromNotifications(ctx.db, created.booking.id));
    }
  });

  it('writes no message when the wallet is short (the booking waits for payment)', async () => {
    const poor = await fixtures.newHousehold(ctx.db, p.id);
    await ctx.db.insertInto('users').values({ programme_id: p.id, role: 'resident', display_name: 'A. Arm', household_id: poor.householdId }).execute();
    const created = await fixtures.book(ctx.db, p, { customer: poor, minutes: 120 });
    expect(created.hold.status).toBe('short');
    expect(await payloadFromFunction(created.booking.id)).toEqual([]);
  });
});
