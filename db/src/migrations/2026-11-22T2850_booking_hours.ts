import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// What was settled for a booking, per worker (issue 5): the minutes the worker logged, the minutes
// that were confirmed and redeemed, and who confirmed them. Written once, in the same transaction
// as the `confirm_hours`/`resolve_dispute` and `settle` events and the wallet's redemption, so a
// booking is never settled without this record nor recorded without being settled.
//  - `confirmed_by` null = confirmed automatically after the programme's autoConfirmDays;
//  - `set_by` and `reason` are filled when a dispatcher set the minutes (a dispute, or hours over a cap).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_hours (
      programme_id uuid not null references programmes (id),
      booking_id uuid not null,
      worker_id uuid not null,
      logged_minutes integer not null check (logged_minutes >= 0),
      confirmed_minutes integer not null check (confirmed_minutes >= 0),
      reason text check (reason is null or char_length(reason) between 1 and 1000),
      set_by uuid,
      confirmed_by uuid,
      confirmed_at timestamptz not null default now(),
      primary key (booking_id, worker_id),
      foreign key (programme_id, booking_id) references bookings (programme_id, id),
      foreign key (programme_id, worker_id) references workers (programme_id, user_id),
      foreign key (programme_id, set_by) references users (programme_id, id),
      foreign key (programme_id, confirmed_by) references users (programme_id, id),
      -- minutes set by a dispatcher always carry the reason
      constraint booking_hours_set_with_reason check ((set_by is null) = (reason is null))
    )`.execute(db);

  // Settled hours are part of the customer's statement: the API's role may not remove them.
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke delete, truncate on booking_hours from buurtservice_api;
      end if;
    exception when insufficient_privilege then
      raise notice 'cannot revoke from buurtservice_api';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists booking_hours`.execute(db);
}
