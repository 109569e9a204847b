import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The dispatchers' call list. A message for someone that reached no one (no e-mail address, or
// every try failed) is given up by the delivery worker; a dispatcher phones the person instead and
// ticks it off: who called, when, and a short note.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table outbox
      add column called_at timestamptz,
      add column called_by uuid references users (id),
      add column call_note text check (length(call_note) <= 500),
      add constraint outbox_called_complete check ((called_at is null) = (called_by is null)),
      add constraint outbox_called_after_given_up check (called_at is null or given_up_at is not null)`.execute(db);
  // What the call list reads: given up, not called yet, per programme.
  await sql`create index outbox_call_list_idx on outbox (programme_id, given_up_at) where given_up_at is not null and called_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_call_list_idx`.execute(db);
  await sql`
    alter table outbox
      drop constraint if exists outbox_called_after_given_up,
      drop constraint if exists outbox_called_complete,
      drop column if exists call_note,
      drop column if exists called_by,
      drop column if exists called_at`.execute(db);
}
