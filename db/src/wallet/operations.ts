import { sql } from 'kysely';
import type { CustomerCategory } from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import {
  claimTransaction, findTransaction, InsufficientBalanceError, lockAccount, lockedLots, postMovements, systemAccount, takeFromLots,
  walletAccount, withSavepoint, type Owner,
} from './ledger.js';

/**
 * Money movements of the voucher wallet. Each takes an idempotency key and runs in the caller's
 * transaction; the same key a second time moves nothing and reports `replayed: true`.
 */

export interface Replayed {
  replayed: true;
  transactionId: string;
}

const replayed = (transactionId: string): Replayed => ({ replayed: true, transactionId });

async function replayOf(tx: Tx, programmeId: string, key: string): Promise<Replayed> {
  const existing = await findTransaction(tx, programmeId, key);
  if (!existing) throw new Error(`idempotency key ${key} was claimed but its transaction is not visible`);
  return replayed(existing.id);
}

// ── Buying ────────────────────────────────────────────────────────────────────────────────────────

export interface Purchase {
  programmeId: string;
  owner: Owner;
  cheques: number;
  source: 'online' | 'counter' | 'invoice';
  category: CustomerCategory;
  centsPerHour: number;
  expiresAt: Date | null;
  /** receipt number, Stripe Checkout session id, or invoice number */
  reference: string;
  idempotencyKey: string;
  actorUserId?: string | null;
}

export interface PurchaseResult {
  replayed: false;
  transactionId: string;
  lotId: string;
  minutes: number;
  /** minutes of this purchase that went straight to settle what bookings owed */
  settledDebtMinutes: number;
}

const SOURCE_ACCOUNT = { online: 'source_online', counter: 'source_counter', invoice: 'source_invoice' } as const;

/** Credits a wallet with a new lot of whole cheques, then settles what the wallet's bookings owe, oldest first. */
export async function buyCheques(tx: Tx, p: Purchase): Promise<PurchaseResult | Replayed> {
  if (!Number.isSafeInteger(p.cheques) || p.cheques <= 0) throw new RangeError('cheques must be a positive integer');
  const transactionId = await claimTransaction(tx, { programmeId: p.programmeId, kind: 'purchase', idempotencyKey: p.idempotencyKey, actorUserId: p.actorUserId ?? null });
  if (!transactionId) return replayOf(tx, p.programmeId, p.idempotencyKey);
  const wallet = await walletAccount(tx, p.programmeId, p.owner);
  const source = await systemAccount(tx, p.programmeId, SOURCE_ACCOUNT[p.source]);
  const minutes = p.cheques * 60;
  const lot = await tx
    .insertInto('cheque_lots')
    .values({
      programme_id: p.programmeId, wallet_account_id: wallet, source: p.source, category: p.category, cents_per_hour: p.centsPerHour,
      minutes, expires_at: p.expiresAt, reference: p.reference,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postMovements(tx, p.programmeId, transactionId, [{ from: source, to: wallet, lotId: lot.id, minutes, centsPerHour: p.centsPerHour }]);
  const settledDebtMinutes = await settleDebts(tx, p.programmeId, wallet, p.idempotencyKey, p.actorUserId ?? null);
  return { replayed: false, transactionId, lotId: lot.id, minutes, settledDebtMinutes };
}

/** Pays open debts of a wallet from its balance, oldest debt first. */
async function settleDebts(tx: Tx, programmeId: string, wallet: string, keyPrefix: string, actorUserId: string | null): Promise<number> {
  const debts = await tx
    .selectFrom('wallet_debts')
    .select(['id', 'booking_id', 'minutes', 'settled_minutes'])
    .where('wallet_account_id', '=', wallet)
    .where(sql<boolean>`settled_minutes < minutes`)
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  let settled = 0;
  for (const debt of debts) {
    const lots = await lockedLots(tx, wallet);
    const { parts } = takeFromLots(lots, debt.minutes - debt.settled_minutes);
    const minutes = parts.reduce((s, x) => s + x.minutes, 0);
    if (minutes === 0) break;
    const transactionId = await claimTransaction(tx, { programmeId, kind: 'settle_debt', idempotencyKey: `${keyPrefix}:settle:${debt.id}`, bookingId: debt.booking_id, actorUserId });
    if (!transactionId) continue;
    const redeemed = await systemAccount(tx, programmeId, 'redeemed');
    await postMovements(tx, programmeId, transactionId, parts.map((x) => ({ from: wallet, to: redeemed, lotId: x.lotId, minutes: x.minutes, centsPerHour: x.centsPerHour })));
    await tx.updateTable('wallet_debts').set({ settled_minutes: debt.settled_minutes + minutes }).where('id', '=', debt.id).execute();
    settled += minutes;
  }
  return settled;
}

/** Undoes a purchase whose cheques are all still unspent in the wallet (a counter mistake). */
export async function undoPurchase(tx: Tx, p: { programmeId: string; lotId: string; idempotencyKey: string; reason: string; actorUserId: string | null }): Promise<{ replayed: false; transactionId: string } | Replayed> {
  return withSavepoint(tx, async () => {
    const transactionId = await claimTransaction(tx, { programmeId: p.programmeId, kind: 'purchase_undo', idempotencyKey: p.idempotencyKey, actorUserId: p.actorUserId, memo: p.reason });
    if (!transactionId) return replayOf(tx, p.programmeId, p.idempotencyKey);
    const lot = await tx.selectFrom('cheque_lots').selectAll().where('programme_id', '=', p.programmeId).where('id', '=', p.lotId).executeTakeFirstOrThrow();
    const free = (await lockedLots(tx, lot.wallet_account_id, { includeExpired: true })).find((l) => l.lotId === lot.id)?.minutes ?? 0;
    if (free < lot.minutes) throw new InsufficientBalanceError(lot.minutes, free);
    const source = await systemAccount(tx, p.programmeId, SOURCE_ACCOUNT[lot.source]);
    await postMovements(tx, p.programmeId, transactionId, [{ from: lot.wallet_account_id, to: source, lotId: lot.id, minutes: lot.minutes, centsPerHour: lot.cents_per_hour }]);
    return { replayed: false as const, transactionId };
  });
}

// ── Bookings: hold, release, redeem, cancellation fee ───────────────────────────────────────────

export interface HoldRequest {
  programmeId: string;
  owner: Owner;
  bookingId: string;
  minutes: number;
  idempotencyKey: string;
  actorUserId?: string | null;
}

export type HoldResult =
  | { replayed: false; status: 'held'; transactionId: string; minutes: number }
  | { replayed: false; status: 'insufficient'; availableMinutes: number }
  | Replayed;

/**
 * Reserves a booking's estimated worker-minutes from the wallet. When the wallet is short nothing
 * moves and the result says so (the booking then waits for payment); the caller's transaction goes on.
 */
export async function holdForBooking(tx: Tx, h: HoldRequest): Promise<HoldResult> {
  if (!Number.isSafeInteger(h.minutes) || h.minutes <= 0) throw new RangeError('minutes must be a positive integer');
  // One call: the function ledger_hold_for_booking (migration ledger_functions) does what the
  // other operations here do step by step; a short wallet claims nothing.
  const r = await sql<{ status: 'held' | 'insufficient' | 'replayed'; transaction_id: string | null; available_minutes: number | null }>`
    select * from ledger_hold_for_booking(${h.programmeId}, ${h.owner.householdId ?? null}, ${h.owner.organisationId ?? null}, ${h.bookingId},
      ${h.minutes}::integer, ${h.idempotencyKey}, ${h.actorUserId ?? null})`.execute(tx);
  const row = r.rows[0]!;
  switch (row.status) {
    case 'held':
      return { replayed: false, status: 'held', transactionId: row.transaction_id!, minutes: h.minutes };
    case 'insufficient':
      return { replayed: false, status: 'insufficient', availableMinutes: row.available_minutes ?? 0 };
    case 'replayed':
      return replayed(row.transaction_id!);
  }
}

async function bookingHold(tx: Tx, programmeId: string, bookingId: string) {
  return tx
    .selectFrom('ledger_accounts')
    .select(['id', 'household_id', 'organisation_id'])
    .where('programme_id', '=', programmeId)
    .where('kind', '=', 'hold')
    .where('booking_id', '=', bookingId)
    .executeTakeFirst();
}

function ownerOf(account: { household_id: string | null; organisation_id: string | null }): Owner {
  if (account.household_id) return { householdId: account.household_id };
  if (account.organisation_id) return { organisationId: account.organisation_id };
  throw new Error('account without owner');
}

/** Returns everything still held for a booking to the wallet. */
export async function releaseHold(tx: Tx, r: { programmeId: string; bookingId: string; idempotencyKey: string; actorUserId?: string | null }): Promise<{ replayed: false; releasedMinutes: number } | Replayed> {
  const transactionId = await claimTransaction(tx, { programmeId: r.programmeId, kind: 'release', idempotencyKey: r.idempotencyKey, bookingId: r.bookingId, actorUserId: r.actorUserId ?? null });
  if (!transactionId) return replayOf(tx, r.programmeId, r.idempotencyKey);
  const hold = await bookingHold(tx, r.programmeId, r.bookingId);
  if (!hold) return { replayed: false, releasedMinutes: 0 };
  const wallet = await walletAccount(tx, r.programmeId, ownerOf(hold));
  const lots = await lockedLots(tx, hold.id, { includeExpired: true });
  await postMovements(tx, r.programmeId, transactionId, lots.map((x) => ({ from: hold.id, to: wallet, lotId: x.lotId, minutes: x.minutes, centsPerHour: x.centsPerHour })));
  return { replayed: false, releasedMinutes: lots.reduce((s, x) => s + x.minutes, 0) };
}

export interface RedeemRequest {
  programmeId: string;
  owner: Owner;
  bookingId: string;
  minutes: number;
  idempotencyKey: string;
  /** Give back what is left of the hold afterwards (the booking is settled). */
  releaseRest: boolean;
  actorUserId?: string | null;
}

export interface RedeemResult {
  replayed: false;
  transactionId: string;
  fromHoldMinutes: number;
  fromWalletMinutes: number;
  /** minutes the wallet could not pay: recorded as a debt of the booking, settled by the next purchase */
  owedMinutes: number;
  releasedMinutes: number;
  cents: number;
}

/**
 * Redeems confirmed worker-minutes: from the booking's hold first, then from the free balance;
 * what even that cannot pay becomes a debt that the next purchase settles first.
 */
export async function redeemForBooking(tx: Tx, r: RedeemRequest): Promise<RedeemResult | Replayed> {
  if (!Number.isSafeInteger(r.minutes) || r.minutes < 0) throw new RangeError('minutes must be a non-negative integer');
  // One call: the function ledger_redeem_for_booking (migration settle_function) does the steps of
  // the other operations here — claim the key, take from the hold, then the wallet, record the
  // debt, release the rest — in the order and with the locks they use.
  const res = await sql<{
    status: 'redeemed' | 'replayed'; transaction_id: string; from_hold_minutes: number | null; from_wallet_minutes: number | null;
    owed_minutes: number | null; released_minutes: number | null; cents: number | null;
  }>`
    select * from ledger_redeem_for_booking(${r.programmeId}, ${r.owner.householdId ?? null}, ${r.owner.organisationId ?? null}, ${r.bookingId},
      ${r.minutes}::integer, ${r.idempotencyKey}, ${r.releaseRest}, ${r.actorUserId ?? null})`.execute(tx);
  const row = res.rows[0]!;
  if (row.status === 'replayed') return replayed(row.transaction_id);
  return {
    replayed: false,
    transactionId: row.transaction_id,
    fromHoldMinutes: row.from_hold_minutes ?? 0,
    fromWalletMinutes: row.from_wallet_minutes ?? 0,
    owedMinutes: row.owed_minutes ?? 0,
    releasedMinutes: row.released_minutes ?? 0,
    cents: Number(row.cents ?? 0),
  };
}

/** Takes a late-cancellation fee from a booking's hold (at most what is held) and releases the rest. */
export async function chargeCancellationFee(tx: Tx, f: { programmeId: string; bookingId: string; minutes: number; idempotencyKey: string; actorUserId?: string | null }): Promise<{ replayed: false; feeMinutes: number; releasedMinutes: number } | Replayed> {
  const transactionId = await claimTransaction(tx, { programmeId: f.programmeId, kind: 'cancellation_fee', idempotencyKey: f.idempotencyKey, bookingId: f.bookingId, actorUserId: f.actorUserId ?? null });
  if (!transactionId) return replayOf(tx, f.programmeId, f.idempotencyKey);
  const hold = await bookingHold(tx, f.programmeId, f.bookingId);
  if (!hold) return { replayed: false, feeMinutes: 0, releasedMinutes: 0 };
  const redeemed = await systemAccount(tx, f.programmeId, 'redeemed');
  const { parts } = takeFromLots(await lockedLots(tx, hold.id, { includeExpired: true }), f.minutes);
  await postMovements(tx, f.programmeId, transactionId, parts.map((x) => ({ from: hold.id, to: redeemed, lotId: x.lotId, minutes: x.minutes, centsPerHour: x.centsPerHour })));
  const release = await releaseHold(tx, { programmeId: f.programmeId, bookingId: f.bookingId, idempotencyKey: `${f.idempotencyKey}:release`, actorUserId: f.actorUserId ?? null });
  return { replayed: false, feeMinutes: parts.reduce((s, x) => s + x.minutes, 0), releasedMinutes: release.replayed ? 0 : release.releasedMinutes };
}

// ── Refunds and expiry ───────────────────────────────────────────────────────────────────────────

/** Refunds whole unused cheques of a lot at the lot's price. Throws InsufficientBalanceError when fewer are free. */
export async function refundCheques(tx: Tx, r: { programmeId: string; lotId: string; cheques: number; idempotencyKey: string; actorUserId?: string | null; memo?: string }): Promise<{ replayed: false; transactionId: string; minutes: number; cents: number } | Replayed> {
  if (!Number.isSafeInteger(r.cheques) || r.cheques <= 0) throw new RangeError('cheques must be a positive integer');
  return withSavepoint(tx, async () => {
    const transactionId = await claimTransaction(tx, { programmeId: r.programmeId, kind: 'refund', idempotencyKey: r.idempotencyKey, actorUserId: r.actorUserId ?? null, memo: r.memo ?? null });
    if (!transactionId) return replayOf(tx, r.programmeId, r.idempotencyKey);
    const lot = await tx.selectFrom('cheque_lots').selectAll().where('programme_id', '=', r.programmeId).where('id', '=', r.lotId).executeTakeFirstOrThrow();
    const free = (await lockedLots(tx, lot.wallet_account_id, { includeExpired: true })).find((l) => l.lotId === lot.id)?.minutes ?? 0;
    const minutes = r.cheques * 60;
    if (free < minutes) throw new InsufficientBalanceError(minutes, free);
    const refunded = await systemAccount(tx, r.programmeId, 'refunded');
    await postMovements(tx, r.programmeId, transactionId, [{ from: lot.wallet_account_id, to: refunded, lotId: lot.id, minutes, centsPerHour: lot.cents_per_hour }]);
    return { replayed: false as const, transactionId, minutes, cents: (minutes / 60) * lot.cents_per_hour };
  });
}

/**
 * Moves the unspent minutes of every lot that has expired to the expired account. Idempotent by
 * nature: a second run finds nothing left to move (and the key per lot and day guards a retry).
 */
export async function expireLots(tx: Tx, e: { programmeId: string; now: Date; runKey: string }): Promise<{ lots: number; minutes: number }> {
  const dueQuery = () => tx
    .selectFrom('ledger_balances as b')
    .innerJoin('cheque_lots as l', 'l.id', 'b.lot_id')
    .select(['b.account_id', 'b.lot_id', 'b.minutes', 'l.cents_per_hour'])
    .where('l.programme_id', '=', e.programmeId)
    .where('b.account_id', '=', sql<string>`l.wallet_account_id`)
    .where('b.minutes', '>', 0)
    .where('l.expires_at', '<=', e.now)
    .orderBy('b.account_id')
    .orderBy('b.lot_id');
  // Lock the wallets concerned (in one order), then read their balances again under the locks.
  for (const account of [...new Set((await dueQuery().execute()).map((r) => r.account_id))]) await lockAccount(tx, account);
  let lots = 0;
  let minutes = 0;
  for (const row of await dueQuery().execute()) {
    const transactionId = await claimTransaction(tx, { programmeId: e.programmeId, kind: 'expire', idempotencyKey: `expire:${row.lot_id}:${e.runKey}` });
    if (!transactionId) continue;
    const expired = await systemAccount(tx, e.programmeId, 'expired');
    await postMovements(tx, e.programmeId, transactionId, [{ from: row.account_id, to: expired, lotId: row.lot_id, minutes: row.minutes, centsPerHour: row.cents_per_hour }]);
    lots += 1;
    minutes += row.minutes;
  }
  return { lots, minutes };
}

/**
 * Pays worker-minutes straight from the free balance, without a booking (a service at the service
 * point, such as ironing). All or nothing: a short wallet throws InsufficientBalanceError.
 */
export async function redeemFromWallet(tx: Tx, r: { programmeId: string; owner: Owner; minutes: number; idempotencyKey: string; memo?: string | null; actorUserId?: string | null }): Promise<{ replayed: false; transactionId: string; minutes: number; cents: number } | Replayed> {
  if (!Number.isSafeInteger(r.minutes) || r.minutes <= 0) throw new RangeError('minutes must be a positive integer');
  // One call (migration ledger_functions); a short wallet claims nothing.
  const res = await sql<{ status: 'redeemed' | 'insufficient' | 'replayed'; transaction_id: string | null; available_minutes: number | null; cents: string | null }>`
    select * from ledger_redeem_from_wallet(${r.programmeId}, ${r.owner.householdId ?? null}, ${r.owner.organisationId ?? null},
      ${r.minutes}::integer, ${r.idempotencyKey}, ${r.memo ?? null}, ${r.actorUserId ?? null})`.execute(tx);
  const row = res.rows[0]!;
  switch (row.status) {
    case 'redeemed':
      return { replayed: false, transactionId: row.transaction_id!, minutes: r.minutes, cents: Number(row.cents) };
    case 'insufficient':
      throw new InsufficientBalanceError(r.minutes, row.available_minutes ?? 0);
    case 'replayed':
      return replayed(row.transaction_id!);
  }
}

export interface CounterRedemption {
  programmeId: string;
  householdId: string;
  minutes: number;
  memo: string | null;
  actorUserId: string;
  /** the ledger transaction's idempotency key */
  ledgerKey: string;
  /** the HTTP request's Idempotency-Key record (key null without the header) */
  request: { key: string | null; method: string; path: string; requestHash: string };
}

export type CounterRedemptionResult =
  | { outcome: 'not_found' }
  | { outcome: 'key_reused' }
  | { outcome: 'done' | 'replayed'; status: number; body: unknown };

/**
 * A redemption at the counter with its household check and Idempotency-Key record, as one
 * statement: the database function counter_redeem (migration booking_function). With the pool as
 * executor it is its own transaction. 'not_found': no such household in the programme;
 * 'key_reused': the key came with another request; 'replayed': the stored answer of the key.
 * A short wallet throws InsufficientBalanceError and leaves nothing behind.
 */
export async function redeemAtCounter(db: Executor, r: CounterRedemption): Promise<CounterRedemptionResult> {
  if (!Number.isSafeInteger(r.minutes) || r.minutes <= 0) throw new RangeError('minutes must be a positive integer');
  try {
    const row = (await sql<{ outcome: CounterRedemptionResult['outcome']; status_code: number | null; response: unknown }>`
      select * from counter_redeem(${r.programmeId}, ${r.householdId}, ${r.actorUserId}, ${r.minutes}::integer, ${r.memo}, ${r.ledgerKey},
        ${r.request.key}, ${r.request.method}, ${r.request.path}, ${r.request.requestHash})`.execute(db)).rows[0]!;
    if (row.outcome === 'not_found') return { outcome: 'not_found' };
    if (row.outcome === 'key_reused') return { outcome: 'key_reused' };
    return { outcome: row.outcome, status: row.status_code!, body: row.response };
  } catch (err) {
    const e = err as { constraint?: string; detail?: string };
    if (e.constraint === 'ledger_balance_not_negative') throw new InsufficientBalanceError(r.minutes, Number(e.detail) || 0);
    throw err;
  }
}
