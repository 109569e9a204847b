import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsterdamDate } from '@buurtservice/shared';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, buy, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';
import { loadWorld, must, ROLE_LOGINS, type DemoWorld } from '../support/world.js';

// The API's clock for the booking rules: the real one unless a test sets it.
let clockAt: Date | null = null;
let ctx: TestContext;
let world: DemoWorld;
let breda: Programme;
let jansen: string;
let yilmaz: string;
let woonstichting: string;
let flatWisselaan: string;
let utrechtLocation: string;
const tokens: Record<string, string> = {};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

interface Booking {
  id: string; state: string; onBehalf: boolean; priceCents: number; workerMinutes: number; startsAt: string | null; freeChangeUntil: string | null;
  customer: { kind: string; id: string; name: string }; place: string; address: { locationName: string | null; street: string } | null;
  tariff: { category: string; centsPerWorkerHour: number }; assignments: { workerId: string }[]; actions: string[];
}
interface Created { booking: Booking; hold: { status: 'held'; minutes: number } | { status: 'short'; neededMinutes: number; availableMinutes: number } }

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => clockAt ?? new Date() });
  world = await loadWorld(ctx.ownerDb);
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
  jansen = must(world.breda.households, 'Fam. Jansen');
  yilmaz = must(world.breda.households, 'Fam. Yilmaz');
  woonstichting = must(world.breda.organisations, 'Woonstichting Noordoost');
  flatWisselaan = (await ctx.ownerDb.selectFrom('organisation_locations').select('id').where('organisation_id', '=', woonstichting).where('name', '=', 'Flat Wisselaan').executeTakeFirstOrThrow()).id;
  const utrechtOrg = await ctx.ownerDb.insertInto('organisations').values({
    programme_id: world.utrecht.id, name: 'Buurthuis Test', kvk_number: '30999111', billing_street: 'Zamenhofdreef', billing_house_number: 1, billing_postcode: '3562JW', billing_city: 'Utrecht',
  }).returning('id').executeTakeFirstOrThrow();
  utrechtLocation = (await ctx.ownerDb.insertInto('organisation_locations').values({
    programme_id: world.utrecht.id, organisation_id: utrechtOrg.id, name: 'Zaal', street: 'Zamenhofdreef', house_number: 1, postcode: '3562JW', city: 'Utrecht',
  }).returning('id').executeTakeFirstOrThrow()).id;
  for (const role of ['resident', 'organisation_member', 'dispatcher', 'worker', 'programme_admin'] as const) tokens[role] = await ctx.login(ROLE_LOGINS[role]);
  await buy(ctx.ownerDb, breda.id, { householdId: jansen }, 100);
  await buy(ctx.ownerDb, breda.id, { householdId: yilmaz }, 100);
  await buy(ctx.ownerDb, breda.id, { organisationId: woonstichting }, 100);
}, 60_000);
afterAll(async () => { await ctx?.close(); });

const inDays = (days: number, hour = 10) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
};

function post(url: string, token: string, payload: object, key?: string) {
  return ctx.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) }, payload });
}
const get = (url: string, token: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(token) });

const garden = (extra: object = {}) => ({
  serviceId: must(world.breda.services, 'tuindienst'), place: 'home', startsAt: inDays(10).toISOString(), durationMinutes: 120, workersNeeded: 1, ...extra,
});

/** The booking POST /bookings answers (built without reading it back) is the one GET /bookings/:id reads. */
async function expectSameAsRead(booking: Booking, token: string) {
  const read = (await get(`/bookings/${booking.id}`, token)).json<Booking & { events: unknown[] }>();
  const { events, ...rest } = read;
  expect(events).toHaveLength(1);
  expect(rest).toEqual(booking);
}

async function book(token: string, body: object, key?: string): Promise<Booking> {
  const res = await post('/bookings', token, body, key);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Created>().booking;
}

describe('POST /bookings', () => {
  it('books for a resident\'s own household, holds the minutes and prices it at the resident tariff', async () => {
    const res = await post('/bookings', tokens.resident!, garden({ notes: 'Heg knippen', contactPhone: '06 1234 5678' }));
    expect(res.statusCode, res.body).toBe(201);
    const { booking, hold } = res.json<Created>();
    expect(hold).toEqual({ status: 'held', minutes: 120 });
    expect(booking).toMatchObject({
      state: 'ready_to_plan', onBehalf: false, priceCents: 2000, workerMinutes: 120, place: 'home',
      customer: { kind: 'household', id: jansen, name: 'Fam. Jansen' }, tariff: { category: 'resident', centsPerWorkerHour: 1000 },
    });
    expect(booking.address?.street).toBe('Wisselaan');
    expect(new Date(booking.freeChangeUntil!).getTime()).toBe(new Date(booking.startsAt!).getTime() - DAY);
    expect(booking.actions).toEqual(['reschedule', 'cancel']);
    await expectSameAsRead(booking, tokens.resident!);
  });

  it('lets an organisation book at one of its locations, at the organisation tariff', async () => {
    const res = await post('/bookings', tokens.organisation_member!, garden({ place: 'organisation_location', locationId: flatWisselaan, workersNeeded: 2 }));
    expect(res.statusCode, res.body).toBe(201);
    const { booking } = res.json<Created>();
    expect(booking).toMatchObject({ place: 'organisation_location', customer: { kind: 'organisation', id: woonstichting }, priceCents: 6000, workerMinutes: 240, tariff: { category: 'organisation' } });
    expect(booking.address?.locationName).toBe('Flat Wisselaan');
    await expectSameAsRead(booking, tokens.organisation_member!);
    const list = (await get(`/organisations/${woonstichting}/bookings?locationId=${flatWisselaan}`, tokens.organisation_member!)).json<{ bookings: Booking[] }>();
    expect(list.bookings.map((b) => b.id)).toContain(booking.id);
    expect((await get(`/organisations/${woonstichting}/bookings?locationId=${utrechtLocation}`, tokens.organisation_member!)).statusCode).toBe(404);
    const locations = (await get(`/organisations/${woonstichting}/locations`, tokens.organisation_member!)).json<{ locations: { id: string }[] }>();
    expect(locations.locations.map((l) => l.id)).toContain(flatWisselaan);
  });

  it('lets a dispatcher book on behalf of a named household, and audits it', async () => {
    const none = await post('/bookings', tokens.dispatcher!, garden());
    expect(none.statusCode).toBe(422);
    expect(none.json<{ code: string }>().code).toBe('customer_required');
    const booking = await book(tokens.dispatcher!, garden({ householdId: yilmaz }));
    expect(booking).toMatchObject({ onBehalf: true, customer: { id: yilmaz } });
    expect(booking.actions).toEqual(['reschedule', 'cancel', 'assign']);
    const audited = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'on_behalf_of_household_id']).where('subject_id', '=', booking.id).execute();
    expect(audited).toEqual([{ action: 'booking.created', on_behalf_of_household_id: yilmaz }]);
  });

  it('keeps a booking with a short wallet as awaiting payment; a counter sale moves it on by itself', async () => {
    const { householdId } = await newHousehold(ctx.ownerDb, breda.id);
    const res = await post('/bookings', tokens.dispatcher!, garden({ householdId, durationMinutes: 180 }));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<Created>();
    expect(created.hold).toEqual({ status: 'short', neededMinutes: 180, availableMinutes: 0 });
    expect(created.booking.state).toBe('awaiting_payment');

    const small = await post(`/households/${householdId}/counter-sales`, tokens.dispatcher!, { cheques: 2, paymentMethod: 'cash' });
    expect(small.statusCode).toBe(201);
    expect((await get(`/bookings/${created.booking.id}`, tokens.dispatcher!)).json<Booking>().state).toBe('awaiting_payment');
    const enough = await post(`/households/${householdId}/counter-sales`, tokens.dispatcher!, { cheques: 1, paymentMethod: 'pin' });
    expect(enough.statusCode).toBe(201);
    const after = (await get(`/bookings/${created.booking.id}`, tokens.dispatcher!)).json<Booking & { events: { action: string }[] }>();
    expect(after.state).toBe('ready_to_plan');
    expect(after.events.map((e) => e.action)).toEqual(['hold_short', 'payment_received']);
    const w = (await get(`/households/${householdId}/wallet`, tokens.dispatcher!)).json<{ balanceMinutes: number; heldMinutes: number }>();
    expect(w).toMatchObject({ balanceMinutes: 0, heldMinutes: 180 });
  });

  it('moves a booking awaiting payment to another time: it keeps waiting there, and a purchase moves it on at its new time', async () => {
    const { householdId } = await newHousehold(ctx.ownerDb, breda.id);
    const created = await book(tokens.dispatcher!, garden({ householdId }));
    expect(created.state).toBe('awaiting_payment');
    expect(created.actions).toEqual(['reschedule', 'cancel']);

    const later = inDays(12);
    const moved = await post(`/bookings/${created.id}/reschedule`, tokens.dispatcher!, { startsAt: later.toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Booking>()).toMatchObject({ state: 'awaiting_payment', startsAt: later.toISOString() });
    const events = await ctx.ownerDb.selectFrom('booking_events').select(['action', 'from_state', 'to_state']).where('booking_id', '=', created.id).orderBy('id').execute();
    expect(events).toEqual([
      { action: 'hold_short', from_state: 'requested', to_state: 'awaiting_payment' },
      { action: 'reschedule', from_state: 'awaiting_payment', to_state: 'awaiting_payment' },
    ]);
    // nothing was held for it, and moving it held nothing
    expect((await get(`/households/${householdId}/wallet`, tokens.dispatcher!)).json<{ heldMinutes: number }>().heldMinutes).toBe(0);

    const sale = await post(`/households/${householdId}/counter-sales`, tokens.dispatcher!, { cheques: 2, paymentMethod: 'cash' });
    expect(sale.statusCode).toBe(201);
    const after = (await get(`/bookings/${created.id}`, tokens.dispatcher!)).json<Booking>();
    expect(after).toMatchObject({ state: 'ready_to_plan', startsAt: later.toISOString() });
  });

  it('refuses bad requests with stable codes, and stores nothing', async () => {
    const before = await ctx.ownerDb.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const cases: [object, number, string][] = [
      [garden({ startsAt: new Date(Date.now() - HOUR).toISOString() }), 422, 'start_in_past'],
      [garden({ startsAt: undefined, windowStart: amsterdamDate(inDays(-2)), windowEnd: amsterdamDate(inDays(1)) }), 422, 'start_in_past'],
      [garden({ startsAt: undefined, windowStart: amsterdamDate(inDays(3)), windowEnd: amsterdamDate(inDays(10)) }), 422, 'window_invalid'],
      [garden({ startsAt: undefined, windowStart: amsterdamDate(inDays(5)), windowEnd: amsterdamDate(inDays(3)) }), 422, 'window_invalid'],
      [garden({ windowStart: amsterdamDate(inDays(3)), windowEnd: amsterdamDate(inDays(4)) }), 400, 'validation_failed'],
      [garden({ startsAt: undefined }), 400, 'validation_failed'],
      [garden({ durationMinutes: 50 }), 400, 'validation_failed'],
      [garden({ serviceId: randomUUID() }), 404, 'service_not_found'],
      [garden({ serviceId: must(world.utrecht.services, 'tuindienst') }), 404, 'service_not_found'],
      [garden({ serviceId: must(world.breda.services, 'woonzorgdienst'), workersNeeded: 2 }), 422, 'workers_out_of_range'],
      [garden({ serviceId: must(world.breda.services, 'strijkservice') }), 422, 'place_not_allowed'],
      [garden({ place: 'organisation_location', locationId: flatWisselaan }), 404, 'location_not_found'],
      [garden({ locationId: flatWisselaan }), 404, 'location_not_found'],
      [garden({ householdId: yilmaz }), 404, 'not_found'],
      [garden({ organisationId: woonstichting }), 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post('/bookings', tokens.resident!, body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    const foreignLocation = await post('/bookings', tokens.organisation_member!, garden({ place: 'organisation_location', locationId: utrechtLocation }));
    expect(foreignLocation.statusCode).toBe(404);
    expect(foreignLocation.json<{ code: string }>().code).toBe('location_not_found');
    const atHome = await post('/bookings', tokens.organisation_member!, garden({ locationId: flatWisselaan }));
    expect(atHome.statusCode).toBe(400);
    expect(atHome.json<{ fields: { field: string }[] }>().fields).toEqual([{ field: '/locationId', code: 'not_allowed' }]);
    const after = await ctx.ownerDb.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('books once for one Idempotency-Key, sent twice or ten times at once', async () => {
    const count = async () => Number((await ctx.ownerDb.selectFrom('bookings').select((eb) => eb.fn.countAll<string>().as('n')).where('household_id', '=', jansen).executeTakeFirstOrThrow()).n);
    const before = await count();
    const body = garden({ startsAt: inDays(12).toISOString() });
    const key = `book-${randomUUID()}`;
    const first = await post('/bookings', tokens.resident!, body, key);
    const second = await post('/bookings', tokens.resident!, body, key);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json<Created>().booking.id).toBe(first.json<Created>().booking.id);
    expect(await count()).toBe(before + 1);

    const key10 = `book-${randomUUID()}`;
    const body10 = garden({ startsAt: inDays(13).toISOString() });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/bookings', tokens.resident!, body10, key10)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.json<Created>().booking.id)).size).toBe(1);
    expect(await count()).toBe(before + 2);
    const reused = await post('/bookings', tokens.resident!, { ...body10, durationMinutes: 60 }, key10);
    expect(reused.statusCode).toBe(422);
    expect(reused.json<{ code: string }>().code).toBe('idempotency_key_reused');
  });
});

describe('seeing bookings', () => {
  it('shows a booking to its customer, staff and its workers only', async () => {
    const own = await book(tokens.dispatcher!, garden({ householdId: jansen, startsAt: inDays(14).toISOString() }));
    const other = await book(tokens.dispatcher!, garden({ householdId: yilmaz, startsAt: inDays(14).toISOString() }));
    expect((await get(`/bookings/${own.id}`, tokens.resident!)).statusCode).toBe(200);
    const hidden = await get(`/bookings/${other.id}`, tokens.resident!);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ code: string }>().code).toBe('not_found');
    expect((await get(`/bookings/${own.id}`, tokens.organisation_member!)).statusCode).toBe(404);
    expect((await get(`/bookings/${randomUUID()}`, tokens.dispatcher!)).statusCode).toBe(404);
    expect((await get(`/households/${yilmaz}/bookings`, tokens.resident!)).statusCode).toBe(404);

    // The demo worker sees the job once assigned to it, without any actions.
    const sanne = (await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', ROLE_LOGINS.worker).executeTakeFirstOrThrow()).id;
    expect((await get(`/bookings/${own.id}`, tokens.worker!)).statusCode).toBe(404);
    await assign(ctx.ownerDb, breda, own.id, sanne);
    const seen = await get(`/bookings/${own.id}`, tokens.worker!);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<Booking>()).toMatchObject({ state: 'scheduled', actions: [], assignments: [{ workerId: sanne }] });

    const upcoming = (await get(`/households/${jansen}/bookings?when=upcoming`, tokens.resident!)).json<{ bookings: Booking[] }>();
    expect(upcoming.bookings.map((b) => b.id)).toContain(own.id);
    expect(upcoming.bookings.map((b) => b.id)).not.toContain(other.id);
    const starts = upcoming.bookings.map((b) => b.startsAt!);
    expect(starts).toEqual([...starts].sort());
  });
});

describe('rescheduling and cancelling at the free-change cutoff (24 hours)', () => {
  const at = (start: Date, beforeStart: number) => new Date(start.getTime() - beforeStart);

  it('lets a customer reschedule until 24:00 before the start, not at 23:59; staff until the start', async () => {
    const start = inDays(20);
    const b = await book(tokens.resident!, garden({ startsAt: start.toISOString() }));
    const to = (days: number) => ({ startsAt: inDays(days).toISOString() });
    try {
      clockAt = at(start, DAY - MINUTE);
      const late = await post(`/bookings/${b.id}/reschedule`, tokens.resident!, to(21));
      expect(late.statusCode).toBe(409);
      expect(late.json<{ code: string }>().code).toBe('change_too_late');
      expect((await get(`/bookings/${b.id}`, tokens.resident!)).json<Booking>().actions).toEqual(['cancel']);

      clockAt = at(start, DAY + MINUTE);
      const free = await post(`/bookings/${b.id}/reschedule`, tokens.resident!, to(21));
      expect(free.statusCode, free.body).toBe(200);
      expect(free.json<Booking>().startsAt).toBe(inDays(21).toISOString());

      const start2 = inDays(21);
      clockAt = at(start2, DAY - MINUTE);
      const staff = await post(`/bookings/${b.id}/reschedule`, tokens.dispatcher!, to(22));
      expect(staff.statusCode, staff.body).toBe(200);
      clockAt = new Date(inDays(22).getTime() + MINUTE);
      const started = await post(`/bookings/${b.id}/reschedule`, tokens.dispatcher!, to(23));
      expect(started.statusCode).toBe(409);
    } finally {
      clockAt = null;
    }
    const events = (await get(`/bookings/${b.id}`, tokens.resident!)).json<{ events: { action: string }[] }>().events;
    expect(events.map((e) => e.action)).toEqual(['hold_placed', 'reschedule', 'reschedule']);
  });

  it('keeps assigned workers who are free at the new time and releases the others', async () => {
    const worker = await newWorker(ctx.ownerDb, breda.id);
    const busy = await newWorker(ctx.ownerDb, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
    const single = await book(tokens.dispatcher!, garden({ householdId: jansen, startsAt: inDays(30).toISOString() }));
    await assign(ctx.ownerDb, breda, single.id, worker);
    const moved = await post(`/bookings/${single.id}/reschedule`, tokens.dispatcher!, { startsAt: inDays(31).toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Booking>()).toMatchObject({ state: 'scheduled', startsAt: inDays(31).toISOString(), assignments: [{ workerId: worker }] });
    const events = (await get(`/bookings/${single.id}`, tokens.dispatcher!)).json<{ events: { action: string; to: string }[] }>().events;
    expect(events.slice(-2)).toMatchObject([{ action: 'reschedule', to: 'ready_to_plan' }, { action: 'assign', to: 'scheduled' }]);

    // A team of two whose leader is busy at the new time: the leader is released, the other stays.
    const team = await book(tokens.dispatcher!, garden({ householdId: jansen, startsAt: inDays(32).toISOString(), workersNeeded: 2 }));
    await assign(ctx.ownerDb, breda, team.id, busy, { leads: true });
    await assign(ctx.ownerDb, breda, team.id, worker);
    const elsewhere = await book(tokens.dispatcher!, garden({ householdId: yilmaz, startsAt: inDays(33).toISOString() }));
    await assign(ctx.ownerDb, breda, elsewhere.id, busy);
    const res = await post(`/bookings/${team.id}/reschedule`, tokens.dispatcher!, { startsAt: inDays(33).toISOString() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Booking>()).toMatchObject({ state: 'ready_to_plan', assignments: [{ workerId: worker }] });

    // A new window releases the team.
    const windowed = await post(`/bookings/${single.id}/reschedule`, tokens.dispatcher!, { windowStart: amsterdamDate(inDays(40)), windowEnd: amsterdamDate(inDays(44)) });
    expect(windowed.statusCode, windowed.body).toBe(200);
    expect(windowed.json<Booking>()).toMatchObject({ state: 'ready_to_plan', startsAt: null, assignments: [] });
  });

  it('cancels free at 24:01 before the start, with one hour per worker at 23:59; staff may waive the fee with a reason', async () => {
    const worker = await newWorker(ctx.ownerDb, breda.id);
    const start = inDays(25);
    const make = async (hour: number) => {
      const b = await book(tokens.resident!, garden({ startsAt: inDays(25, hour).toISOString() }));
      await assign(ctx.ownerDb, breda, b.id, worker);
      return b;
    };
    const early = await make(7);
    const late = await make(10);
    const waived = await make(13);
    try {
      clockAt = at(inDays(25, 7), DAY + MINUTE);
      const free = await post(`/bookings/${early.id}/cancel`, tokens.resident!, { reason: 'Op vakantie' }, `c-${randomUUID()}`);
      expect(free.statusCode, free.body).toBe(200);
      expect(free.json()).toMatchObject({ late: false, feeMinutes: 0, releasedMinutes: 120, booking: { state: 'cancelled', assignments: [] } });

      clockAt = at(start, DAY - MINUTE);
      const forbidden = await post(`/bookings/${late.id}/cancel`, tokens.resident!, { reason: 'ziek', waiveFee: true });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json<{ code: string }>().code).toBe('forbidden');
      const key = `c-${randomUUID()}`;
      const charged = await post(`/bookings/${late.id}/cancel`, tokens.resident!, {}, key);
      expect(charged.statusCode, charged.body).toBe(200);
      expect(charged.json()).toMatchObject({ late: true, feeMinutes: 60, releasedMinutes: 60 });
      const again = await post(`/bookings/${late.id}/cancel`, tokens.resident!, {}, key);
      expect(again.body).toBe(charged.body);
      const twice = await post(`/bookings/${late.id}/cancel`, tokens.resident!, {});
      expect(twice.statusCode).toBe(409);
      expect(twice.json<{ code: string }>().code).toBe('booking_action_not_allowed');

      clockAt = at(inDays(25, 13), DAY - MINUTE);
      const noReason = await post(`/bookings/${waived.id}/cancel`, tokens.dispatcher!, { waiveFee: true });
      expect(noReason.statusCode).toBe(422);
      expect(noReason.json<{ code: string }>().code).toBe('fee_waiver_needs_reason');
      const ok = await post(`/bookings/${waived.id}/cancel`, tokens.dispatcher!, { waiveFee: true, reason: 'Klant lag in het ziekenhuis' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ late: true, feeMinutes: 0, releasedMinutes: 120 });
    } finally {
      clockAt = null;
    }
    const past = (await get(`/households/${jansen}/bookings?when=past`, tokens.resident!)).json<{ bookings: Booking[] }>();
    expect(past.bookings.map((b) => b.id)).toEqual(expect.arrayContaining([early.id, late.id, waived.id]));
    const audited = await ctx.ownerDb.selectFrom('audit_log').select('details').where('subject_id', '=', waived.id).where('action', '=', 'booking.cancelled').executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ waived: true, late: true });
  });
});
