import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Messages to people (a warning that cheques expire, later booking confirmations and reminders)
// are written to this outbox in the same transaction as what caused them, and delivered by a
// background worker. The dedupe key makes a job that runs twice write each message once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table outbox (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      household_id uuid,
      organisation_id uuid,
      user_id uuid references users (id),
      kind text not null,
      dedupe_key text not null unique,
      payload jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      attempts integer not null default 0,
      last_error text,
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id)
    )`.execute(db);
  await sql`create index outbox_unsent_idx on outbox (created_at) where sent_at is null`.execute(db);
  await sql`create index outbox_household_idx on outbox (household_id, created_at desc)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists outbox`.execute(db);
}
