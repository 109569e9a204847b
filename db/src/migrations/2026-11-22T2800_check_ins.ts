import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The worker's side of logged hours (issue 5, docs/api-hours.md).
//
// A check-in is the tap "I start" on the phone. Its id is made on the phone, like a time entry's,
// so a check-in sent twice is stored once. The entry the worker sends at check-out closes it
// (`closed_by_entry_id`, in the same transaction). A worker has at most one open check-in per job
// (`time_check_ins_one_open`); an open check-in long after the job ended is a missing check-out
// the dispatcher acts on (hence the partial index on open ones).
//
// `time_entries.over_cap_minutes`: the part of an entry's billable minutes beyond a benefit
// worker's weekly cap (ISO week, Amsterdam), computed when the entry is recorded and stored, so a
// later change of the cap never changes what was flagged. A flagged booking is confirmed by a
// dispatcher only. `time_entries.check_in_id`: the check-in the entry closed, if any; one entry
// closes at most one check-in and a check-in is closed by at most one entry.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table time_check_ins (
      id uuid primary key,
      programme_id uuid not null references programmes (id),
      booking_id uuid not null,
      worker_id uuid not null,
      started_at timestamptz not null,
      closed_at timestamptz,
      closed_by_entry_id uuid,
      -- who sent it: the worker, or staff on the worker's behalf
      recorded_by uuid,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, booking_id) references bookings (programme_id, id),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id),
      foreign key (programme_id, recorded_by) references users (programme_id, id),
      foreign key (programme_id, closed_by_entry_id) references time_entries (programme_id, id),
      check (closed_by_entry_id is null or closed_at is not null)
    )`.execute(db);
  await sql`create unique index time_check_ins_one_open on time_check_ins (booking_id, worker_id) where closed_at is null`.execute(db);
  await sql`create index time_check_ins_booking_idx on time_check_ins (booking_id, worker_id)`.execute(db);
  await sql`create index time_check_ins_open_idx on time_check_ins (programme_id, started_at) where closed_at is null`.execute(db);
  await sql`create unique index time_check_ins_closed_by_once on time_check_ins (closed_by_entry_id) where closed_by_entry_id is not null`.execute(db);

  await sql`alter table time_entries add column over_cap_minutes integer not null default 0`.execute(db);
  await sql`alter table time_entries add column check_in_id uuid`.execute(db);
  await sql`
    alter table time_entries
      add constraint time_entry_over_cap_fits check (over_cap_minutes between 0 and billable_minutes),
      add constraint time_entry_check_in_fk foreign key (programme_id, check_in_id) references time_check_ins (programme_id, id)`.execute(db);
  await sql`create unique index time_entries_check_in_once on time_entries (check_in_id) where check_in_id is not null`.execute(db);

  // Like time entries: the API's role may not delete check-ins (they are the worker's record).
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke delete, truncate on time_check_ins from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table time_entries drop constraint if exists time_entry_check_in_fk`.execute(db);
  await sql`drop index if exists time_entries_check_in_once`.execute(db);
  await sql`alter table time_entries drop constraint if exists time_entry_over_cap_fits`.execute(db);
  await sql`alter table time_entries drop column if exists check_in_id`.execute(db);
  await sql`alter table time_entries drop column if exists over_cap_minutes`.execute(db);
  await sql`drop table if exists time_check_ins`.execute(db);
}
