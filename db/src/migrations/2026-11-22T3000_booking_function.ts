import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// Making a booking (service rules, hold, booking row, event, messages: five to eight statements) and
// paying at the counter (household check, Idempotency-Key, redemption: four to six statements and a
// transaction), each as ONE call to the database. Why: on a small machine the API's time goes to round trips (every
// statement is a network write and a wake-up on both sides) and PostgreSQL parses and plans every
// statement the API sends, while PL/pgSQL keeps its plans per connection. The rules are the ones
// the TypeScript had (db/src/repositories/bookings.ts createBooking, api/src/idempotency.ts,
// db/src/repositories/notifications.ts for the booking's confirmation); the database's constraints,
// triggers and ledger functions stay the last word. Every function runs with the caller's rights
// (the API role), so it can do nothing the API role could not do itself.
//
//   booking_create(...)      the booking, its hold, its first event and its confirmation messages
//   counter_redeem(...)      POST /households/:id/redemptions: household check, Idempotency-Key
//                            record and the redemption, in one statement (so one transaction)
//
// Errors: a refused booking raises SQLSTATE BSR01 with the rule's code as its message (the
// repository turns it into BookingRuleError); a short wallet at the counter raises 23514 on the
// constraint ledger_balance_not_negative with the available minutes as detail, as the ledger does.
//
// It also makes two helpers of the ledger functions (migration ledger_functions) cheaper, with the
// same results: ledger_spendable becomes PL/pgSQL (a SQL function called from PL/pgSQL is parsed and
// planned again on every call, a fifth of a redemption's time in PostgreSQL), and ledger_account
// finds an account through the accounts' unique key before it tries to insert (an account exists on
// all but its first use; the old lookup read every account of the kind in the programme).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function ledger_spendable(p_account uuid) returns integer language plpgsql stable as $$
    begin
      return (
        select coalesce(sum(b.minutes), 0)::integer
        from ledger_balances b join cheque_lots l on l.id = b.lot_id
        where b.account_id = p_account and b.minutes > 0 and (l.expires_at is null or l.expires_at > now()));
    end $$`.execute(db);

  await sql`
    create function ledger_account_find(p_programme uuid, p_kind ledger_account_kind, p_household uuid, p_organisation uuid, p_booking uuid)
    returns uuid language plpgsql stable as $$
    declare found_id uuid;
    begin
      if p_household is not null and p_booking is null then
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id = p_household and organisation_id is null and booking_id is null;
      elsif p_household is not null then
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id = p_household and organisation_id is null and booking_id = p_booking;
      elsif p_organisation is not null and p_booking is null then
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id is null and organisation_id = p_organisation and booking_id is null;
      elsif p_organisation is not null then
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id is null and organisation_id = p_organisation and booking_id = p_booking;
      else
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id is null and organisation_id is null
          and booking_id is not distinct from p_booking;
      end if;
      return found_id;
    end $$`.execute(db);

  // The lookup names each column with = or IS NULL, so the accounts' unique key is used to the end
  // (IS NOT DISTINCT FROM, which covers both, is not indexable: it read every hold account of the
  // programme, one per booking).
  await sql`
    create or replace function ledger_account(p_programme uuid, p_kind ledger_account_kind, p_household uuid, p_organisation uuid, p_booking uuid)
    returns uuid language plpgsql as $$
    declare found_id uuid;
    begin
      found_id := ledger_account_find(p_programme, p_kind, p_household, p_organisation, p_booking);
      if found_id is not null then
        return found_id;
      end if;
      -- First use: create it without a race (the unique key, nulls not distinct, makes a second insert a no-op).
      insert into ledger_accounts (programme_id, kind, household_id, organisation_id, booking_id)
      values (p_programme, p_kind, p_household, p_organisation, p_booking)
      on conflict do nothing returning id into found_id;
      return coalesce(found_id, ledger_account_find(p_programme, p_kind, p_household, p_organisation, p_booking));
    end $$`.execute(db);

  // The customer's "booking confirmed" messages of a new booking, as notifications.ts writes them
  // (bookingFacts + payloadFor('customer', facts, no team) + toCustomer): one per active customer
  // account, the dedupe key per event and account. The address is normalised as payloadFor does
  // (every run of JavaScript whitespace, \s, becomes one space; then trimmed).
  await sql`
    create function booking_confirmed_messages(p_booking bookings, p_event_id bigint) returns void language plpgsql as $$
    declare
      f record;
      payload jsonb;
    begin
      select s.name_nl, s.name_en, l.name as location_name,
        case p_booking.place when 'home' then h.street when 'organisation_location' then l.street end as street,
        case p_booking.place when 'home' then h.house_number when 'organisation_location' then l.house_number end as house_number,
        case p_booking.place when 'home' then h.house_number_suffix when 'organisation_location' then l.house_number_suffix end as house_number_suffix,
        case p_booking.place when 'home' then h.postcode when 'organisation_location' then l.postcode end as postcode,
        case p_booking.place when 'home' then h.city when 'organisation_location' then l.city end as city
      into f
      from services s
      left join households h on h.id = p_booking.household_id
      left join organisation_locations l on l.id = p_booking.location_id
      where s.id = p_booking.service_id;
      payload := jsonb_build_object(
        'bookingId', p_booking.id,
        'audience', 'customer',
        'service', jsonb_build_object('nl', f.name_nl, 'en', f.name_en),
        'startsAt', to_char(p_booking.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'window', case when p_booking.starts_at is null and p_booking.window_start is not null and p_booking.window_end is not null
          then jsonb_build_object('start', p_booking.window_start, 'end', p_booking.window_end) end,
        'durationMinutes', p_booking.duration_minutes,
        'place', p_booking.place,
        'address', case when f.street is not null then btrim(regexp_replace(
          f.street || ' ' || coalesce(f.house_number::text, '') || coalesce(f.house_number_suffix, '') || ', ' || coalesce(f.postcode, '') || ' ' || coalesce(f.city, ''),
          '[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+', ' ', 'g'), ' ') end,
        'locationName', f.location_name,
        'workers', '[]'::jsonb);
      insert into outbox (programme_id, household_id, organisation_id, user_id, kind, dedupe_key, payload)
      select p_booking.programme_id, p_booking.household_id, p_booking.organisation_id, u.id, 'booking_confirmed',
        'booking:' || p_booking.id || ':event:' || p_event_id || ':' || u.id, payload
      from users u
      where u.programme_id = p_booking.programme_id and u.disabled_at is null
        and case when p_booking.household_id is not null
          then u.household_id = p_booking.household_id and u.role = 'resident'
          else u.organisation_id = p_booking.organisation_id and u.role = 'organisation_member' end
      order by u.id
      on conflict (dedupe_key) do nothing;
    end $$`.execute(db);

  // A new booking in the caller's transaction: the service's rules, then the hold of its
  // worker-minutes from the customer's wallet (ledger_hold_for_booking under p_hold_key), then the
  // booking in the state the hold decided, the event requested → that state (the states come from
  // the lifecycle in shared: p_held_state after hold_placed, p_short_state after hold_short), and
  // when held the confirmation messages. Returns the booking row and the hold's outcome ('held' |
  // 'short', with the available minutes). p_workers is null when the caller's
  // number is not a whole number (refused as out of range).
  await sql`
    create function booking_create(
      p_id uuid, p_programme uuid, p_household uuid, p_organisation uuid, p_service uuid, p_place booking_place, p_location uuid,
      p_starts_at timestamptz, p_window_start date, p_window_end date, p_duration integer, p_workers integer, p_worker_minutes integer,
      p_notes text, p_contact_phone text, p_category customer_category, p_cents_per_worker_hour integer, p_created_by uuid,
      p_on_behalf boolean, p_series uuid, p_hold_key text, p_held_state booking_state, p_short_state booking_state)
    returns table (booking bookings, hold_status text, available_minutes integer) language plpgsql as $$
    declare
      svc record;
      held record;
      b bookings;
      action booking_action;
      details jsonb;
      eid bigint;
    begin
      select s.active, s.location, s.min_workers, s.max_workers into svc from services s where s.programme_id = p_programme and s.id = p_service;
      if not found then
        raise exception using errcode = 'BSR01', message = 'service_not_found';
      end if;
      if not svc.active then
        raise exception using errcode = 'BSR01', message = 'service_inactive';
      end if;
      if p_workers is null or p_workers < svc.min_workers or p_workers > svc.max_workers then
        raise exception using errcode = 'BSR01', message = 'workers_out_of_range';
      end if;
      if not (case when svc.location = 'service_point' then p_place = 'service_point'
                   else (p_place = 'home' and p_household is not null) or (p_place = 'organisation_location' and p_organisation is not null) end) then
        raise exception using errcode = 'BSR01', message = 'place_not_allowed';
      end if;
      if p_window_start is not null and not (p_window_end - p_window_start between 0 and 6) then
        raise exception using errcode = 'BSR01', message = 'window_invalid';
      end if;

      select * into held from ledger_hold_for_booking(p_programme, p_household, p_organisation, p_id, p_worker_minutes, p_hold_key, p_created_by);
      -- A replay cannot happen for a new booking's key; if it did, the minutes are held.
      if held.status = 'insufficient' then
        action := 'hold_short';
        details := jsonb_build_object('neededMinutes', p_worker_minutes, 'availableMinutes', held.available_minutes);
      else
        action := 'hold_placed';
        details := jsonb_build_object('heldMinutes', p_worker_minutes);
      end if;

      insert into bookings (
        id, programme_id, household_id, organisation_id, service_id, place, location_id, starts_at, window_start, window_end,
        duration_minutes, workers_needed, notes, contact_phone, state, tariff_category, cents_per_worker_hour, created_by, on_behalf, series_id)
      values (
        p_id, p_programme, p_household, p_organisation, p_service, p_place, p_location, p_starts_at, p_window_start, p_window_end,
        p_duration, p_workers, p_notes, p_contact_phone,
        case action when 'hold_placed' then p_held_state else p_short_state end,
        p_category, p_cents_per_worker_hour, p_created_by, p_on_behalf, p_series)
      returning * into b;
      insert into booking_events (programme_id, booking_id, from_state, to_state, action, actor_user_id, details)
      values (p_programme, p_id, 'requested', b.state, action, p_created_by, details)
      returning id into eid;
      if action = 'hold_placed' then
        perform booking_confirmed_messages(b, eid);
      end if;
      return query select b, case action when 'hold_placed' then 'held' else 'short' end, held.available_minutes;
    end $$`.execute(db);

  // POST /households/:id/redemptions in one statement. The household must be one of the programme's
  // ('not_found', nothing written). With an Idempotency-Key the key is claimed first, as
  // api/src/idempotency.ts does: a copy that arrives meanwhile waits on the key's primary key until
  // this statement's transaction ends, then finds the stored answer ('replayed') or, if the body
  // differs, 'key_reused'. Then the minutes are paid from the wallet (ledger_redeem_from_wallet, under
  // p_ledger_key) and the answer stored with the key. A short wallet raises (see above): the claim
  // rolls back with everything else, so the same request can succeed once cheques are bought.
  await sql`
    create function counter_redeem(
      p_programme uuid, p_household uuid, p_user uuid, p_minutes integer, p_memo text, p_ledger_key text,
      p_key text, p_method text, p_path text, p_request_hash text)
    returns table (outcome text, status_code integer, response jsonb) language plpgsql as $$
    declare
      stored record;
      r record;
      body jsonb;
    begin
      if not exists (select 1 from households h where h.programme_id = p_programme and h.id = p_household) then
        return query select 'not_found'::text, null::integer, null::jsonb;
        return;
      end if;
      if p_key is not null then
        insert into idempotency_requests (programme_id, user_id, key, method, path, request_hash, status_code, response)
        values (p_programme, p_user, p_key, p_method, p_path, p_request_hash, 0, 'null'::jsonb)
        on conflict do nothing;
        if not found then
          select i.request_hash, i.status_code, i.response into stored
          from idempotency_requests i where i.programme_id = p_programme and i.user_id = p_user and i.key = p_key;
          if stored.request_hash <> p_request_hash then
            return query select 'key_reused'::text, null::integer, null::jsonb;
          else
            return query select 'replayed'::text, stored.status_code, stored.response;
          end if;
          return;
        end if;
      end if;
      select * into r from ledger_redeem_from_wallet(p_programme, p_household, null, p_minutes, p_ledger_key, p_memo, p_user);
      if r.status = 'insufficient' then
        raise exception 'wallet of household % is short: % of % minutes', p_household, r.available_minutes, p_minutes
          using errcode = '23514', constraint = 'ledger_balance_not_negative', detail = r.available_minutes::text;
      elsif r.status = 'replayed' then
        raise exception 'a redemption was replayed without its idempotency row (key %)', p_ledger_key;
      end if;
      body := jsonb_build_object('transactionId', r.transaction_id, 'minutes', p_minutes, 'cents', r.cents);
      if p_key is not null then
        update idempotency_requests i set status_code = 201, response = body
        where i.programme_id = p_programme and i.user_id = p_user and i.key = p_key;
      end if;
      return query select 'done'::text, 201, body;
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists counter_redeem, booking_create, booking_confirmed_messages`.execute(db);
  // ledger_spendable and ledger_account as migration ledger_functions made them
  await sql`
    create or replace function ledger_spendable(p_account uuid) returns integer language sql stable as $$
      select coalesce(sum(b.minutes), 0)::integer
      from ledger_balances b join cheque_lots l on l.id = b.lot_id
      where b.account_id = p_account and b.minutes > 0 and (l.expires_at is null or l.expires_at > now())
    $$`.execute(db);
  await sql`
    create or replace function ledger_account(p_programme uuid, p_kind ledger_account_kind, p_household uuid, p_organisation uuid, p_booking uuid)
    returns uuid language plpgsql as $$
    declare found_id uuid;
    begin
      insert into ledger_accounts (programme_id, kind, household_id, organisation_id, booking_id)
      values (p_programme, p_kind, p_household, p_organisation, p_booking)
      on conflict do nothing returning id into found_id;
      if found_id is null then
        select id into found_id from ledger_accounts
        where programme_id = p_programme and kind = p_kind and household_id is not distinct from p_household
          and organisation_id is not distinct from p_organisation and booking_id is not distinct from p_booking;
      end if;
      return found_id;
    end $$`.execute(db);
  await sql`drop function if exists ledger_account_find`.execute(db);
}
