import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Organisations order hours in bulk against an invoice; the cheques arrive when a programme admin
// records the payment. An invoice keeps a copy of both parties' details as they were on the day
// it was issued, so reprinting it years later shows the same document.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type invoice_status as enum ('open', 'paid')`.execute(db);
  await sql`
    create table invoices (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      organisation_id uuid not null,
      number text not null,
      issued_at timestamptz not null default now(),
      due_on date not null,
      description text not null,
      cheques integer not null check (cheques > 0),
      cents_per_hour integer not null check (cents_per_hour >= 0),
      net_cents integer not null check (net_cents = cheques * cents_per_hour),
      vat_rate_percent numeric(5, 2) not null check (vat_rate_percent between 0 and 100),
      vat_cents integer not null check (vat_cents >= 0),
      gross_cents integer not null check (gross_cents = net_cents + vat_cents),
      seller jsonb not null,
      buyer jsonb not null,
      status invoice_status not null default 'open',
      paid_at timestamptz,
      paid_recorded_by uuid references users (id),
      lot_id uuid,
      ordered_by uuid not null references users (id),
      unique (programme_id, id),
      unique (programme_id, number),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      foreign key (programme_id, lot_id) references cheque_lots (programme_id, id),
      check ((status = 'paid') = (paid_at is not null and lot_id is not null))
    )`.execute(db);
  await sql`create index invoices_organisation_idx on invoices (organisation_id, issued_at desc)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists invoices`.execute(db);
  await sql`drop type if exists invoice_status`.execute(db);
}
