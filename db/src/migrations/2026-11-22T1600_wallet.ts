import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The voucher wallet as a double-entry ledger in worker-minutes (one dienstencheque = 60 minutes of
// one worker). Every entry names the lot (purchase) its minutes come from, so every redeemed hour
// knows its price. The database itself keeps the rules:
//  - ledger rows are append-only (triggers refuse UPDATE and DELETE, and the API's role has no grant);
//  - every transaction's entries sum to zero in minutes and in cents (checked at commit);
//  - wallets and holds never go below zero per lot: each entry updates a balance row whose CHECK
//    refuses a negative value, so two concurrent spends of the last hour cannot both commit.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type ledger_account_kind as enum (
    'wallet', 'hold', 'redeemed', 'expired', 'refunded', 'source_online', 'source_counter', 'source_invoice')`.execute(db);
  await sql`
    create table ledger_accounts (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      kind ledger_account_kind not null,
      household_id uuid,
      organisation_id uuid,
      -- the booking a hold belongs to (the bookings table arrives with the booking issue)
      booking_id uuid,
      non_negative boolean not null generated always as (kind in ('wallet', 'hold')) stored,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      unique nulls not distinct (programme_id, kind, household_id, organisation_id, booking_id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      check ((kind in ('wallet', 'hold')) = (num_nonnulls(household_id, organisation_id) = 1)),
      check ((kind = 'hold') = (booking_id is not null))
    )`.execute(db);

  await sql`create type cheque_source as enum ('online', 'counter', 'invoice')`.execute(db);
  await sql`
    create table cheque_lots (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      wallet_account_id uuid not null,
      source cheque_source not null,
      category customer_category not null,
      cents_per_hour integer not null check (cents_per_hour >= 0),
      minutes integer not null check (minutes > 0 and minutes % 60 = 0),
      purchased_at timestamptz not null default now(),
      expires_at timestamptz,
      reference text not null,
      unique (programme_id, id),
      foreign key (programme_id, wallet_account_id) references ledger_accounts (programme_id, id)
    )`.execute(db);
  await sql`create index cheque_lots_wallet_idx on cheque_lots (wallet_account_id, expires_at, purchased_at)`.execute(db);

  await sql`
    create table ledger_transactions (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      kind text not null check (kind in ('purchase', 'purchase_undo', 'hold', 'release', 'redeem', 'cancellation_fee', 'refund', 'expire', 'settle_debt')),
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      booking_id uuid,
      actor_user_id uuid references users (id),
      memo text,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      unique (programme_id, idempotency_key)
    )`.execute(db);

  await sql`
    create table ledger_entries (
      id bigserial primary key,
      programme_id uuid not null,
      transaction_id uuid not null,
      account_id uuid not null,
      lot_id uuid not null,
      minutes integer not null check (minutes <> 0),
      cents integer not null,
      foreign key (programme_id, transaction_id) references ledger_transactions (programme_id, id),
      foreign key (programme_id, account_id) references ledger_accounts (programme_id, id),
      foreign key (programme_id, lot_id) references cheque_lots (programme_id, id)
    )`.execute(db);
  await sql`create index ledger_entries_transaction_idx on ledger_entries (transaction_id)`.execute(db);
  await sql`create index ledger_entries_account_idx on ledger_entries (account_id, id)`.execute(db);

  // Derived from the entries by the trigger below, never written directly.
  await sql`
    create table ledger_balances (
      account_id uuid not null references ledger_accounts (id),
      lot_id uuid not null references cheque_lots (id),
      minutes integer not null,
      non_negative boolean not null,
      primary key (account_id, lot_id),
      constraint ledger_balance_not_negative check (not non_negative or minutes >= 0)
    )`.execute(db);

  await sql`
    create function ledger_apply_entry() returns trigger language plpgsql security definer set search_path = public as $$
    declare guarded boolean;
    begin
      select non_negative into guarded from ledger_accounts where id = new.account_id;
      if new.minutes < 0 and guarded then
        -- A debit of a wallet or hold: update in place, so the CHECK sees the new balance. (An
        -- INSERT .. ON CONFLICT would test the CHECK against the negative row it proposes.)
        update ledger_balances set minutes = minutes + new.minutes where account_id = new.account_id and lot_id = new.lot_id;
        if not found then
          raise exception 'account % has no minutes of lot %', new.account_id, new.lot_id
            using errcode = '23514', constraint = 'ledger_balance_not_negative';
        end if;
      else
        insert into ledger_balances (account_id, lot_id, minutes, non_negative)
        values (new.account_id, new.lot_id, new.minutes, guarded)
        on conflict (account_id, lot_id) do update set minutes = ledger_balances.minutes + excluded.minutes;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger ledger_entries_apply after insert on ledger_entries for each row execute function ledger_apply_entry()`.execute(db);

  await sql`
    create function ledger_check_balanced() returns trigger language plpgsql as $$
    declare m bigint; c bigint;
    begin
      select coalesce(sum(minutes), 0), coalesce(sum(cents), 0) into m, c from ledger_entries where transaction_id = new.transaction_id;
      if m <> 0 or c <> 0 then
        raise exception 'ledger transaction % does not balance (% minutes, % cents)', new.transaction_id, m, c using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger ledger_entries_balanced after insert on ledger_entries
    deferrable initially deferred for each row execute function ledger_check_balanced()`.execute(db);

  await sql`
    create function ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the ledger is append-only: % on % is not allowed; correct with a new transaction', tg_op, tg_table_name using errcode = '42501';
    end $$`.execute(db);
  for (const table of ['ledger_entries', 'ledger_transactions', 'cheque_lots']) {
    await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)} for each row execute function ledger_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)} for each statement execute function ledger_append_only()`.execute(db);
  }

  // Minutes a booking still owes because the wallet was short when its hours were confirmed;
  // the next purchase into that wallet settles them first.
  await sql`
    create table wallet_debts (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null,
      wallet_account_id uuid not null,
      booking_id uuid not null,
      minutes integer not null check (minutes > 0),
      settled_minutes integer not null default 0 check (settled_minutes between 0 and minutes),
      created_at timestamptz not null default now(),
      foreign key (programme_id, wallet_account_id) references ledger_accounts (programme_id, id)
    )`.execute(db);
  await sql`create index wallet_debts_open_idx on wallet_debts (wallet_account_id, created_at) where settled_minutes < minutes`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['wallet_debts', 'ledger_balances', 'ledger_entries', 'ledger_transactions', 'cheque_lots', 'ledger_accounts']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists ledger_apply_entry, ledger_check_balanced, ledger_append_only`.execute(db);
  await sql`drop type if exists cheque_source`.execute(db);
  await sql`drop type if exists ledger_account_kind`.execute(db);
}
