import { sql, type Insertable } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { ChequeRefunds, OnlinePayments } from '../schema.js';

export async function providerFor(db: Executor, programmeId: string) {
  return db.selectFrom('payment_providers').selectAll().where('programme_id', '=', programmeId).executeTakeFirst();
}

export async function setProvider(db: Executor, programmeId: string, secretKey: string, webhookSecret: string, userId: string) {
  await db
    .insertInto('payment_providers')
    .values({ programme_id: programmeId, stripe_secret_key: secretKey, stripe_webhook_secret: webhookSecret, updated_by: userId })
    .onConflict((oc) => oc.column('programme_id').doUpdateSet({ stripe_secret_key: secretKey, stripe_webhook_secret: webhookSecret, updated_by: userId, updated_at: sql`now()` }))
    .execute();
}

export async function insertPayment(tx: Tx, payment: Insertable<OnlinePayments>) {
  return tx.insertInto('online_payments').values(payment).returningAll().executeTakeFirstOrThrow();
}

export async function findPayment(db: Executor, programmeId: string, paymentId: string) {
  return db.selectFrom('online_payments').selectAll().where('programme_id', '=', programmeId).where('id', '=', paymentId).executeTakeFirst();
}

/** The payment row, locked: crediting and status changes of one payment happen one at a time. */
export async function lockPayment(tx: Tx, paymentId: string) {
  return tx.selectFrom('online_payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirst();
}

export async function attachSession(tx: Tx, paymentId: string, sessionId: string, url: string | null) {
  await tx.updateTable('online_payments').set({ checkout_session_id: sessionId, checkout_url: url }).where('id', '=', paymentId).execute();
}

export async function markPaymentPaid(tx: Tx, paymentId: string, lotId: string, paymentIntentId: string | null) {
  await tx.updateTable('online_payments').set({ status: 'paid', lot_id: lotId, payment_intent_id: paymentIntentId, settled_at: sql`now()` }).where('id', '=', paymentId).execute();
}

export async function markPaymentClosed(tx: Tx, paymentId: string, status: 'failed' | 'expired') {
  await tx.updateTable('online_payments').set({ status, settled_at: sql`now()` }).where('id', '=', paymentId).where('status', '=', 'pending').execute();
}

/** Pending payments older than `minutes` that have a Checkout session: candidates for reconciliation. */
export async function stalePending(db: Executor, minutes: number) {
  return db
    .selectFrom('online_payments')
    .select(['id', 'programme_id', 'checkout_session_id'])
    .where('status', '=', 'pending')
    .where('checkout_session_id', 'is not', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .orderBy('created_at')
    .limit(500)
    .execute();
}

export async function paymentForLot(db: Executor, programmeId: string, lotId: string) {
  return db.selectFrom('online_payments').selectAll().where('programme_id', '=', programmeId).where('lot_id', '=', lotId).executeTakeFirst();
}

export async function insertRefund(tx: Tx, refund: Insertable<ChequeRefunds>) {
  return tx.insertInto('cheque_refunds').values(refund).returningAll().executeTakeFirstOrThrow();
}
