import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// What the outbox's delivery worker needs to hand every message out at least once and, as far as
// e-mail allows, once only (see api/src/jobs/notification-jobs.ts for the whole argument):
//  - claimed_at / claim_token: a worker claims a row and commits BEFORE it sends; a claim older
//    than the lease is taken to have died with its process, and the row is tried again;
//  - next_attempt_at: a failed send waits (exponential backoff) before the next try;
//  - given_up_at: after too many tries, or when no one can receive it, the row stops being tried
//    and stays visible with its last_error.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table outbox
      add column claimed_at timestamptz,
      add column claim_token uuid,
      add column next_attempt_at timestamptz not null default now(),
      add column given_up_at timestamptz,
      add constraint outbox_claim_complete check ((claimed_at is null) = (claim_token is null))`.execute(db);
  // What the worker scans: rows still to deliver, the longest-waiting first.
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where sent_at is null and given_up_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_due_idx`.execute(db);
  await sql`
    alter table outbox
      drop constraint if exists outbox_claim_complete,
      drop column if exists given_up_at,
      drop column if exists next_attempt_at,
      drop column if exists claim_token,
      drop column if exists claimed_at`.execute(db);
}
