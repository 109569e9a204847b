import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type Stripe from 'stripe';
import { audit, payments, programmes, wallet } from '@buurtservice/db';
import { resolveSettings, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import { IdParams, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf, householdFor } from '../scope.js';
import { purchaseTerms } from '../services/purchase.js';
import { creditSession, reconcilePendingPayments } from '../services/stripe.js';

const PaymentSchema = Obj({
  id: Uuid,
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('failed'), Type.Literal('expired')]),
  cheques: Type.Integer(),
  amountCents: Type.Integer(),
  centsPerHour: Type.Integer(),
  checkoutUrl: Nullable(Type.String()),
  householdId: Nullable(Uuid),
  organisationId: Nullable(Uuid),
});
type PaymentRow = NonNullable<Awaited<ReturnType<typeof payments.findPayment>>>;
const toPayment = (p: PaymentRow) => ({
  id: p.id, status: p.status, cheques: p.cheques, amountCents: p.amount_cents, centsPerHour: p.cents_per_hour,
  checkoutUrl: p.status === 'pending' ? p.checkout_url : null, householdId: p.household_id, organisationId: p.organisation_id,
});

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  app.get('/payment-options', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['payments'], summary: 'Can cheques be bought online here, and where else', security, response: { 200: Obj({ online: Type.Boolean(), servicePoint: Type.String() }) } },
  }, async (request) => {
    const caller = callerOf(request);
    const [provider, programme] = await Promise.all([payments.providerFor(db, caller.programmeId), programmes.getProgramme(db, caller.programmeId)]);
    // Organisations buy hours by order and invoice (with VAT, see invoices.ts), never online:
    // a card payment would leave them without the invoice their bookkeeping needs.
    return { online: Boolean(provider) && caller.role !== 'organisation_member', servicePoint: resolveSettings(programme.settings).servicePointAddress };
  });

  app.put('/programme/payment-settings', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['payments'],
      summary: "Set the programme's Stripe keys (they are never shown again)",
      security,
      body: Obj({ stripeSecretKey: Type.String({ pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$' }), stripeWebhookSecret: Type.String({ pattern: '^whsec_[A-Za-z0-9]{8,}$' }) },
        { examples: [{ stripeSecretKey: 'sk_test_example0123456789', stripeWebhookSecret: 'whsec_example0123456789' }] }),
      response: { 200: Obj({ online: Type.Boolean() }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    await db.transaction().execute(async (tx) => {
      await payments.setProvider(tx, caller.programmeId, request.body.stripeSecretKey, request.body.stripeWebhookSecret, caller.userId);
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'payments.stripe_keys_set', subjectType: 'programme', subjectId: caller.programmeId });
    });
    return { online: true };
  });

  async function startCheckout(request: Parameters<typeof callerOf>[0] & Parameters<typeof idempotent>[1], reply: Parameters<typeof idempotent>[2], caller: Caller, owner: wallet.Owner, cheques: number) {
    const provider = await payments.providerFor(db, caller.programmeId);
    if (!provider) throw appError('online_payment_unavailable');
    return idempotent(db, request, reply, caller, async (tx) => {
      const terms = await purchaseTerms(tx, caller.programmeId, owner, cheques);
      const payment = await payments.insertPayment(tx, {
        programme_id: caller.programmeId, household_id: owner.householdId ?? null, organisation_id: owner.organisationId ?? null, cheques,
        category: terms.category, cents_per_hour: terms.centsPerHour, amount_cents: cheques * terms.centsPerHour, created_by: caller.userId,
      });
      const returnUrl = `${app.config.publicWebUrl.replace(/\/$/, '')}/portemonnee/betaling/${payment.id}`;
      let session: Stripe.Checkout.Session;
      try {
        session = await app.stripe.for(provider.stripe_secret_key).checkout.sessions.create({
          mode: 'payment',
          allowed_payment_method_types: ['ideal', 'card'],
          currency: 'eur',
          locale: 'nl',
          client_reference_id: payment.id,
          metadata: { paymentId: payment.id, programmeId: caller.programmeId },
          line_items: [{ quantity: cheques, price_data: { currency: 'eur', unit_amount: terms.centsPerHour, product_data: { name: 'Dienstencheque (1 uur van 1 medewerker)' } } }],
          success_url: returnUrl,
          cancel_url: `${returnUrl}?geannuleerd=1`,
        }, { idempotencyKey: `checkout:${payment.id}` });
      } catch (err) {
        request.log.warn({ err }, 'stripe checkout failed');
        throw appError('payment_provider_unavailable');
      }
      await payments.attachSession(tx, payment.id, session.id, session.url);
      return { status: 201, body: toPayment({ ...payment, checkout_session_id: session.id, checkout_url: session.url }) };
    });
  }

  const CheckoutBody = Obj({ cheques: Type.Integer({ minimum: 1, maximum: 10000 }) }, { examples: [{ cheques: 5 }] });

  app.post('/households/:householdId/checkout', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: { tags: ['payments'], summary: 'Start buying cheques online (iDEAL | Wero or card); answers with the Stripe Checkout address', security, params: IdParams('householdId'), headers: IdempotencyHeaders, body: CheckoutBody, response: { 201: PaymentSchema } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    return startCheckout(request, reply, caller, { householdId: h.id }, request.body.cheques);
  });

  app.get('/payments/:paymentId', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['payments'],
      summary: "An online payment's state; with refresh=true a pending one is checked with Stripe first",
      security,
      params: IdParams('paymentId'),
      querystring: Obj({ refresh: Type.Optional(Type.Boolean()) }),
      response: { 200: PaymentSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    let payment = await payments.findPayment(db, caller.programmeId, request.params.paymentId);
    const mine = payment && (caller.role === 'resident' ? payment.household_id === caller.householdId : caller.role === 'organisation_member' ? payment.organisation_id === caller.organisationId : true);
    if (!payment || !mine) throw appError('not_found');
    if (request.query.refresh && payment.status === 'pending' && payment.checkout_session_id) {
      const provider = await payments.providerFor(db, caller.programmeId);
      if (provider) {
        try {
          const session = await app.stripe.for(provider.stripe_secret_key).checkout.sessions.retrieve(payment.checkout_session_id);
          await creditSession(db, session, caller.programmeId, request.log);
          payment = (await payments.findPayment(db, caller.programmeId, payment.id))!;
        } catch (err) {
          request.log.warn({ err }, 'could not ask Stripe; showing the stored state');
        }
      }
    }
    return toPayment(payment);
  });

  app.post('/payments/reconcile', {
    config: { access: ['programme_admin'] },
    schema: { tags: ['payments'], summary: 'Ask Stripe about pending payments now (the background job does this every few minutes)', security, response: { 200: Obj({ checked: Type.Integer(), credited: Type.Integer() }) } },
  }, async () => reconcilePendingPayments(db, app.stripe, 0));

  app.post('/lots/:lotId/refunds', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['payments'],
      summary: 'Refund unused whole cheques of a lot at its price: through Stripe for online purchases, in cash otherwise',
      security,
      params: IdParams('lotId'),
      headers: IdempotencyHeaders,
      body: Obj({ cheques: Type.Integer({ minimum: 1, maximum: 10000 }), reason: Type.String({ minLength: 3, maxLength: 500 }) }, { examples: [{ cheques: 2, reason: 'Verhuisd uit de wijk' }] }),
      response: { 201: Obj({ id: Uuid, cheques: Type.Integer(), cents: Type.Integer(), method: Type.Union([Type.Literal('cash'), Type.Literal('stripe')]) }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { cheques, reason } = request.body;
    return idempotent(db, request, reply, caller, async (tx, ledgerKey) => {
      const lot = await tx.selectFrom('cheque_lots').selectAll().where('programme_id', '=', caller.programmeId).where('id', '=', request.params.lotId).executeTakeFirst();
      if (!lot) throw appError('not_found');
      let refund;
      try {
        refund = await wallet.refundCheques(tx, { programmeId: caller.programmeId, lotId: lot.id, cheques, idempotencyKey: ledgerKey, actorUserId: caller.userId, memo: reason });
      } catch (err) {
        if (err instanceof wallet.InsufficientBalanceError) throw appError('insufficient_balance');
        throw err;
      }
      if (refund.replayed) throw new Error('a refund was replayed without its idempotency row');
      let method: 'cash' | 'stripe' = 'cash';
      let stripeRefundId: string | null = null;
      if (lot.source === 'online') {
        const payment = await payments.paymentForLot(tx, caller.programmeId, lot.id);
        const provider = await payments.providerFor(tx, caller.programmeId);
        if (!payment?.payment_intent_id || !provider) throw appError('payment_provider_unavailable');
        try {
          const r = await app.stripe.for(provider.stripe_secret_key).refunds.create({ payment_intent: payment.payment_intent_id, amount: refund.cents, reason: 'requested_by_customer' }, { idempotencyKey: `refund:${ledgerKey}` });
          stripeRefundId = r.id;
          method = 'stripe';
        } catch (err) {
          request.log.warn({ err }, 'stripe refund failed');
          throw appError('payment_provider_unavailable');
        }
      }
      const row = await payments.insertRefund(tx, {
        programme_id: caller.programmeId, lot_id: lot.id, transaction_id: refund.transactionId, cheques, cents: refund.cents, method, stripe_refund_id: stripeRefundId, reason, refunded_by: caller.userId,
      });
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'cheques.refunded', subjectType: 'lot', subjectId: lot.id, details: { cheques, cents: refund.cents, method } });
      return { status: 201, body: { id: row.id, cheques, cents: refund.cents, method } };
    });
  });

  await app.register(stripeWebhook);
};

/** The webhook needs the exact bytes Stripe signed, so this plugin keeps JSON bodies raw. */
async function stripeWebhook(app: FastifyInstance) {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post<{ Params: { programmeId: string } }>('/webhooks/stripe/:programmeId', {
    config: { access: 'public' },
    schema: {
      tags: ['payments'],
      summary: "Stripe's events for a programme (signature checked; each payment credits once)",
      params: IdParams('programmeId'),
      headers: Type.Object({ 'stripe-signature': Type.String({ maxLength: 2000 }) }),
      response: { 200: Obj({ received: Type.Boolean(), outcome: Type.String() }) },
    },
  }, async (request) => {
    const provider = await payments.providerFor(app.db, request.params.programmeId);
    if (!provider) throw appError('not_found');
    let event: Stripe.Event;
    try {
      event = app.stripe.for(provider.stripe_secret_key).webhooks.constructEvent(request.body as Buffer, request.headers['stripe-signature'] as string, provider.stripe_webhook_secret);
    } catch {
      throw appError('webhook_signature_invalid');
    }
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.expired': {
        const session = event.data.object;
        const outcome = await creditSession(app.db, session, request.params.programmeId, request.log);
        request.log.info({ event: event.type, outcome }, 'stripe event handled');
        return { received: true, outcome };
      }
      case 'checkout.session.async_payment_failed': {
        const paymentId = event.data.object.client_reference_id;
        if (paymentId) await app.db.transaction().execute(async (tx) => {
          const p = await payments.lockPayment(tx, paymentId);
          if (p && p.programme_id === request.params.programmeId) await payments.markPaymentClosed(tx, p.id, 'failed');
        });
        return { received: true, outcome: 'failed' };
      }
      default:
        return { received: true, outcome: 'ignored' };
    }
  });
}
