// Confirmation and settlement of logged hours through the API (issue 5, docs/api-hours.md
// "Confirmation"): the customer confirms or disputes their own job, staff confirm on their behalf
// and resolve disputes and hours over a cap; settling redeems exactly the confirmed worker-minutes
// (hold first, then the wallet, then owed) and releases the rest of the hold, once, however many
// calls arrive at the same time.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { buy, newWorker, programme, stateOf, type Programme } from '../support/bookings.js';
import { doneBooking, finishedAt, ledgerKinds } from '../support/done-booking.js';
import { expectError, ROLE_LOGINS } from '../support/world.js';

let ctx: TestContext;
let breda: Programme;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
  for (const role of ['dispatcher', 'programme_admin', 'worker', 'organisation_member'] as const) tokens[role] = await ctx.login(ROLE_LOGINS[role]);
}, 60_000);
afterAll(async () => { await ctx?.close(); });

interface Hours {
  bookingId: string; state: string; centsPerWorkerHour: number; heldMinutes: number;
  workers: { workerId: string; name: string; entries: { billableMinutes: number; overCapMinutes: number }[]; billableMinutes: number; overCapMinutes: number; confirmedMinutes: number | null; adjustReason: string | null }[];
  totalBillableMinutes: number; totalCents: number; needsDispatcher: boolean; autoConfirmAt: string | null;
  dispute: null | { reason: string; byName: string | null; at: string };
  statement: null | { redeemedMinutes: number; cents: number; releasedMinutes: number; owedMinutes: number; settledAt: string };
  actions: string[];
}
interface Wallet { balanceMinutes: number; balanceCents: number; heldMinutes: number; owedMinutes: number }

const DAY = 86_400_000;
let day = 0;
/** A past start of its own per job (a fresh worker each time, so only readability needs it). */
const nextStart = () => new Date(Date.UTC(2026, 9, 1 + (day++ % 28), 8, 0));

/** A resident who registered their own household: a wallet no other test touches. */
async function newResident(): Promise<{ token: string; householdId: string; userId: string }> {
  const res = await ctx.app.inject({
    method: 'POST', url: '/auth/register',
    payload: { email: `uren-${randomUUID().slice(0, 8)}@example.nl`, password: 'een-lang-wachtwoord-42', displayName: 'Fam. Uren', street: 'Wisselaan', houseNumber: 3, postcode: '4823 AB', city: 'Breda' },
  });
  expect(res.statusCode, res.body).toBe(201);
  const session = res.json<{ accessToken: string; user: { id: string; household: { id: string } } }>();
  return { token: session.accessToken, householdId: session.user.household.id, userId: session.user.id };
}

const get = (url: string, token: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
const post = (url: string, token: string, payload: object, key?: string) =>
  ctx.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) }, payload });
const hoursOf = async (bookingId: string, token: string) => {
  const res = await get(`/bookings/${bookingId}/hours`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Hours>();
};
const walletOf = async (householdId: string, token: string) => {
  const res = await get(`/households/${householdId}/wallet`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Wallet>();
};

describe('the customer confirms', () => {
  it('redeems exactly the billable minutes from the hold, releases the rest, and the wallet shows it', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 5);
    // 120 minutes held; the worker logs 1:07 → 75 billable at € 10 an hour.
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 120, team: [{ minutes: 67 }] });
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 180, heldMinutes: 120, owedMinutes: 0 });

    const before = await hoursOf(job.bookingId, me.token);
    expect(before).toMatchObject({
      state: 'done', centsPerWorkerHour: 1000, heldMinutes: 120, totalBillableMinutes: 75, totalCents: 1250, needsDispatcher: false,
      dispute: null, statement: null, actions: ['confirm', 'dispute'],
    });
    expect(before.workers).toHaveLength(1);
    expect(before.workers[0]).toMatchObject({ workerId: job.workerIds[0], billableMinutes: 75, overCapMinutes: 0, confirmedMinutes: null, adjustReason: null });
    expect(new Date(before.autoConfirmAt!).getTime()).toBe((await finishedAt(ctx.db, job.bookingId)).getTime() + 5 * DAY);

    const res = await post(`/bookings/${job.bookingId}/confirm-hours`, me.token, {}, `confirm-${randomUUID()}`);
    expect(res.statusCode, res.body).toBe(200);
    const { hours } = res.json<{ hours: Hours }>();
    expect(hours).toMatchObject({ state: 'settled', heldMinutes: 0, autoConfirmAt: null, actions: [] });
    expect(hours.statement).toMatchObject({ redeemedMinutes: 75, cents: 1250, releasedMinutes: 45, owedMinutes: 0 });
    expect(hours.workers[0]).toMatchObject({ confirmedMinutes: 75, adjustReason: null });
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 225, balanceCents: 3750, heldMinutes: 0, owedMinutes: 0 });
    expect(await hoursOf(job.bookingId, me.token)).toEqual(hours);

    const events = await ctx.db.selectFrom('booking_events').select(['action', 'to_state']).where('booking_id', '=', job.bookingId).orderBy('id').execute();
    expect(events.slice(-2)).toEqual([{ action: 'confirm_hours', to_state: 'confirmed' }, { action: 'settle', to_state: 'settled' }]);
    const settled = await ctx.db.selectFrom('booking_hours').select(['worker_id', 'logged_minutes', 'confirmed_minutes', 'confirmed_by', 'set_by', 'reason']).where('booking_id', '=', job.bookingId).execute();
    expect(settled).toEqual([{ worker_id: job.workerIds[0], logged_minutes: 75, confirmed_minutes: 75, confirmed_by: me.userId, set_by: null, reason: null }]);
    // the customer's own action is not an audited staff action
    expect(await ctx.ownerDb.selectFrom('audit_log').select('id').where('subject_id', '=', job.bookingId).execute()).toEqual([]);
  });

  it('settles once when 10 confirmations arrive at the same moment, with the same and with different Idempotency-Keys', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 4);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 120, team: [{ minutes: 50 }, { minutes: 61 }] });
    const shared = `confirm-${randomUUID()}`;
    const calls = Array.from({ length: 10 }, (_, i) => post(`/bookings/${job.bookingId}/confirm-hours`, me.token, {}, i < 5 ? shared : `confirm-${randomUUID()}`));
    const results = await Promise.all(calls);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const statements = results.map((r) => r.json<{ hours: Hours }>().hours.statement);
    for (const s of statements) expect(s).toEqual(statements[0]);
    // 60 + 75 = 135 billable; 240 held → 105 released.
    expect(statements[0]).toMatchObject({ redeemedMinutes: 135, cents: 2250, releasedMinutes: 105, owedMinutes: 0 });
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1, redeem: 1, release: 1 });
    const settles = await ctx.db.selectFrom('booking_events').select('id').where('booking_id', '=', job.bookingId).where('action', '=', 'settle').execute();
    expect(settles).toHaveLength(1);
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 240 - 135, heldMinutes: 0, owedMinutes: 0 });
    // the copies of the shared key were answered from the stored response
    expect(results.slice(0, 5).filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
  });

  it('lets staff confirm on the customer\'s behalf with a note, audited', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 2);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 60 }] });
    const res = await post(`/bookings/${job.bookingId}/confirm-hours`, tokens.dispatcher!, { note: 'Klant belde: klopt' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ hours: Hours }>().hours.statement).toMatchObject({ redeemedMinutes: 60, releasedMinutes: 0 });
    const audited = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'on_behalf_of_household_id', 'details']).where('subject_id', '=', job.bookingId).execute();
    expect(audited).toEqual([{ action: 'booking.hours_confirmed', on_behalf_of_household_id: me.householdId, details: expect.objectContaining({ minutes: 60, note: 'Klant belde: klopt' }) as unknown }]);
    const event = await ctx.db.selectFrom('booking_events').select('reason').where('booking_id', '=', job.bookingId).where('action', '=', 'confirm_hours').executeTakeFirstOrThrow();
    expect(event.reason).toBe('Klant belde: klopt');
  });

  it('owes what a short wallet cannot pay, and the next counter sale pays that first', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 2);
    // 120 held, the wallet empty; the worker logs 3 hours.
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 120, team: [{ minutes: 180 }] });
    const res = await post(`/bookings/${job.bookingId}/confirm-hours`, me.token, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ hours: Hours }>().hours.statement).toMatchObject({ redeemedMinutes: 120, cents: 2000, releasedMinutes: 0, owedMinutes: 60 });
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 0, heldMinutes: 0, owedMinutes: 60 });

    const sale = await post(`/households/${me.householdId}/counter-sales`, tokens.dispatcher!, { cheques: 3, paymentMethod: 'pin' }, `sale-${randomUUID()}`);
    expect(sale.statusCode, sale.body).toBe(201);
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 120, heldMinutes: 0, owedMinutes: 0 });
    expect((await hoursOf(job.bookingId, me.token)).statement).toMatchObject({ redeemedMinutes: 120, owedMinutes: 0 });
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1, redeem: 1, release: 1, settle_debt: 1 });
  });
});

describe('a dispute', () => {
  it('goes to a dispatcher, who sets the minutes per worker with a reason and settles; audited', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 5);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 120, team: [{ minutes: 120 }, { minutes: 110 }] });
    const [lead, second] = job.workerIds as [string, string];

    const disputed = await post(`/bookings/${job.bookingId}/dispute-hours`, me.token, { reason: '  De tweede medewerker was er maar een uur.  ' });
    expect(disputed.statusCode, disputed.body).toBe(200);
    const d = disputed.json<{ hours: Hours }>().hours;
    expect(d).toMatchObject({ state: 'disputed', actions: [], autoConfirmAt: null, dispute: { reason: 'De tweede medewerker was er maar een uur.', byName: 'Fam. Uren' } });
    // disputing twice changes nothing
    const again = await post(`/bookings/${job.bookingId}/dispute-hours`, me.token, { reason: 'Nog een keer gestuurd' });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ hours: Hours }>().hours.dispute?.reason).toBe('De tweede medewerker was er maar een uur.');
    expectError(await post(`/bookings/${job.bookingId}/confirm-hours`, me.token, {}), 409, 'booking_action_not_allowed');
    expect((await hoursOf(job.bookingId, tokens.dispatcher!)).actions).toEqual(['resolve']);

    const reason = 'Met klant en medewerker gebeld: 60 minuten.';
    const res = await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: second, minutes: 60 }], reason }, `resolve-${randomUUID()}`);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json<{ hours: Hours }>().hours;
    // 120 (as logged) + 60 (set) = 180 of the 240 held (2 × 120): 60 released.
    expect(h).toMatchObject({ state: 'settled', statement: { redeemedMinutes: 180, cents: 3000, releasedMinutes: 60, owedMinutes: 0 }, dispute: { reason: 'De tweede medewerker was er maar een uur.' } });
    expect(h.workers.find((w) => w.workerId === lead)).toMatchObject({ billableMinutes: 120, confirmedMinutes: 120, adjustReason: null });
    expect(h.workers.find((w) => w.workerId === second)).toMatchObject({ billableMinutes: 120, confirmedMinutes: 60, adjustReason: reason });
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 300 - 180, heldMinutes: 0 });

    const audited = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'on_behalf_of_household_id', 'details']).where('subject_id', '=', job.bookingId).execute();
    expect(audited).toEqual([{ action: 'booking.hours_resolved', on_behalf_of_household_id: me.householdId, details: expect.objectContaining({ reason, loggedMinutes: 240, minutes: 180 }) as unknown }]);
    const rows = await ctx.db.selectFrom('booking_hours').select(['worker_id', 'confirmed_minutes', 'set_by', 'reason']).where('booking_id', '=', job.bookingId).orderBy('confirmed_minutes').execute();
    const dispatcherId = breda.dispatcherId;
    expect(rows).toEqual([{ worker_id: second, confirmed_minutes: 60, set_by: dispatcherId, reason }, { worker_id: lead, confirmed_minutes: 120, set_by: null, reason: null }]);

    // the same minutes again (a retry without its key): nothing moves; other minutes: settled is final
    const retry = await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: second, minutes: 60 }], reason });
    expect(retry.statusCode, retry.body).toBe(200);
    expectError(await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: second, minutes: 30 }], reason }), 409, 'booking_action_not_allowed');
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1, redeem: 1, release: 1 });
  });

  it('refuses a worker listed twice (400) or without a part in the job (422), leaving the dispute open', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 2);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 60 }] });
    expect((await post(`/bookings/${job.bookingId}/dispute-hours`, me.token, { reason: 'Klopt niet helemaal' })).statusCode).toBe(200);
    const worker = job.workerIds[0]!;
    expectError(await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: worker, minutes: 30 }, { workerId: worker, minutes: 45 }], reason: 'Twee keer genoemd' }), 400, 'hours_worker_listed_twice');
    const stranger = await newWorker(ctx.db, breda.id);
    expectError(await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: stranger, minutes: 30 }], reason: 'Verkeerde medewerker' }), 422, 'hours_worker_unknown');
    expect(await stateOf(ctx.db, job.bookingId)).toBe('disputed');
    expect(await ctx.db.selectFrom('booking_hours').select('worker_id').where('booking_id', '=', job.bookingId).execute()).toEqual([]);
    expect(await ledgerKinds(ctx.db, job.bookingId)).toEqual({ hold: 1 });
  });
});

describe('hours over a benefit worker\'s weekly cap', () => {
  it('are refused for the customer and resolved by a dispatcher', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 3);
    // A cap of one hour a week, a one-hour job, and 90 minutes logged: 30 over the cap.
    const job = await doneBooking(ctx.db, breda, {
      customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 90, spec: { contract: 'benefit', weeklyCapMinutes: 60 } }],
    });
    const seen = await hoursOf(job.bookingId, me.token);
    expect(seen).toMatchObject({ needsDispatcher: true, totalBillableMinutes: 90, actions: ['dispute'] });
    expect(seen.workers[0]).toMatchObject({ overCapMinutes: 30 });
    expectError(await post(`/bookings/${job.bookingId}/confirm-hours`, me.token, {}), 409, 'hours_need_dispatcher');
    expect(await stateOf(ctx.db, job.bookingId)).toBe('done');

    expect((await hoursOf(job.bookingId, tokens.dispatcher!)).actions).toEqual(['confirm', 'dispute', 'resolve']);
    const res = await post(`/bookings/${job.bookingId}/resolve-hours`, tokens.dispatcher!, { workers: [{ workerId: job.workerIds[0]!, minutes: 60 }], reason: 'Boven de uitkeringsgrens: 60 minuten betaald.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ hours: Hours }>().hours).toMatchObject({ state: 'settled', needsDispatcher: false, statement: { redeemedMinutes: 60, releasedMinutes: 0 } });
    const events = await ctx.db.selectFrom('booking_events').select('action').where('booking_id', '=', job.bookingId).orderBy('id').execute();
    expect(events.slice(-2).map((e) => e.action)).toEqual(['confirm_hours', 'settle']);
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 120, heldMinutes: 0 });
  });
});

describe('who may do what', () => {
  it('shows an assigned worker the hours but not the customer\'s money, and nothing to do', async () => {
    const sanne = (await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', ROLE_LOGINS.worker).executeTakeFirstOrThrow()).id;
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 2);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 45, workerId: sanne }] });
    const h = await hoursOf(job.bookingId, tokens.worker!);
    expect(h).toMatchObject({ totalBillableMinutes: 45, centsPerWorkerHour: 0, totalCents: 0, heldMinutes: 0, statement: null, actions: [] });
    expectError(await post(`/bookings/${job.bookingId}/confirm-hours`, tokens.worker!, {}), 403, 'forbidden');
    // another customer's job does not exist for this one
    const other = await newResident();
    expectError(await get(`/bookings/${job.bookingId}/hours`, other.token), 404, 'not_found');
    expectError(await post(`/bookings/${job.bookingId}/confirm-hours`, other.token, {}), 404, 'not_found');
    expectError(await post(`/bookings/${job.bookingId}/dispute-hours`, other.token, { reason: 'Niet mijn klus' }), 404, 'not_found');
    expectError(await post(`/bookings/${job.bookingId}/confirm-hours`, tokens.organisation_member!, {}), 404, 'not_found');
    expectError(await post(`/bookings/${job.bookingId}/resolve-hours`, me.token, { workers: [], reason: 'Ik los het zelf op' }), 403, 'forbidden');
    expect(await stateOf(ctx.db, job.bookingId)).toBe('done');
  });

  it('answers 400 for bad input and 409 in the wrong state, changing nothing', async () => {
    const me = await newResident();
    await buy(ctx.db, breda.id, { householdId: me.householdId }, 4);
    const job = await doneBooking(ctx.db, breda, { customer: { householdId: me.householdId }, startsAt: nextStart(), durationMinutes: 60, team: [{ minutes: 60 }] });
    const url = (action: string) => `/bookings/${job.bookingId}/${action}`;
    expectError(await post(url('confirm-hours'), me.token, { extra: true }), 400, 'validation_failed');
    expectError(await post(url('confirm-hours'), me.token, { note: 'mag niet' }), 403, 'forbidden');
    expectError(await post(url('confirm-hours'), me.token, {}, 'bad key!'), 400, 'validation_failed');
    expectError(await post(url('dispute-hours'), me.token, {}), 400, 'validation_failed');
    expectError(await post(url('dispute-hours'), me.token, { reason: 'kort' }), 400, 'validation_failed');
    expectError(await post(url('dispute-hours'), me.token, { reason: '   ab      ' }), 400, 'validation_failed');
    expectError(await post(url('dispute-hours'), me.token, { reason: 'x'.repeat(1001) }), 400, 'validation_failed');
    for (const workers of [[{ workerId: job.workerIds[0], minutes: -1 }], [{ workerId: job.workerIds[0], minutes: 1.5 }], [{ workerId: 'not-a-uuid', minutes: 60 }], [{ workerId: job.workerIds[0] }], 'all']) {
      expectError(await post(url('resolve-hours'), tokens.dispatcher!, { workers, reason: 'Een goede reden' }), 400, 'validation_failed');
    }
    expectError(await get('/bookings/not-a-uuid/hours', me.token), 400, 'validation_failed');
    // done and not flagged: nothing to resolve
    expectError(await post(url('resolve-hours'), tokens.dispatcher!, { workers: [], reason: 'Niets aan de hand' }), 409, 'booking_action_not_allowed');
    expect(await stateOf(ctx.db, job.bookingId)).toBe('done');

    // one Idempotency-Key, another request: 422
    const key = `confirm-${randomUUID()}`;
    expect((await post(url('confirm-hours'), me.token, {}, key)).statusCode).toBe(200);
    expectError(await post(url('dispute-hours'), me.token, { reason: 'Te laat bedacht' }), 409, 'booking_action_not_allowed');
    expect((await post(url('confirm-hours'), me.token, {})).statusCode).toBe(200);

    // a job that is not done yet
    const scheduled = await post('/bookings', me.token, {
      serviceId: breda.services.tuindienst, place: 'home', startsAt: new Date(Date.now() + 10 * DAY).toISOString(), durationMinutes: 60, workersNeeded: 1,
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    const open = scheduled.json<{ booking: { id: string } }>().booking.id;
    expectError(await post(`/bookings/${open}/confirm-hours`, me.token, {}), 409, 'booking_action_not_allowed');
    expectError(await post(`/bookings/${open}/dispute-hours`, me.token, { reason: 'Nog niet gewerkt' }), 409, 'booking_action_not_allowed');
    expect(await hoursOf(open, me.token)).toMatchObject({ state: 'ready_to_plan', workers: [], totalBillableMinutes: 0, heldMinutes: 60, autoConfirmAt: null, actions: [] });
    expect(await walletOf(me.householdId, me.token)).toMatchObject({ balanceMinutes: 240 - 60 - 60, heldMinutes: 60 });
  });
});
