import { sql } from 'kysely';
import { priceOfWorkerMinutes } from '@buurtservice/shared';
import type { Tx } from '../database.js';
import type { LedgerAccountKind } from '../schema.js';

/**
 * The ledger's building blocks. Every function takes the caller's transaction: a booking, a
 * purchase and their ledger movements commit together or not at all.
 */

export type Owner = { householdId: string; organisationId?: undefined } | { organisationId: string; householdId?: undefined };

export type TransactionKind = 'purchase' | 'purchase_undo' | 'hold' | 'release' | 'redeem' | 'cancellation_fee' | 'refund' | 'expire' | 'settle_debt';

export interface Movement {
  from: string;
  to: string;
  lotId: string;
  minutes: number;
  centsPerHour: number;
}

export interface LotBalance {
  lotId: string;
  minutes: number;
  centsPerHour: number;
}

/** Thrown when a wallet has too few minutes: the database refused to go below zero, or we saw it first. */
export class InsufficientBalanceError extends Error {
  constructor(
    readonly neededMinutes: number,
    readonly availableMinutes: number,
  ) {
    super(`insufficient balance: needed ${neededMinutes} minutes, ${availableMinutes} available`);
  }
}

async function accountId(tx: Tx, programmeId: string, kind: LedgerAccountKind, owner?: Owner, bookingId?: string): Promise<string> {
  const values = {
    programme_id: programmeId,
    kind,
    household_id: owner?.householdId ?? null,
    organisation_id: owner?.organisationId ?? null,
    booking_id: bookingId ?? null,
  };
  // Get-or-create without a race: the unique key (nulls not distinct) makes the second insert a no-op.
  const inserted = await tx.insertInto('ledger_accounts').values(values).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  if (inserted) return inserted.id;
  const found = await tx
    .selectFrom('ledger_accounts')
    .select('id')
    .where('programme_id', '=', programmeId)
    .where('kind', '=', kind)
    .where('household_id', owner?.householdId ? '=' : 'is', owner?.householdId ?? null)
    .where('organisation_id', owner?.organisationId ? '=' : 'is', owner?.organisationId ?? null)
    .where('booking_id', bookingId ? '=' : 'is', bookingId ?? null)
    .executeTakeFirstOrThrow();
  return found.id;
}

export const walletAccount = (tx: Tx, programmeId: string, owner: Owner) => accountId(tx, programmeId, 'wallet', owner);
export const holdAccount = (tx: Tx, programmeId: string, owner: Owner, bookingId: string) => accountId(tx, programmeId, 'hold', owner, bookingId);
export const systemAccount = (tx: Tx, programmeId: string, kind: Exclude<LedgerAccountKind, 'wallet' | 'hold'>) => accountId(tx, programmeId, kind);

/**
 * Serialises the spenders of one account until the end of the transaction. An advisory lock, not
 * SELECT .. FOR UPDATE, because the API's role may not update balance rows (FOR UPDATE needs that
 * privilege); the balance CHECK stays the last word either way.
 */
export async function lockAccount(tx: Tx, account: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${account}::text, 7019))`.execute(tx);
}

/**
 * The positive per-lot balances of an account, locked for this transaction, in spending order:
 * the lot that expires first, then the oldest purchase. Lots already expired are not spendable.
 * Callers lock a booking's hold before its wallet, never the other way round, so concurrent
 * spends queue instead of deadlocking.
 */
export async function lockedLots(tx: Tx, account: string, options: { includeExpired?: boolean } = {}): Promise<LotBalance[]> {
  await lockAccount(tx, account);
  const rows = await tx
    .selectFrom('ledger_balances as b')
    .innerJoin('cheque_lots as l', 'l.id', 'b.lot_id')
    .select(['b.lot_id', 'b.minutes', 'l.cents_per_hour'])
    .where('b.account_id', '=', account)
    .where('b.minutes', '>', 0)
    .$if(!options.includeExpired, (q) => q.where((eb) => eb.or([eb('l.expires_at', 'is', null), eb('l.expires_at', '>', sql<Date>`now()`)])))
    .orderBy(sql`l.expires_at asc nulls last`)
    .orderBy('l.purchased_at')
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({ lotId: r.lot_id, minutes: r.minutes, centsPerHour: r.cents_per_hour }));
}

/** Takes `minutes` from the lots in order; returns the per-lot parts and what could not be taken. */
export function takeFromLots(lots: readonly LotBalance[], minutes: number): { parts: LotBalance[]; short: number } {
  const parts: LotBalance[] = [];
  let rest = minutes;
  for (const lot of lots) {
    if (rest <= 0) break;
    const take = Math.min(lot.minutes, rest);
    if (take > 0) parts.push({ ...lot, minutes: take });
    rest -= take;
  }
  return { parts, short: Math.max(rest, 0) };
}

export interface TransactionHeader {
  programmeId: string;
  kind: TransactionKind;
  idempotencyKey: string;
  bookingId?: string | null;
  actorUserId?: string | null;
  memo?: string | null;
}

/**
 * Claims an idempotency key by inserting the transaction header. Returns null when the key was
 * used before: the work was already done, and the caller returns what it did then. A concurrent
 * claim of the same key waits here until the first one commits or rolls back.
 */
export async function claimTransaction(tx: Tx, header: TransactionHeader): Promise<string | null> {
  const row = await tx
    .insertInto('ledger_transactions')
    .values({
      programme_id: header.programmeId,
      kind: header.kind,
      idempotency_key: header.idempotencyKey,
      booking_id: header.bookingId ?? null,
      actor_user_id: header.actorUserId ?? null,
      memo: header.memo ?? null,
    })
    .onConflict((oc) => oc.columns(['programme_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findTransaction(tx: Tx, programmeId: string, idempotencyKey: string) {
  return tx
    .selectFrom('ledger_transactions')
    .selectAll()
    .where('programme_id', '=', programmeId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

/** Writes the two entries of each movement; minutes and cents of the transaction sum to zero. */
export async function postMovements(tx: Tx, programmeId: string, transactionId: string, movements: readonly Movement[]): Promise<void> {
  const rows = movements
    .filter((m) => m.minutes > 0)
    .flatMap((m) => {
      const cents = priceOfWorkerMinutes(m.minutes, m.centsPerHour);
      return [
        { programme_id: programmeId, transaction_id: transactionId, account_id: m.from, lot_id: m.lotId, minutes: -m.minutes, cents: -cents },
        { programme_id: programmeId, transaction_id: transactionId, account_id: m.to, lot_id: m.lotId, minutes: m.minutes, cents },
      ];
    });
  if (rows.length === 0) return;
  try {
    await tx.insertInto('ledger_entries').values(rows).execute();
  } catch (err) {
    // The balance CHECK is the last word under concurrency: report it as a short wallet.
    if ((err as { constraint?: string }).constraint === 'ledger_balance_not_negative') throw new InsufficientBalanceError(movements.reduce((s, m) => s + m.minutes, 0), 0);
    throw err;
  }
}

/** Runs `work` inside a savepoint: a refused operation leaves the caller's transaction usable. */
export async function withSavepoint<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`savepoint ledger_operation`.execute(tx);
  try {
    const result = await work();
    await sql`release savepoint ledger_operation`.execute(tx);
    return result;
  } catch (err) {
    await sql`rollback to savepoint ledger_operation`.execute(tx);
    throw err;
  }
}

export async function accountBalance(tx: Tx, account: string): Promise<number> {
  const row = await tx.selectFrom('ledger_balances').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('minutes'), sql<number>`0`).as('minutes')).where('account_id', '=', account).executeTakeFirst();
  return Number(row?.minutes ?? 0);
}
