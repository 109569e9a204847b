import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Buying cheques online through Stripe Checkout. The price is frozen when the checkout starts;
// the wallet is credited only from a verified webhook or a reconciliation that asks Stripe,
// and both credit through one idempotency key per Checkout session, so a payment credits once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table payment_providers (
      programme_id uuid primary key references programmes (id),
      stripe_secret_key text not null,
      stripe_webhook_secret text not null,
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create type online_payment_status as enum ('pending', 'paid', 'failed', 'expired')`.execute(db);
  await sql`
    create table online_payments (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      household_id uuid,
      organisation_id uuid,
      cheques integer not null check (cheques > 0),
      category customer_category not null,
      cents_per_hour integer not null check (cents_per_hour >= 0),
      amount_cents integer not null check (amount_cents = cheques * cents_per_hour),
      status online_payment_status not null default 'pending',
      checkout_session_id text unique,
      checkout_url text,
      payment_intent_id text,
      lot_id uuid,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      settled_at timestamptz,
      unique (programme_id, id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      foreign key (programme_id, lot_id) references cheque_lots (programme_id, id),
      check (num_nonnulls(household_id, organisation_id) = 1),
      check ((status = 'paid') = (lot_id is not null))
    )`.execute(db);
  await sql`create index online_payments_pending_idx on online_payments (created_at) where status = 'pending'`.execute(db);

  // Refunds of cheques (cash at the counter, or through Stripe for online lots).
  await sql`
    create table cheque_refunds (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      lot_id uuid not null,
      transaction_id uuid not null,
      cheques integer not null check (cheques > 0),
      cents integer not null check (cents >= 0),
      method text not null check (method in ('cash', 'stripe')),
      stripe_refund_id text,
      reason text not null,
      refunded_by uuid not null references users (id),
      refunded_at timestamptz not null default now(),
      foreign key (programme_id, lot_id) references cheque_lots (programme_id, id),
      foreign key (programme_id, transaction_id) references ledger_transactions (programme_id, id)
    )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists cheque_refunds, online_payments, payment_providers`.execute(db);
  await sql`drop type if exists online_payment_status`.execute(db);
}
