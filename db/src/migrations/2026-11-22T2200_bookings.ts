import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code. (The booking states and actions
// below are a copy of shared/src/booking-lifecycle.ts as it is today; a test compares the two.)
//
// Workers, bookings and who does which job. The database itself keeps the rules that protect people:
//  - a worker is never in two places at once: an exclusion constraint over the worker's active
//    assignments (`worker_not_double_booked`), so two dispatchers assigning at once cannot both win;
//  - a worker on a benefit never works more than the weekly cap: a constraint trigger that sums the
//    worker's minutes in the ISO week (Europe/Amsterdam) under a per-worker lock (`worker_within_weekly_cap`);
//  - every row points only into its own programme (composite (programme_id, id) foreign keys);
//  - the history of a booking (`booking_events`) is append-only, like the ledger.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // ── Workers ──────────────────────────────────────────────────────────────────────────────────────
  await sql`create type worker_contract as enum ('paid', 'volunteer', 'benefit', 'trainee')`.execute(db);
  await sql`create type skill_level as enum ('learning', 'independent', 'lead')`.execute(db);
  await sql`create type absence_kind as enum ('leave', 'sick')`.execute(db);

  // Lets a foreign key name the role of the user it points at: only a worker's account can be a
  // worker, only staff can coach, and neither account can change role while it is referenced.
  await sql`alter table users add constraint users_programme_id_id_role_key unique (programme_id, id, role)`.execute(db);

  // One row per worker account; the worker's id is the user's id.
  await sql`
    create table workers (
      user_id uuid primary key,
      programme_id uuid not null references programmes (id),
      user_role user_role not null default 'worker' check (user_role = 'worker'),
      contract worker_contract not null,
      weekly_cap_minutes integer check (weekly_cap_minutes between 15 and 3600),
      home_buurt_id uuid,
      coach_id uuid,
      coach_role user_role,
      started_on date not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (programme_id, user_id),
      foreign key (programme_id, user_id, user_role) references users (programme_id, id, role),
      foreign key (programme_id, home_buurt_id) references buurten (programme_id, id),
      foreign key (programme_id, coach_id, coach_role) references users (programme_id, id, role),
      -- A worker who keeps a benefit ("met behoud van uitkering") may work only the hours the
      -- benefit agency allows; everyone else has no cap.
      constraint worker_cap_only_on_benefit check ((contract = 'benefit') = (weekly_cap_minutes is not null)),
      -- (coach_role is not null spelled out: a CHECK that comes out NULL passes, and so would a coach from nowhere)
      constraint worker_coach_is_staff check (
        (coach_id is null and coach_role is null) or (coach_id is not null and coach_role is not null and coach_role in ('dispatcher', 'programme_admin')))
    )`.execute(db);
  await sql`create index workers_programme_idx on workers (programme_id, active)`.execute(db);

  // Skill codes are the services' required_skill values (not a foreign key: several services may share one).
  await sql`
    create table worker_skills (
      programme_id uuid not null,
      worker_id uuid not null,
      skill text not null check (skill ~ '^[a-z0-9-]{2,40}$'),
      level skill_level not null,
      primary key (worker_id, skill),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade
    )`.execute(db);
  await sql`create index worker_skills_skill_idx on worker_skills (programme_id, skill)`.execute(db);

  // Weekly availability in minutes of the local day (Europe/Amsterdam), ISO weekday 1 = Monday.
  await sql`
    create table worker_availability (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null,
      worker_id uuid not null,
      weekday integer not null check (weekday between 1 and 7),
      start_minute integer not null check (start_minute between 0 and 1439),
      end_minute integer not null check (end_minute between 1 and 1440),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade,
      check (start_minute < end_minute),
      constraint worker_availability_no_overlap exclude using gist (worker_id with =, weekday with =, int4range(start_minute, end_minute) with &&)
    )`.execute(db);

  await sql`
    create table worker_absences (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null,
      worker_id uuid not null,
      kind absence_kind not null,
      during tstzrange not null,
      note text check (length(note) <= 500),
      recorded_by uuid,
      recorded_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id) on delete cascade,
      foreign key (programme_id, recorded_by) references users (programme_id, id),
      check (not isempty(during) and lower_inc(during) and not upper_inc(during) and not lower_inf(during) and not upper_inf(during)),
      constraint worker_absences_no_overlap exclude using gist (worker_id with =, during with &&)
    )`.execute(db);

  // ── Bookings ─────────────────────────────────────────────────────────────────────────────────────
  await sql`create type booking_state as enum (
    'requested', 'awaiting_payment', 'ready_to_plan', 'scheduled', 'in_progress', 'done', 'confirmed', 'disputed', 'settled', 'cancelled')`.execute(db);
  await sql`create type booking_action as enum (
    'hold_placed', 'hold_short', 'payment_received', 'assign', 'unassign', 'reschedule', 'check_in', 'finish',
    'confirm_hours', 'dispute', 'resolve_dispute', 'settle', 'cancel')`.execute(db);
  await sql`create type booking_place as enum ('home', 'organisation_location', 'service_point')`.execute(db);

  // A booking at an organisation's location must name a location of that same organisation.
  await sql`alter table organisation_locations add constraint organisation_locations_programme_org_id_key unique (programme_id, organisation_id, id)`.execute(db);

  await sql`
    create table bookings (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      household_id uuid,
      organisation_id uuid,
      service_id uuid not null,
      place booking_place not null,
      location_id uuid,
      -- a fixed start, or a week (at most 7 days, inclusive) within which the dispatcher plans it
      starts_at timestamptz,
      window_start date,
      window_end date,
      duration_minutes integer not null check (duration_minutes between 15 and 720 and duration_minutes % 15 = 0),
      workers_needed integer not null check (workers_needed between 1 and 20),
      notes text not null default '' check (length(notes) <= 2000),
      contact_phone text check (length(contact_phone) between 6 and 32),
      state booking_state not null default 'requested',
      -- the price as quoted when booked; a later tariff never changes it
      tariff_category customer_category not null,
      cents_per_worker_hour integer not null check (cents_per_worker_hour between 0 and 100000),
      created_by uuid not null,
      on_behalf boolean not null default false,
      -- recurring series arrive later; an occurrence names its series
      series_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      foreign key (programme_id, service_id) references services (programme_id, id),
      foreign key (programme_id, organisation_id, location_id) references organisation_locations (programme_id, organisation_id, id),
      foreign key (programme_id, created_by) references users (programme_id, id),
      constraint booking_one_customer check (num_nonnulls(household_id, organisation_id) = 1),
      constraint booking_place_fits_customer check (case place
        when 'home' then household_id is not null and location_id is null
        when 'organisation_location' then organisation_id is not null and location_id is not null
        else location_id is null end),
      constraint booking_fixed_or_flexible check (
        (starts_at is not null and window_start is null and window_end is null)
        or (starts_at is null and window_start is not null and window_end is not null and window_end between window_start and window_start + 6))
    )`.execute(db);
  await sql`create index bookings_starts_idx on bookings (programme_id, starts_at) where starts_at is not null`.execute(db);
  await sql`create index bookings_window_idx on bookings (programme_id, window_start) where window_start is not null`.execute(db);
  await sql`create index bookings_household_idx on bookings (household_id, created_at) where household_id is not null`.execute(db);
  await sql`create index bookings_organisation_idx on bookings (organisation_id, created_at) where organisation_id is not null`.execute(db);
  await sql`create index bookings_awaiting_idx on bookings (programme_id, created_at) where state = 'awaiting_payment'`.execute(db);
  await sql`create index bookings_series_idx on bookings (series_id) where series_id is not null`.execute(db);

  // Every change of a booking's state: who, when, why. Append-only: a wrong step is corrected by a new one.
  await sql`
    create table booking_events (
      id bigserial primary key,
      programme_id uuid not null,
      booking_id uuid not null,
      from_state booking_state not null,
      to_state booking_state not null,
      action booking_action not null,
      actor_user_id uuid,
      reason text check (length(reason) <= 1000),
      details jsonb not null default '{}'::jsonb,
      at timestamptz not null default now(),
      foreign key (programme_id, booking_id) references bookings (programme_id, id),
      foreign key (programme_id, actor_user_id) references users (programme_id, id)
    )`.execute(db);
  await sql`create index booking_events_booking_idx on booking_events (booking_id, id)`.execute(db);

  await sql`
    create function append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed; record a new row instead', tg_table_name, tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`create trigger booking_events_append_only before update or delete on booking_events for each row execute function append_only()`.execute(db);
  await sql`create trigger booking_events_no_truncate before truncate on booking_events for each statement execute function append_only()`.execute(db);

  // ── Assignments ──────────────────────────────────────────────────────────────────────────────────
  // Unassigning keeps the row (released_at): the history shows who was planned, and "worked for
  // this customer before" is read from it. Only active rows (released_at is null) take up time.
  await sql`
    create table booking_assignments (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null,
      booking_id uuid not null,
      worker_id uuid not null,
      during tstzrange not null,
      leads boolean not null default false,
      assigned_by uuid,
      assigned_at timestamptz not null default now(),
      released_at timestamptz,
      released_by uuid,
      release_reason text check (length(release_reason) <= 1000),
      unique (programme_id, id),
      foreign key (programme_id, booking_id) references bookings (programme_id, id),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id),
      foreign key (programme_id, assigned_by) references users (programme_id, id),
      foreign key (programme_id, released_by) references users (programme_id, id),
      check (not isempty(during) and lower_inc(during) and not upper_inc(during) and not lower_inf(during) and not upper_inf(during)),
      -- Half-open ranges: a job ending at 12:00 and the next starting at 12:00 do not overlap.
      constraint worker_not_double_booked exclude using gist (worker_id with =, during with &&) where (released_at is null)
    )`.execute(db);
  await sql`create unique index booking_assignments_once on booking_assignments (booking_id, worker_id) where released_at is null`.execute(db);
  await sql`create unique index booking_assignments_one_lead on booking_assignments (booking_id) where leads and released_at is null`.execute(db);

  // The weekly cap, per ISO week in Amsterdam time (Monday 00:00 to Monday 00:00, 167 or 169 hours
  // in the weeks of the clock changes). An assignment over a week boundary counts in both weeks
  // with its part in each.
  //
  // Why a lock: two transactions that each add 2 hours to a worker with 1 hour left would both
  // see the old sum and both commit. The advisory lock (per worker, held to the end of the
  // transaction) makes them take turns; because every statement of a READ COMMITTED transaction
  // takes a fresh snapshot, the sum below, run after the lock is granted, sees the rows of the
  // transaction that held it before. The API works at READ COMMITTED (PostgreSQL's default).
  await sql`
    create function assignment_within_weekly_cap() returns trigger language plpgsql as $$
    declare
      cap integer;
      week_start timestamp;
      week tstzrange;
      used numeric;
    begin
      if new.released_at is not null then
        return null;
      end if;
      select weekly_cap_minutes into cap from workers where user_id = new.worker_id;
      if cap is null then
        return null;
      end if;
      perform pg_advisory_xact_lock(hashtextextended(new.worker_id::text, 4711));
      week_start := date_trunc('week', lower(new.during) at time zone 'Europe/Amsterdam');
      while (week_start at time zone 'Europe/Amsterdam') < upper(new.during) loop
        week := tstzrange(week_start at time zone 'Europe/Amsterdam', (week_start + interval '7 days') at time zone 'Europe/Amsterdam', '[)');
        select coalesce(sum(extract(epoch from upper(a.during * week) - lower(a.during * week))), 0) / 60 into used
        from booking_assignments a
        where a.worker_id = new.worker_id and a.released_at is null and a.during && week;
        if used > cap then
          raise exception 'worker % would work % minutes in the week of %, over the weekly cap of % minutes', new.worker_id, round(used), week_start::date, cap
            using errcode = '23514', constraint = 'worker_within_weekly_cap', table = 'booking_assignments',
                  detail = json_build_object('capMinutes', cap, 'usedMinutes', round(used), 'weekStart', week_start::date)::text;
        end if;
        week_start := week_start + interval '7 days';
      end loop;
      return null;
    end $$`.execute(db);
  // Not deferrable: it runs at the end of the INSERT/UPDATE, so the caller gets the error there.
  await sql`
    create constraint trigger worker_within_weekly_cap after insert or update of worker_id, during, released_at on booking_assignments
    for each row execute function assignment_within_weekly_cap()`.execute(db);

  // The API's role (see the api_role migration; default privileges gave it these tables) may not
  // rewrite a booking's history, nor delete assignments (they are released, not removed).
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke update, delete, truncate on booking_events from buurtservice_api;
        revoke delete, truncate on booking_assignments, bookings from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api; the triggers still hold';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists booking_assignments, booking_events, bookings, worker_absences, worker_availability, worker_skills, workers`.execute(db);
  await sql`drop function if exists assignment_within_weekly_cap, append_only`.execute(db);
  await sql`alter table organisation_locations drop constraint if exists organisation_locations_programme_org_id_key`.execute(db);
  await sql`alter table users drop constraint if exists users_programme_id_id_role_key`.execute(db);
  for (const type of ['booking_place', 'booking_action', 'booking_state', 'absence_kind', 'skill_level', 'worker_contract']) {
    await sql`drop type if exists ${sql.raw(type)}`.execute(db);
  }
}
