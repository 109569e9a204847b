import { sql } from 'kysely';
import type { Executor } from '../database.js';
import type { Owner } from './ledger.js';

/** Read models of a wallet for its owner and staff. */

function ownerFilter(owner: Owner) {
  return owner.householdId ? sql`a.household_id = ${owner.householdId}` : sql`a.organisation_id = ${owner.organisationId ?? null}`;
}

export interface WalletSummary {
  balanceMinutes: number;
  balanceCents: number;
  heldMinutes: number;
  heldCents: number;
  owedMinutes: number;
  lots: {
    id: string;
    source: 'online' | 'counter' | 'invoice';
    category: string;
    centsPerHour: number;
    minutes: number;
    remainingMinutes: number;
    heldMinutes: number;
    purchasedAt: Date;
    expiresAt: Date | null;
    reference: string;
  }[];
}

export async function walletSummary(db: Executor, programmeId: string, owner: Owner): Promise<WalletSummary> {
  const lots = await sql<{
    id: string; source: 'online' | 'counter' | 'invoice'; category: string; cents_per_hour: number; minutes: number;
    remaining: number; held: number; purchased_at: Date; expires_at: Date | null; reference: string;
  }>`
    select l.id, l.source, l.category, l.cents_per_hour, l.minutes, l.purchased_at, l.expires_at, l.reference,
      coalesce(sum(b.minutes) filter (where a.kind = 'wallet'), 0)::int as remaining,
      coalesce(sum(b.minutes) filter (where a.kind = 'hold'), 0)::int as held
    from ledger_accounts a
    join ledger_balances b on b.account_id = a.id
    join cheque_lots l on l.id = b.lot_id
    where a.programme_id = ${programmeId} and a.kind in ('wallet', 'hold') and ${ownerFilter(owner)}
    group by l.id
    order by l.expires_at asc nulls last, l.purchased_at, l.id`.execute(db);
  const owed = await sql<{ owed: number }>`
    select coalesce(sum(d.minutes - d.settled_minutes), 0)::int as owed
    from wallet_debts d join ledger_accounts a on a.id = d.wallet_account_id
    where a.programme_id = ${programmeId} and ${ownerFilter(owner)}`.execute(db);
  const value = (minutes: number, cents: number) => Math.round((minutes * cents) / 60);
  const rows = lots.rows;
  return {
    balanceMinutes: rows.reduce((s, l) => s + l.remaining, 0),
    balanceCents: rows.reduce((s, l) => s + value(l.remaining, l.cents_per_hour), 0),
    heldMinutes: rows.reduce((s, l) => s + l.held, 0),
    heldCents: rows.reduce((s, l) => s + value(l.held, l.cents_per_hour), 0),
    owedMinutes: owed.rows[0]?.owed ?? 0,
    lots: rows.map((l) => ({
      id: l.id, source: l.source, category: l.category, centsPerHour: l.cents_per_hour, minutes: l.minutes,
      remainingMinutes: l.remaining, heldMinutes: l.held, purchasedAt: l.purchased_at, expiresAt: l.expires_at, reference: l.reference,
    })),
  };
}

export interface WalletMovement {
  transactionId: string;
  kind: string;
  at: Date;
  bookingId: string | null;
  memo: string | null;
  /** change of the free balance (wallet) and of the held minutes (holds) */
  walletMinutes: number;
  heldMinutes: number;
  cents: number;
}

/** Every transaction that touched the owner's wallet or holds, newest first. */
/** Where the next page of a history starts: the last movement shown (its time and id). */
export interface HistoryCursor {
  at: Date;
  transactionId: string;
}

/**
 * Every movement of a wallet and its holds, newest first, `limit` at a time. Pass the cursor of
 * the last movement shown to get the ones before it (keyset paging: a movement added meanwhile
 * never shifts a page).
 */
export async function walletHistory(db: Executor, programmeId: string, owner: Owner, page: { limit?: number; before?: HistoryCursor } = {}): Promise<WalletMovement[]> {
  const limit = page.limit ?? 100;
  const before = page.before ? sql`and (t.created_at, t.id) < (${page.before.at}, ${page.before.transactionId}::uuid)` : sql``;
  const result = await sql<{
    id: string; kind: string; created_at: Date; booking_id: string | null; memo: string | null; wallet: number; held: number; cents: number;
  }>`
    select t.id, t.kind, t.created_at, t.booking_id, t.memo,
      coalesce(sum(e.minutes) filter (where a.kind = 'wallet'), 0)::int as wallet,
      coalesce(sum(e.minutes) filter (where a.kind = 'hold'), 0)::int as held,
      coalesce(sum(e.cents) filter (where a.kind = 'wallet'), 0)::int as cents
    from ledger_transactions t
    join ledger_entries e on e.transaction_id = t.id
    join ledger_accounts a on a.id = e.account_id
    where t.programme_id = ${programmeId} and a.kind in ('wallet', 'hold') and ${ownerFilter(owner)} ${before}
    group by t.id
    order by t.created_at desc, t.id desc
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({
    transactionId: r.id, kind: r.kind, at: r.created_at, bookingId: r.booking_id, memo: r.memo, walletMinutes: r.wallet, heldMinutes: r.held, cents: r.cents,
  }));
}

/** Whole cheques bought by a household in a calendar year (for the programme's yearly cap). */
export async function chequesBoughtInYear(db: Executor, programmeId: string, owner: Owner, year: number): Promise<number> {
  const r = await sql<{ minutes: number }>`
    select coalesce(sum(l.minutes), 0)::int as minutes
    from cheque_lots l join ledger_accounts a on a.id = l.wallet_account_id
    where l.programme_id = ${programmeId} and ${ownerFilter(owner)}
      and extract(year from l.purchased_at at time zone 'Europe/Amsterdam') = ${year}
      and not exists (select 1 from counter_sales s where s.lot_id = l.id and s.undone_at is not null)`.execute(db);
  return (r.rows[0]?.minutes ?? 0) / 60;
}
