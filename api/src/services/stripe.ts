import Stripe from 'stripe';
import { payments, programmes, wallet, type Database, type Tx } from '@buurtservice/db';
import { chequeExpiresAt, resolveSettings } from '@buurtservice/shared';
import type { ApiConfig } from '../config.js';
import { resumeAfterPurchase } from './bookings.js';

/** Stripe clients per secret key: each programme may have its own Stripe account. */
export class StripeClients {
  private readonly clients = new Map<string, Stripe>();
  constructor(private readonly config: ApiConfig) {}

  for(secretKey: string): Stripe {
    let client = this.clients.get(secretKey);
    if (!client) {
      const base = this.config.stripeApiUrl ? new URL(this.config.stripeApiUrl) : null;
      client = new Stripe(secretKey, {
        maxNetworkRetries: base ? 0 : 2,
        telemetry: false,
        timeout: 20_000,
        ...(base ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
      });
      this.clients.set(secretKey, client);
    }
    return client;
  }
}

export type CreditOutcome = 'credited' | 'already_paid' | 'not_paid' | 'closed' | 'unknown_payment';

/**
 * Credits the wallet for a Checkout session that Stripe reports paid. The payment row is locked
 * and the ledger key is the session id, so webhooks delivered many times, in any order, and the
 * reconciliation job together credit exactly once.
 */
export async function creditFromSession(tx: Tx, session: Pick<Stripe.Checkout.Session, 'id' | 'payment_status' | 'status' | 'payment_intent' | 'metadata' | 'client_reference_id'>, programmeId: string): Promise<CreditOutcome> {
  const paymentId = session.client_reference_id ?? session.metadata?.paymentId;
  if (!paymentId) return 'unknown_payment';
  const payment = await payments.lockPayment(tx, paymentId);
  if (!payment || payment.programme_id !== programmeId || (payment.checkout_session_id && payment.checkout_session_id !== session.id)) return 'unknown_payment';
  if (payment.status === 'paid') return 'already_paid';
  if (session.payment_status !== 'paid') {
    if (session.status === 'expired') {
      await payments.markPaymentClosed(tx, payment.id, 'expired');
      return 'closed';
    }
    return 'not_paid';
  }
  const programme = await programmes.getProgramme(tx, payment.programme_id);
  const expiresAt = chequeExpiresAt(resolveSettings(programme.settings), new Date());
  const owner: wallet.Owner = payment.household_id ? { householdId: payment.household_id } : { organisationId: payment.organisation_id! };
  const bought = await wallet.buyCheques(tx, {
    programmeId: payment.programme_id, owner, cheques: payment.cheques, source: 'online', category: payment.category, centsPerHour: payment.cents_per_hour,
    expiresAt, reference: session.id, idempotencyKey: `stripe:${session.id}`, actorUserId: payment.created_by,
  });
  if (bought.replayed) return 'already_paid';
  const intent = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  await payments.markPaymentPaid(tx, payment.id, bought.lotId, intent);
  return 'credited';
}

/**
 * `creditFromSession` in a transaction of its own; once it committed a credit, bookings of the
 * wallet that wait for payment move on (best effort, see resumeAfterPurchase).
 */
export async function creditSession(db: Database, session: Parameters<typeof creditFromSession>[1], programmeId: string, log: { warn(obj: object, msg: string): void }): Promise<CreditOutcome> {
  const outcome = await db.transaction().execute((tx) => creditFromSession(tx, session, programmeId));
  const paymentId = session.client_reference_id ?? session.metadata?.paymentId;
  if (outcome === 'credited' && paymentId) {
    const payment = await payments.findPayment(db, programmeId, paymentId);
    if (payment) {
      const customer: wallet.Owner = payment.household_id ? { householdId: payment.household_id } : { organisationId: payment.organisation_id! };
      await resumeAfterPurchase(db, { programmeId, customer, actorUserId: payment.created_by }, log);
    }
  }
  return outcome;
}

/**
 * Asks Stripe about pending payments that no webhook settled (say the process died between
 * Stripe's confirmation and our commit) and credits the paid ones, once.
 */
export async function reconcilePendingPayments(db: Database, clients: StripeClients, olderThanMinutes: number, log: { warn(obj: object, msg: string): void } = console): Promise<{ checked: number; credited: number }> {
  let checked = 0;
  let credited = 0;
  for (const pending of await payments.stalePending(db, olderThanMinutes)) {
    const provider = await payments.providerFor(db, pending.programme_id);
    if (!provider || !pending.checkout_session_id) continue;
    const session = await clients.for(provider.stripe_secret_key).checkout.sessions.retrieve(pending.checkout_session_id);
    checked += 1;
    const outcome = await creditSession(db, session, pending.programme_id, log);
    if (outcome === 'credited') credited += 1;
  }
  return { checked, credited };
}
