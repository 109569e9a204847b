import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One row per Idempotency-Key of a user: the first request claims it and stores its response in
  // the same transaction as its work; copies wait for that commit and get the stored response.
  await sql`
    create table idempotency_requests (
      programme_id uuid not null references programmes (id),
      user_id uuid not null references users (id),
      key text not null check (length(key) between 1 and 200),
      method text not null,
      path text not null,
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (programme_id, user_id, key)
    )`.execute(db);

  // Document numbers (receipts, invoices) run per programme, kind and year without gaps: the
  // counter row is updated in the transaction that issues the document, so a rollback gives the
  // number back.
  await sql`
    create table document_counters (
      programme_id uuid not null references programmes (id),
      kind text not null,
      year integer not null,
      last_number integer not null,
      primary key (programme_id, kind, year)
    )`.execute(db);

  await sql`create type counter_payment as enum ('cash', 'pin')`.execute(db);
  await sql`
    create table counter_sales (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      household_id uuid not null,
      lot_id uuid not null,
      receipt_number text not null,
      payment_method counter_payment not null,
      cheques integer not null check (cheques > 0),
      cents integer not null check (cents >= 0),
      sold_by uuid not null references users (id),
      sold_at timestamptz not null default now(),
      undone_at timestamptz,
      undone_by uuid references users (id),
      undo_reason text,
      unique (programme_id, receipt_number),
      unique (lot_id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, lot_id) references cheque_lots (programme_id, id),
      check ((undone_at is null) = (undo_reason is null))
    )`.execute(db);
  await sql`create index counter_sales_household_idx on counter_sales (household_id, sold_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists counter_sales, document_counters, idempotency_requests`.execute(db);
  await sql`drop type if exists counter_payment`.execute(db);
}
