import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The work-experience record (issue 5): what Werk aan de Wijk exists for. Per worker the
// certificates they earned and where they stand in their trajectory, with the outcome categories
// the programme reports on to its steering group (seeds/001: "project volledig afgemaakt",
// "voortijdig gestopt", "uitstroom gesubsidieerde arbeid", "reguliere arbeid in loondienst").
// The hours themselves are not stored here: they are read from the logged time entries.
//
// And the worker's private calendar feed: a random secret in the feed's address, of which only a
// SHA-256 hash is kept, so a copy of the database does not give anyone a working feed. One feed
// per worker; a new one replaces the old (the row's hash changes), revoking deletes the row.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type trajectory_status as enum ('active', 'completed', 'stopped_early', 'subsidised_work', 'regular_work')`.execute(db);
  await sql`alter table workers add column trajectory_status trajectory_status not null default 'active'`.execute(db);

  await sql`
    create table worker_certificates (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null,
      worker_id uuid not null,
      name text not null check (char_length(name) between 1 and 200),
      issued_on date not null,
      issuer text not null check (char_length(issuer) between 1 and 200),
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      -- the same certificate twice is one certificate: a retried request finds the first
      unique (worker_id, name, issued_on, issuer),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade,
      foreign key (programme_id, created_by) references users (programme_id, id)
    )`.execute(db);

  // Every change of the trajectory status, with who and why: the history the coach and the
  // programme's reports read. Append-only (the function of the bookings migration).
  await sql`
    create table worker_trajectory_events (
      id bigserial primary key,
      programme_id uuid not null,
      worker_id uuid not null,
      status trajectory_status not null,
      note text check (note is null or char_length(note) between 1 and 1000),
      actor_user_id uuid,
      at timestamptz not null default now(),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade,
      foreign key (programme_id, actor_user_id) references users (programme_id, id)
    )`.execute(db);
  await sql`create index worker_trajectory_events_worker_idx on worker_trajectory_events (worker_id, id)`.execute(db);
  await sql`create trigger worker_trajectory_events_append_only before update on worker_trajectory_events for each row execute function append_only()`.execute(db);

  await sql`
    create table calendar_feeds (
      worker_id uuid primary key,
      programme_id uuid not null,
      token_hash bytea not null unique check (octet_length(token_hash) = 32),
      created_at timestamptz not null default now(),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade
    )`.execute(db);

  // The API's role (default privileges of the api_role migration gave it these tables) may not
  // rewrite the trajectory's history.
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke update, delete, truncate on worker_trajectory_events from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api; the trigger still holds';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists calendar_feeds, worker_trajectory_events, worker_certificates`.execute(db);
  await sql`alter table workers drop column if exists trajectory_status`.execute(db);
  await sql`drop type if exists trajectory_status`.execute(db);
}
