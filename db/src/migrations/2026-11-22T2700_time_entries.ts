import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The hours a worker really worked on a job (issue 5). One row per entry a worker sends: checked
// in and out on the phone, or entered afterwards. The entry's id is made ON THE PHONE, so an entry
// that arrives twice (a bad connection, a retry, the offline queue) is stored once: the primary
// key is the idempotency key. The minutes are computed by shared/src/hours.ts when the entry is
// recorded (raw = end − start − break; billable = rounded up to the programme's step, at least
// the minimum) and stored, so a later change of the settings never changes logged hours.
//
// The database keeps the rule that protects the customer's wallet: a worker never logs two
// overlapping times (`time_entry_no_overlap`, half-open ranges like the assignments). That the
// worker is assigned to the booking is checked by the repository (db/src/repositories/time-entries.ts).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type time_entry_source as enum ('check_in_out', 'entered_after')`.execute(db);

  await sql`
    create table time_entries (
      id uuid primary key,
      programme_id uuid not null references programmes (id),
      booking_id uuid not null,
      worker_id uuid not null,
      during tstzrange not null,
      break_minutes integer not null check (break_minutes >= 0),
      raw_minutes integer not null check (raw_minutes between 1 and 1440),
      billable_minutes integer not null,
      source time_entry_source not null,
      -- who sent it: the worker, or staff entering it on the worker's behalf
      recorded_by uuid,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, booking_id) references bookings (programme_id, id),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id),
      foreign key (programme_id, recorded_by) references users (programme_id, id),
      check (not isempty(during) and lower_inc(during) and not upper_inc(during) and not lower_inf(during) and not upper_inf(during)),
      constraint time_entry_minutes_fit check (
        raw_minutes + break_minutes <= extract(epoch from upper(during) - lower(during)) / 60
        and billable_minutes >= raw_minutes),
      constraint time_entry_no_overlap exclude using gist (worker_id with =, during with &&)
    )`.execute(db);
  await sql`create index time_entries_booking_idx on time_entries (booking_id, worker_id)`.execute(db);
  await sql`create index time_entries_programme_during_idx on time_entries using gist (programme_id, during)`.execute(db);

  // The API's role (default privileges of the api_role migration gave it this table) may not
  // delete logged hours: a wrong entry is corrected, with a reason, never removed.
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke delete, truncate on time_entries from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists time_entries`.execute(db);
  await sql`drop type if exists time_entry_source`.execute(db);
}
