import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { FakeStripe } from '../support/fake-stripe.js';

const SECRET_KEY = 'sk_test_0123456789abcdefghij';
const WEBHOOK_SECRET = 'whsec_0123456789abcdefghij';

let ctx: TestContext;
let stripeFake: FakeStripe;
let resident: string;
let admin: string;
let householdId: string;
let programmeId: string;
const sdk = new Stripe(SECRET_KEY);

beforeAll(async () => {
  stripeFake = new FakeStripe();
  await stripeFake.start();
  ctx = await createTestContext({ stripeApiUrl: stripeFake.url, publicWebUrl: 'http://localhost:5173' });
  resident = await ctx.login('bewoner@example.nl');
  admin = await ctx.login('beheer@example.nl');
  const user = await ctx.db.selectFrom('users').select(['household_id', 'programme_id']).where('email', '=', 'bewoner@example.nl').executeTakeFirstOrThrow();
  householdId = user.household_id!;
  programmeId = user.programme_id;
});
afterAll(async () => {
  await ctx?.close();
  await stripeFake?.stop();
});

type Payment = { id: string; status: string; cheques: number; amountCents: number; checkoutUrl: string | null };
const balance = async () => (await ctx.app.inject({ method: 'GET', url: `/households/${householdId}/wallet`, headers: bearer(resident) })).json<{ balanceMinutes: number; lots: { id: string; source: string }[] }>();
const checkout = (cheques: number) => ctx.app.inject({ method: 'POST', url: `/households/${householdId}/checkout`, headers: bearer(resident), payload: { cheques } });
const deliver = (payload: string, signature = sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })) =>
  ctx.app.inject({ method: 'POST', url: `/webhooks/stripe/${programmeId}`, headers: { 'content-type': 'application/json', 'stripe-signature': signature }, payload });
const sessionOf = (paymentId: string) => [...stripeFake.sessions.values()].find((s) => s.client_reference_id === paymentId)!;

describe('buying cheques online', () => {
  it('is hidden without Stripe keys and says where to buy instead', async () => {
    const options = (await ctx.app.inject({ method: 'GET', url: '/payment-options', headers: bearer(resident) })).json<{ online: boolean; servicePoint: string }>();
    expect(options.online).toBe(false);
    expect(options.servicePoint).toContain('Wisselaan');
    const res = await checkout(5);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'online_payment_unavailable' });
  });

  it('starts a Stripe Checkout at the buyer\'s tariff with iDEAL and card', async () => {
    const set = await ctx.app.inject({ method: 'PUT', url: '/programme/payment-settings', headers: bearer(admin), payload: { stripeSecretKey: SECRET_KEY, stripeWebhookSecret: WEBHOOK_SECRET } });
    expect(set.statusCode).toBe(200);
    const res = await checkout(5);
    expect(res.statusCode).toBe(201);
    const payment = res.json<Payment>();
    expect(payment).toMatchObject({ status: 'pending', cheques: 5, amountCents: 5000 });
    const session = sessionOf(payment.id);
    expect(payment.checkoutUrl).toBe(session.url);
    expect(session.line_items_received).toEqual([{ quantity: 5, unit_amount: 1000 }]);
    expect(session.allowed_payment_method_types).toEqual(['ideal', 'card']);
    expect(stripeFake.requests.at(-1)?.idempotencyKey).toBe(`checkout:${payment.id}`);
  });

  it('is not offered to organisations: they order on invoice, with VAT', async () => {
    const member = await ctx.login('organisatie@example.nl');
    const options = (await ctx.app.inject({ method: 'GET', url: '/payment-options', headers: bearer(member) })).json<{ online: boolean }>();
    expect(options.online).toBe(false);
    const residentOptions = (await ctx.app.inject({ method: 'GET', url: '/payment-options', headers: bearer(resident) })).json<{ online: boolean }>();
    expect(residentOptions.online).toBe(true);
    const organisation = await ctx.db.selectFrom('users').select('organisation_id').where('email', '=', 'organisatie@example.nl').executeTakeFirstOrThrow();
    const res = await ctx.app.inject({ method: 'POST', url: `/organisations/${organisation.organisation_id!}/checkout`, headers: bearer(member), payload: { cheques: 5 } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route_not_found' });
  });

  it('credits once when each event arrives five times, in shuffled order and all at once', async () => {
    const before = (await balance()).balanceMinutes;
    const payment = (await checkout(3)).json<Payment>();
    const paid = stripeFake.pay(sessionOf(payment.id).id);
    const events = [
      stripeFake.event('checkout.session.completed', paid),
      stripeFake.event('checkout.session.async_payment_succeeded', paid),
      stripeFake.event('checkout.session.expired', { ...paid, status: 'expired', payment_status: 'unpaid' }),
    ];
    const deliveries = events.flatMap((e) => Array.from({ length: 5 }, () => e)).sort(() => Math.random() - 0.5);
    const responses = await Promise.all(deliveries.map((e) => deliver(e)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    expect(responses.filter((r) => r.json<{ outcome: string }>().outcome === 'credited')).toHaveLength(1);
    expect((await balance()).balanceMinutes).toBe(before + 180);
    const state = (await ctx.app.inject({ method: 'GET', url: `/payments/${payment.id}`, headers: bearer(resident) })).json<Payment>();
    expect(state).toMatchObject({ status: 'paid', checkoutUrl: null });
  });

  it('refuses a tampered payload and a signature older than five minutes with 400, crediting nothing', async () => {
    const before = (await balance()).balanceMinutes;
    const payment = (await checkout(2)).json<Payment>();
    const paid = stripeFake.pay(sessionOf(payment.id).id);
    const genuine = stripeFake.event('checkout.session.completed', paid);
    const signature = sdk.webhooks.generateTestHeaderString({ payload: genuine, secret: WEBHOOK_SECRET });
    const tampered = await deliver(genuine.replace(payment.id, payment.id.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))), signature);
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json()).toMatchObject({ code: 'webhook_signature_invalid' });
    const stale = sdk.webhooks.generateTestHeaderString({ payload: genuine, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect((await deliver(genuine, stale)).statusCode).toBe(400);
    const wrongSecret = sdk.webhooks.generateTestHeaderString({ payload: genuine, secret: 'whsec_somebodyelse1234' });
    expect((await deliver(genuine, wrongSecret)).statusCode).toBe(400);
    expect((await balance()).balanceMinutes).toBe(before);
    // the genuine event still credits
    expect((await deliver(genuine, signature)).json()).toMatchObject({ outcome: 'credited' });
    expect((await balance()).balanceMinutes).toBe(before + 120);
  });

  it('finds a payment that Stripe confirmed but the wallet never got (the process died), and credits it once', async () => {
    const before = (await balance()).balanceMinutes;
    const payment = (await checkout(4)).json<Payment>();
    const paid = stripeFake.pay(sessionOf(payment.id).id); // paid at Stripe; no webhook ever arrives
    const first = await ctx.app.inject({ method: 'POST', url: '/payments/reconcile', headers: bearer(admin) });
    expect(first.json<{ credited: number }>().credited).toBe(1);
    const second = await ctx.app.inject({ method: 'POST', url: '/payments/reconcile', headers: bearer(admin) });
    expect(second.json<{ credited: number }>().credited).toBe(0);
    // a late webhook changes nothing
    expect((await deliver(stripeFake.event('checkout.session.completed', paid))).json()).toMatchObject({ outcome: 'already_paid' });
    expect((await balance()).balanceMinutes).toBe(before + 240);
  });

  it('shows the honest state on the return page, asking Stripe when still pending', async () => {
    const payment = (await checkout(1)).json<Payment>();
    const pending = await ctx.app.inject({ method: 'GET', url: `/payments/${payment.id}?refresh=true`, headers: bearer(resident) });
    expect(pending.json()).toMatchObject({ status: 'pending' });
    stripeFake.pay(sessionOf(payment.id).id);
    const paid = await ctx.app.inject({ method: 'GET', url: `/payments/${payment.id}?refresh=true`, headers: bearer(resident) });
    expect(paid.json()).toMatchObject({ status: 'paid' });
    const other = await ctx.login('bredapas@example.nl');
    expect((await ctx.app.inject({ method: 'GET', url: `/payments/${payment.id}`, headers: bearer(other) })).statusCode).toBe(404);
  });

  it('refunds unused cheques of an online lot through Stripe at the lot price', async () => {
    const w = await balance();
    const onlineLot = w.lots.find((l) => l.source === 'online')!;
    const res = await ctx.app.inject({ method: 'POST', url: `/lots/${onlineLot.id}/refunds`, headers: bearer(admin), payload: { cheques: 2, reason: 'Verhuisd' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ cheques: 2, cents: 2000, method: 'stripe' });
    expect(stripeFake.refunds.at(-1)).toMatchObject({ amount: 2000 });
    expect((await balance()).balanceMinutes).toBe(w.balanceMinutes - 120);
    const tooMany = await ctx.app.inject({ method: 'POST', url: `/lots/${onlineLot.id}/refunds`, headers: bearer(admin), payload: { cheques: 50, reason: 'te veel' } });
    expect(tooMany.json()).toMatchObject({ code: 'insufficient_balance' });
  });
});
