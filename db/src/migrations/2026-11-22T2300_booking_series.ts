import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// Recurring jobs ("every other Tuesday at 10:00"). A series keeps what every occurrence shares and
// its RFC 5545 rule; each occurrence is an ordinary booking (with its own hold) that names its
// series, created over a rolling horizon by a daily job. The database keeps:
//  - a series points only into its own programme, like every other table (composite foreign keys),
//    and an occurrence only at a series of its own programme;
//  - an occurrence is created once: `occurrence_at` is the instant the rule gave it (set from its
//    first start when inserted, kept when the booking is moved), unique per series, so neither a
//    second run of the job nor a moved occurrence brings it back;
//  - the API role may not delete a series (it is ended, not removed).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type series_frequency as enum ('weekly', 'every_2_weeks', 'every_4_weeks')`.execute(db);

  await sql`
    create table booking_series (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      household_id uuid,
      organisation_id uuid,
      service_id uuid not null,
      place booking_place not null,
      location_id uuid,
      -- the wall-clock time of every occurrence in Europe/Amsterdam (the rule has it too)
      local_start_time time not null,
      duration_minutes integer not null check (duration_minutes between 15 and 720 and duration_minutes % 15 = 0),
      workers_needed integer not null check (workers_needed between 1 and 20),
      notes text not null default '' check (length(notes) <= 2000),
      contact_phone text check (length(contact_phone) between 6 and 32),
      frequency series_frequency not null,
      -- 'DTSTART;TZID=Europe/Amsterdam:…' and 'RRULE:FREQ=WEEKLY;INTERVAL=…' (shared/src/recurrence.ts)
      rule text not null check (length(rule) between 20 and 500),
      first_starts_at timestamptz not null,
      -- the last local date an occurrence may fall on, or open-ended
      until_date date,
      -- the occurrences that start before this instant exist (the job moves it on)
      generated_until timestamptz not null,
      -- set when the rest of the series was cancelled: no new occurrences after it
      ended_at timestamptz,
      ended_by uuid,
      -- the tariff as quoted when the series was booked; every occurrence is priced at it
      tariff_category customer_category not null,
      cents_per_worker_hour integer not null check (cents_per_worker_hour between 0 and 100000),
      created_by uuid not null,
      on_behalf boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      foreign key (programme_id, service_id) references services (programme_id, id),
      foreign key (programme_id, organisation_id, location_id) references organisation_locations (programme_id, organisation_id, id),
      foreign key (programme_id, created_by) references users (programme_id, id),
      foreign key (programme_id, ended_by) references users (programme_id, id),
      constraint series_one_customer check (num_nonnulls(household_id, organisation_id) = 1),
      constraint series_place_fits_customer check (case place
        when 'home' then household_id is not null and location_id is null
        when 'organisation_location' then organisation_id is not null and location_id is not null
        else location_id is null end),
      constraint series_until_after_start check (until_date is null or until_date >= (first_starts_at at time zone 'Europe/Amsterdam')::date),
      constraint series_generated_from_start check (generated_until >= first_starts_at)
    )`.execute(db);
  await sql`create index booking_series_household_idx on booking_series (household_id) where household_id is not null`.execute(db);
  await sql`create index booking_series_organisation_idx on booking_series (organisation_id) where organisation_id is not null`.execute(db);
  // the daily job's list: live series whose horizon lags
  await sql`create index booking_series_live_idx on booking_series (generated_until) where ended_at is null`.execute(db);

  await sql`alter table bookings add column occurrence_at timestamptz`.execute(db);
  await sql`
    alter table bookings
      add constraint bookings_series_fkey foreign key (programme_id, series_id) references booking_series (programme_id, id),
      add constraint booking_occurrence_in_series check (series_id is not null or occurrence_at is null),
      add constraint booking_series_has_occurrence check (series_id is null or occurrence_at is not null)`.execute(db);
  // The occurrence a booking stands for: its first start. A later reschedule changes starts_at only.
  await sql`
    create function booking_occurrence_from_start() returns trigger language plpgsql as $$
    begin
      if new.series_id is not null and new.occurrence_at is null then
        new.occurrence_at := new.starts_at;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger booking_occurrence_from_start before insert on bookings for each row execute function booking_occurrence_from_start()`.execute(db);
  await sql`create unique index bookings_series_occurrence_once on bookings (series_id, occurrence_at) where series_id is not null`.execute(db);

  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke delete, truncate on booking_series from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists bookings_series_occurrence_once`.execute(db);
  await sql`drop trigger if exists booking_occurrence_from_start on bookings`.execute(db);
  await sql`drop function if exists booking_occurrence_from_start`.execute(db);
  await sql`
    alter table bookings
      drop constraint if exists bookings_series_fkey,
      drop constraint if exists booking_occurrence_in_series,
      drop constraint if exists booking_series_has_occurrence,
      drop column if exists occurrence_at`.execute(db);
  await sql`drop table if exists booking_series`.execute(db);
  await sql`drop type if exists series_frequency`.execute(db);
}
