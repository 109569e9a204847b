import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// Settling a booking's confirmed hours in the ledger as ONE call instead of some twenty statements
// from the API (every statement is a round trip and a parse and plan in PostgreSQL; PL/pgSQL keeps
// its plans per connection). The rules are the TypeScript's (db/src/wallet/operations.ts
// redeemForBooking with releaseRest, which now calls this): the redemption's idempotency key is
// claimed in ledger_transactions (a second call with it moves nothing and says 'replayed'); the
// minutes come from the booking's hold first (expired lots included: they were held while valid),
// then from the wallet's spendable lots, and what even that cannot pay becomes a debt of the
// booking; with p_release_rest the rest of the hold goes back to the wallet under the key
// `<key>:release`. Spenders of an account serialise on its advisory lock (hashtextextended(account,
// 7019)), the hold before the wallet. Lots are taken in order of expiry, then purchase, then id;
// cents are minutes × cents-per-hour / 60 rounded half up. The balance CHECK and the
// balanced-transaction trigger stay the last word. Runs with the caller's rights (the API role).
//
//   ledger_take_upto(...)           moves at most p_minutes, lot by lot; returns what it moved
//   ledger_redeem_for_booking(...)  the redemption and the release of the rest, with the statement
//
// And the common case of a worker's time entry as one statement (its own transaction), for the same
// reason: time_entry_record_simple(...) (db/src/repositories/worker-day.ts recordEntryAtOnce).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Moves up to p_minutes from one account to another as entries of transaction p_tx (expired lots
  // too when p_include_expired). The caller holds the lock of p_from.
  await sql`
    create function ledger_take_upto(p_programme uuid, p_tx uuid, p_from uuid, p_to uuid, p_minutes integer, p_include_expired boolean,
      out moved_minutes integer, out moved_cents bigint)
    language plpgsql as $$
    declare
      lot record;
      take integer;
      cents bigint;
    begin
      moved_minutes := 0;
      moved_cents := 0;
      if p_minutes <= 0 then
        return;
      end if;
      for lot in
        select b.lot_id, b.minutes, l.cents_per_hour
        from ledger_balances b join cheque_lots l on l.id = b.lot_id
        where b.account_id = p_from and b.minutes > 0 and (p_include_expired or l.expires_at is null or l.expires_at > now())
        order by l.expires_at asc nulls last, l.purchased_at, l.id
      loop
        exit when moved_minutes >= p_minutes;
        take := least(lot.minutes, p_minutes - moved_minutes);
        -- half up: floor(m × c / 60 + 1/2)
        cents := (2::bigint * take * lot.cents_per_hour + 60) / 120;
        insert into ledger_entries (programme_id, transaction_id, account_id, lot_id, minutes, cents)
        values (p_programme, p_tx, p_from, lot.lot_id, -take, -cents), (p_programme, p_tx, p_to, lot.lot_id, take, cents);
        moved_minutes := moved_minutes + take;
        moved_cents := moved_cents + cents;
      end loop;
    end $$`.execute(db);

  // status: 'redeemed' | 'replayed' (the key was used before: nothing moved, the other figures null).
  await sql`
    create function ledger_redeem_for_booking(
      p_programme uuid, p_household uuid, p_organisation uuid, p_booking uuid, p_minutes integer, p_key text, p_release_rest boolean, p_actor uuid)
    returns table (status text, transaction_id uuid, from_hold_minutes integer, from_wallet_minutes integer, owed_minutes integer,
      released_minutes integer, cents bigint)
    language plpgsql as $$
    declare
      tid uuid;
      release_tid uuid;
      wallet uuid;
      hold uuid;
      redeemed uuid;
      hold_minutes integer;
      hold_cents bigint;
      wallet_minutes integer;
      wallet_cents bigint;
      released integer := 0;
      short integer;
    begin
      insert into ledger_transactions (programme_id, kind, idempotency_key, booking_id, actor_user_id)
      values (p_programme, 'redeem', p_key, p_booking, p_actor)
      on conflict (programme_id, idempotency_key) do nothing returning id into tid;
      if tid is null then
        select t.id into tid from ledger_transactions t where t.programme_id = p_programme and t.idempotency_key = p_key;
        return query select 'replayed'::text, tid, null::integer, null::integer, null::integer, null::integer, null::bigint;
        return;
      end if;
      wallet := ledger_account(p_programme, 'wallet', p_household, p_organisation, null);
      hold := ledger_account(p_programme, 'hold', p_household, p_organisation, p_booking);
      redeemed := ledger_account(p_programme, 'redeemed', null, null, null);

      perform pg_advisory_xact_lock(hashtextextended(hold::text, 7019));
      select t.moved_minutes, t.moved_cents into hold_minutes, hold_cents from ledger_take_upto(p_programme, tid, hold, redeemed, p_minutes, true) t;
      wallet_minutes := 0;
      wallet_cents := 0;
      -- the wallet's lock only when something is taken from it: confirmations of one customer's
      -- jobs that the holds cover need not wait for each other until they commit
      if hold_minutes < p_minutes then
        perform pg_advisory_xact_lock(hashtextextended(wallet::text, 7019));
        select t.moved_minutes, t.moved_cents into wallet_minutes, wallet_cents
        from ledger_take_upto(p_programme, tid, wallet, redeemed, p_minutes - hold_minutes, false) t;
      end if;
      short := p_minutes - hold_minutes - wallet_minutes;
      if short > 0 then
        insert into wallet_debts (programme_id, wallet_account_id, booking_id, minutes) values (p_programme, wallet, p_booking, short);
      end if;

      if p_release_rest then
        insert into ledger_transactions (programme_id, kind, idempotency_key, booking_id, actor_user_id)
        values (p_programme, 'release', p_key || ':release', p_booking, p_actor)
        on conflict (programme_id, idempotency_key) do nothing returning id into release_tid;
        if release_tid is not null then
          select t.moved_minutes into released from ledger_take_upto(p_programme, release_tid, hold, wallet, 2147483647, true) t;
        end if;
      end if;
      return query select 'redeemed'::text, tid, hold_minutes, wallet_minutes, short, released, hold_cents + wallet_cents;
    end $$`.execute(db);

  // A worker's new entry in the common case: the booking takes hours, the worker has no weekly cap,
  // no check-in is closed, the entry does not complete the set (nothing changes state) and it is
  // stored (no replay, no overlap). Then it locks the booking, inserts the entry and returns it
  // with the booking's state; in every other case it changes nothing and returns no row, and the
  // caller takes the full path (db/src/repositories/worker-day.ts recordEntry), which decides.
  await sql`
    create function time_entry_record_simple(
      p_programme uuid, p_id uuid, p_booking uuid, p_worker uuid, p_starts timestamptz, p_ends timestamptz, p_break integer,
      p_raw integer, p_billable integer, p_source time_entry_source, p_recorded_by uuid)
    returns table (booking_state booking_state, id uuid, programme_id uuid, booking_id uuid, worker_id uuid, break_minutes integer,
      raw_minutes integer, billable_minutes integer, over_cap_minutes integer, source time_entry_source, check_in_id uuid, recorded_by uuid,
      created_at timestamptz, starts_at timestamptz, ends_at timestamptz)
    language plpgsql as $$
    #variable_conflict use_column
    declare
      v_state booking_state;
      entry time_entries;
    begin
      select b.state into v_state from bookings b where b.programme_id = p_programme and b.id = p_booking for update;
      if v_state is null or v_state not in ('scheduled', 'in_progress', 'done') then
        return;
      end if;
      if exists (select 1 from workers w where w.programme_id = p_programme and w.user_id = p_worker and w.weekly_cap_minutes is not null) then
        return;
      end if;
      -- would this entry complete the set (every active assignment logged, nobody checked in)?
      if v_state <> 'done' and not exists (
        select 1 from booking_assignments a
        where a.booking_id = p_booking and a.released_at is null and (
          (a.worker_id <> p_worker and not exists (select 1 from time_entries t where t.booking_id = a.booking_id and t.worker_id = a.worker_id))
          or exists (select 1 from time_check_ins c where c.booking_id = a.booking_id and c.worker_id = a.worker_id and c.closed_at is null))) then
        return;
      end if;
      insert into time_entries as t (id, programme_id, booking_id, worker_id, during, break_minutes, raw_minutes, billable_minutes, over_cap_minutes,
        source, check_in_id, recorded_by)
      select p_id, a.programme_id, a.booking_id, a.worker_id, tstzrange(p_starts, p_ends, '[)'), p_break, p_raw, p_billable, 0, p_source, null, p_recorded_by
      from booking_assignments a
      where a.programme_id = p_programme and a.booking_id = p_booking and a.worker_id = p_worker and a.released_at is null
      limit 1
      on conflict do nothing
      returning t.* into entry;
      if entry.id is null then
        return;
      end if;
      return query select v_state, entry.id, entry.programme_id, entry.booking_id, entry.worker_id, entry.break_minutes, entry.raw_minutes,
        entry.billable_minutes, entry.over_cap_minutes, entry.source, entry.check_in_id, entry.recorded_by, entry.created_at,
        lower(entry.during), upper(entry.during);
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists time_entry_record_simple, ledger_redeem_for_booking, ledger_take_upto`.execute(db);
}
