import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The two ledger operations on the hot paths — holding a booking's minutes (every booking) and
// paying minutes straight from a wallet (the counter) — as one function call each, instead of
// eight or nine statements from the API. Same rules as the TypeScript they replace
// (db/src/wallet/operations.ts): the idempotency key is claimed in ledger_transactions; spenders of
// one account serialise on the same advisory lock (hashtextextended(account, 7019)); lots are
// taken in order of expiry, then purchase, then id; expired lots are not spendable; the cents of a
// movement are minutes × cents-per-hour / 60 rounded half up (shared/src/pricing.ts); the balance
// CHECK and the balanced-transaction trigger stay the last word. Both functions run with the
// caller's rights (the API role), so they can do nothing the API role could not do itself.
//
// A short wallet claims nothing: the key stays free, so the same request can succeed once
// cheques are bought (as the savepoint in the TypeScript version gave).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Get-or-create an account without a race: the unique key (nulls not distinct) makes a second insert a no-op.
  await sql`
    create function ledger_account(p_programme uuid, p_kind ledger_account_kind, p_household uuid, p_organisation uuid, p_booking uuid)
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

  // Spendable minutes of an account, the caller holding its lock.
  await sql`
    create function ledger_spendable(p_account uuid) returns integer language sql stable as $$
      select coalesce(sum(b.minutes), 0)::integer
      from ledger_balances b join cheque_lots l on l.id = b.lot_id
      where b.account_id = p_account and b.minutes > 0 and (l.expires_at is null or l.expires_at > now())
    $$`.execute(db);

  // Moves up to p_minutes from one account to another, lot by lot in spending order, as entries of
  // transaction p_tx. Returns the cents moved. The caller holds the lock of p_from.
  await sql`
    create function ledger_take(p_programme uuid, p_tx uuid, p_from uuid, p_to uuid, p_minutes integer)
    returns bigint language plpgsql as $$
    declare
      lot record;
      rest integer := p_minutes;
      take integer;
      cents bigint;
      total bigint := 0;
    begin
      for lot in
        select b.lot_id, b.minutes, l.cents_per_hour
        from ledger_balances b join cheque_lots l on l.id = b.lot_id
        where b.account_id = p_from and b.minutes > 0 and (l.expires_at is null or l.expires_at > now())
        order by l.expires_at asc nulls last, l.purchased_at, l.id
      loop
        exit when rest <= 0;
        take := least(lot.minutes, rest);
        -- half up: floor(m × c / 60 + 1/2)
        cents := (2::bigint * take * lot.cents_per_hour + 60) / 120;
        insert into ledger_entries (programme_id, transaction_id, account_id, lot_id, minutes, cents)
        values (p_programme, p_tx, p_from, lot.lot_id, -take, -cents), (p_programme, p_tx, p_to, lot.lot_id, take, cents);
        rest := rest - take;
        total := total + cents;
      end loop;
      if rest > 0 then
        raise exception 'account % is short of % minutes', p_from, rest using errcode = '23514', constraint = 'ledger_balance_not_negative';
      end if;
      return total;
    end $$`.execute(db);

  // Holds a booking's minutes from the wallet. status: 'held' | 'insufficient' | 'replayed'.
  await sql`
    create function ledger_hold_for_booking(
      p_programme uuid, p_household uuid, p_organisation uuid, p_booking uuid, p_minutes integer, p_key text, p_actor uuid)
    returns table (status text, transaction_id uuid, available_minutes integer) language plpgsql as $$
    declare
      wallet uuid;
      hold uuid;
      tid uuid;
      available integer;
    begin
      select t.id into tid from ledger_transactions t where t.programme_id = p_programme and t.idempotency_key = p_key;
      if tid is not null then
        return query select 'replayed'::text, tid, null::integer;
        return;
      end if;
      wallet := ledger_account(p_programme, 'wallet', p_household, p_organisation, null);
      perform pg_advisory_xact_lock(hashtextextended(wallet::text, 7019));
      available := ledger_spendable(wallet);
      if available < p_minutes then
        return query select 'insufficient'::text, null::uuid, available;
        return;
      end if;
      insert into ledger_transactions (programme_id, kind, idempotency_key, booking_id, actor_user_id)
      values (p_programme, 'hold', p_key, p_booking, p_actor)
      on conflict (programme_id, idempotency_key) do nothing returning id into tid;
      if tid is null then
        -- the same key committed meanwhile by a concurrent call: its work is done
        select t.id into tid from ledger_transactions t where t.programme_id = p_programme and t.idempotency_key = p_key;
        return query select 'replayed'::text, tid, null::integer;
        return;
      end if;
      hold := ledger_account(p_programme, 'hold', p_household, p_organisation, p_booking);
      perform ledger_take(p_programme, tid, wallet, hold, p_minutes);
      return query select 'held'::text, tid, null::integer;
    end $$`.execute(db);

  // Pays minutes from the free balance to the programme (no booking), all or nothing.
  // status: 'redeemed' | 'insufficient' | 'replayed'.
  await sql`
    create function ledger_redeem_from_wallet(
      p_programme uuid, p_household uuid, p_organisation uuid, p_minutes integer, p_key text, p_memo text, p_actor uuid)
    returns table (status text, transaction_id uuid, available_minutes integer, cents bigint) language plpgsql as $$
    declare
      wallet uuid;
      redeemed uuid;
      tid uuid;
      available integer;
    begin
      select t.id into tid from ledger_transactions t where t.programme_id = p_programme and t.idempotency_key = p_key;
      if tid is not null then
        return query select 'replayed'::text, tid, null::integer, null::bigint;
        return;
      end if;
      wallet := ledger_account(p_programme, 'wallet', p_household, p_organisation, null);
      perform pg_advisory_xact_lock(hashtextextended(wallet::text, 7019));
      available := ledger_spendable(wallet);
      if available < p_minutes then
        return query select 'insufficient'::text, null::uuid, available, null::bigint;
        return;
      end if;
      insert into ledger_transactions (programme_id, kind, idempotency_key, actor_user_id, memo)
      values (p_programme, 'redeem', p_key, p_actor, p_memo)
      on conflict (programme_id, idempotency_key) do nothing returning id into tid;
      if tid is null then
        select t.id into tid from ledger_transactions t where t.programme_id = p_programme and t.idempotency_key = p_key;
        return query select 'replayed'::text, tid, null::integer, null::bigint;
        return;
      end if;
      redeemed := ledger_account(p_programme, 'redeemed', null, null, null);
      return query select 'redeemed'::text, tid, null::integer, ledger_take(p_programme, tid, wallet, redeemed, p_minutes);
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists ledger_redeem_from_wallet, ledger_hold_for_booking, ledger_take, ledger_spendable, ledger_account`.execute(db);
}
