// A model-based property test of the voucher ledger against real PostgreSQL: random sequences of
// buy, hold, release, redeem, cancellation fee, refund and expire are run both on the database and
// on a plain in-memory model; after every step the ledger's invariants and the model must agree.
// A failure prints the seed and the shortest failing sequence; replay with WALLET_MODEL_SEED=<seed>.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallet, type Database } from '@buurtservice/db';
import { createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
let programmeId: string;
let owners: wallet.Owner[];
beforeAll(async () => {
  ctx = await createTestContext();
  const programme = await ctx.db.selectFrom('programmes').select('id').where('slug', '=', 'breda-noordoost').executeTakeFirstOrThrow();
  programmeId = programme.id;
  const households = await ctx.db.selectFrom('households').select('id').where('programme_id', '=', programmeId).orderBy('name').limit(2).execute();
  owners = households.map((h) => ({ householdId: h.id }));
});
afterAll(async () => { await ctx?.close(); });

// ── the model ──
interface ModelLot { id: string; owner: number; price: number; expired: boolean; order: number; wallet: number; }
interface Model {
  lots: ModelLot[];
  holds: Map<string, { owner: number; perLot: Map<string, number> }>;
  debts: { owner: number; minutes: number }[];
  redeemed: number; expired: number; refunded: number; purchased: number;
}

const spendOrder = (lots: ModelLot[]) => [...lots].sort((a, b) => a.order - b.order);
function take(perLot: Map<string, number>, lots: ModelLot[], minutes: number, get: (l: ModelLot) => number, set: (l: ModelLot, v: number) => void) {
  let rest = minutes;
  for (const lot of lots) {
    if (rest === 0) break;
    const t = Math.min(get(lot), rest);
    if (t > 0) { set(lot, get(lot) - t); perLot.set(lot.id, (perLot.get(lot.id) ?? 0) + t); rest -= t; }
  }
  return rest;
}

type Command =
  | { op: 'buy'; owner: number; cheques: number; expiry: 'none' | 'future' | 'past' }
  | { op: 'hold'; owner: number; minutes: number }
  | { op: 'release'; booking: number }
  | { op: 'redeem'; booking: number; minutes: number; releaseRest: boolean }
  | { op: 'fee'; booking: number; minutes: number }
  | { op: 'refund'; lot: number; cheques: number }
  | { op: 'expire' }
  | { op: 'retry' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('buy' as const), owner: fc.integer({ min: 0, max: 1 }), cheques: fc.integer({ min: 1, max: 5 }), expiry: fc.constantFrom('none' as const, 'future' as const, 'past' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('hold' as const), owner: fc.integer({ min: 0, max: 1 }), minutes: fc.integer({ min: 1, max: 24 }).map((q) => q * 15) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('release' as const), booking: fc.nat(9) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('redeem' as const), booking: fc.nat(9), minutes: fc.integer({ min: 0, max: 30 }).map((q) => q * 15), releaseRest: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('fee' as const), booking: fc.nat(9), minutes: fc.constantFrom(60, 120) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('refund' as const), lot: fc.nat(9), cheques: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  { arbitrary: fc.constant({ op: 'expire' as const }), weight: 1 },
  { arbitrary: fc.constant({ op: 'retry' as const }), weight: 1 },
);

async function checkInvariants(db: Database, m: Model) {
  // every transaction sums to zero in minutes and cents
  const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select transaction_id from ledger_entries group by transaction_id having sum(minutes) <> 0 or sum(cents) <> 0) t`.execute(db);
  expect(unbalanced.rows[0]!.n).toBe(0);
  // every stored balance equals the sum of its entries, and no wallet or hold is below zero
  const drift = await sql<{ n: number }>`
    select count(*)::int as n from ledger_balances b
    full join (select account_id, lot_id, sum(minutes)::int as m from ledger_entries group by 1, 2) e using (account_id, lot_id)
    where coalesce(b.minutes, 0) <> coalesce(e.m, 0)`.execute(db);
  expect(drift.rows[0]!.n).toBe(0);
  const negative = await sql<{ n: number }>`select count(*)::int as n from ledger_balances where non_negative and minutes < 0`.execute(db);
  expect(negative.rows[0]!.n).toBe(0);
  // the database agrees with the model, account kind by account kind
  const byKind = await sql<{ kind: string; minutes: number }>`
    select a.kind, coalesce(sum(b.minutes), 0)::int as minutes from ledger_accounts a left join ledger_balances b on b.account_id = a.id
    where a.programme_id = ${programmeId} group by a.kind`.execute(db);
  const kinds = Object.fromEntries(byKind.rows.map((r) => [r.kind, r.minutes]));
  const walletTotal = m.lots.reduce((s, l) => s + l.wallet, 0);
  const holdTotal = [...m.holds.values()].reduce((s, h) => s + [...h.perLot.values()].reduce((a, b) => a + b, 0), 0);
  expect(kinds.wallet ?? 0).toBe(walletTotal);
  expect(kinds.hold ?? 0).toBe(holdTotal);
  expect(kinds.redeemed ?? 0).toBe(m.redeemed);
  expect(kinds.expired ?? 0).toBe(m.expired);
  expect(kinds.refunded ?? 0).toBe(m.refunded);
  expect((kinds.source_counter ?? 0) + m.purchased).toBe(0);
  const debts = await sql<{ owed: number }>`select coalesce(sum(minutes - settled_minutes), 0)::int as owed from wallet_debts where programme_id = ${programmeId}`.execute(db);
  expect(debts.rows[0]!.owed).toBe(m.debts.reduce((s, d) => s + d.minutes, 0));
}

async function resetLedger(db: Database) {
  // The ledger refuses DELETE and TRUNCATE by trigger; the test disables triggers only to start each run clean.
  await sql`set session_replication_role = replica`.execute(db);
  try {
    await sql`truncate wallet_debts, ledger_balances, ledger_entries, ledger_transactions, cheque_lots, ledger_accounts cascade`.execute(db);
  } finally {
    await sql`set session_replication_role = origin`.execute(db);
  }
}

describe('voucher ledger model', () => {
  it('keeps every invariant under random sequences of operations', async () => {
    const seed = Number(process.env.WALLET_MODEL_SEED ?? Date.now() % 2 ** 31);
    console.log(`wallet model seed: ${seed} (replay with WALLET_MODEL_SEED=${seed})`);
    // One connection, so the session setting above applies to the truncate.
    const runs = Number(process.env.WALLET_MODEL_RUNS ?? 60);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (commands) => {
        await ctx.ownerDb.connection().execute(async (conn) => resetLedger(conn));
        const m: Model = { lots: [], holds: new Map(), debts: [], redeemed: 0, expired: 0, refunded: 0, purchased: 0 };
        const bookings: string[] = [];
        let order = 0;
        let last: (() => Promise<void>) | null = null;
        for (const c of commands) {
          const run = async (retry: boolean) => {
            switch (c.op) {
              case 'buy': {
                const key = `buy-${order}`;
                const expiresAt = c.expiry === 'none' ? null : c.expiry === 'future' ? new Date(Date.now() + 86_400_000 * (30 + order)) : new Date(Date.now() - 1000);
                const res = await ctx.db.transaction().execute((tx) => wallet.buyCheques(tx, {
                  programmeId, owner: owners[c.owner]!, cheques: c.cheques, source: 'counter', category: 'resident', centsPerHour: 1000,
                  expiresAt, reference: key, idempotencyKey: key,
                }));
                if (retry) { expect(res.replayed).toBe(true); return; }
                if (res.replayed) throw new Error('first buy replayed');
                // model: future expiries sort before none; among equal, purchase order
                const sortKey = c.expiry === 'future' ? order : c.expiry === 'past' ? -1e9 + order : 1e9 + order;
                const lot: ModelLot = { id: res.lotId, owner: c.owner, price: 1000, expired: c.expiry === 'past', order: sortKey, wallet: c.cheques * 60 };
                m.lots.push(lot);
                m.purchased += c.cheques * 60;
                // debts of this owner are settled from spendable lots, oldest first
                let settled = 0;
                for (const d of m.debts.filter((x) => x.owner === c.owner)) {
                  const spendable = spendOrder(m.lots.filter((l) => l.owner === c.owner && !l.expired));
                  const short = take(new Map(), spendable, d.minutes, (l) => l.wallet, (l, v) => { l.wallet = v; });
                  settled += d.minutes - short;
                  m.redeemed += d.minutes - short;
                  d.minutes = short;
                }
                m.debts = m.debts.filter((d) => d.minutes > 0);
                expect(res.settledDebtMinutes).toBe(settled);
                order += 1;
                return;
              }
              case 'hold': {
                const bookingId = randomUUID();
                const key = `hold-${bookingId}`;
                const res = await ctx.db.transaction().execute((tx) => wallet.holdForBooking(tx, { programmeId, owner: owners[c.owner]!, bookingId, minutes: c.minutes, idempotencyKey: key }));
                const spendable = spendOrder(m.lots.filter((l) => l.owner === c.owner && !l.expired));
                const available = spendable.reduce((s, l) => s + l.wallet, 0);
                if (available < c.minutes) {
                  expect(res).toEqual({ replayed: false, status: 'insufficient', availableMinutes: available });
                  return;
                }
                expect(res.replayed === false && res.status === 'held').toBe(true);
                const perLot = new Map<string, number>();
                take(perLot, spendable, c.minutes, (l) => l.wallet, (l, v) => { l.wallet = v; });
                m.holds.set(bookingId, { owner: c.owner, perLot });
                bookings.push(bookingId);
                last = async () => {
                  const again = await ctx.db.transaction().execute((tx) => wallet.holdForBooking(tx, { programmeId, owner: owners[c.owner]!, bookingId, minutes: c.minutes, idempotencyKey: key }));
                  expect(again.replayed).toBe(true);
                };
                return;
              }
              case 'release': case 'redeem': case 'fee': {
                const bookingId = bookings[c.booking % Math.max(bookings.length, 1)];
                if (!bookingId) return;
                const hold = m.holds.get(bookingId)!;
                const owner = owners[hold.owner]!;
                const key = `${c.op}-${randomUUID()}`;
                const releaseAll = () => {
                  for (const [lotId, minutes] of hold.perLot) m.lots.find((l) => l.id === lotId)!.wallet += minutes;
                  hold.perLot.clear();
                };
                const lotsOfHold = () => spendOrder(m.lots.filter((l) => hold.perLot.has(l.id)));
                const takeHold = (minutes: number) => take(new Map(), lotsOfHold(), minutes, (l) => hold.perLot.get(l.id) ?? 0, (l, v) => { hold.perLot.set(l.id, v); });
                if (c.op === 'release') {
                  await ctx.db.transaction().execute((tx) => wallet.releaseHold(tx, { programmeId, bookingId, idempotencyKey: key }));
                  releaseAll();
                } else if (c.op === 'fee') {
                  const res = await ctx.db.transaction().execute((tx) => wallet.chargeCancellationFee(tx, { programmeId, bookingId, minutes: c.minutes, idempotencyKey: key }));
                  const short = takeHold(c.minutes);
                  m.redeemed += c.minutes - short;
                  if (!res.replayed) expect(res.feeMinutes).toBe(c.minutes - short);
                  releaseAll();
                } else {
                  const res = await ctx.db.transaction().execute((tx) => wallet.redeemForBooking(tx, { programmeId, owner, bookingId, minutes: c.minutes, idempotencyKey: key, releaseRest: c.releaseRest }));
                  const shortHold = takeHold(c.minutes);
                  const spendable = spendOrder(m.lots.filter((l) => l.owner === hold.owner && !l.expired));
                  const shortWallet = take(new Map(), spendable, shortHold, (l) => l.wallet, (l, v) => { l.wallet = v; });
                  m.redeemed += c.minutes - shortWallet;
                  if (shortWallet > 0) m.debts.push({ owner: hold.owner, minutes: shortWallet });
                  if (res.replayed) throw new Error('first redeem replayed');
                  expect(res.owedMinutes).toBe(shortWallet);
                  if (c.releaseRest) releaseAll();
                }
                for (const [k, v] of hold.perLot) if (v === 0) hold.perLot.delete(k);
                return;
              }
              case 'refund': {
                const lot = m.lots[c.lot % Math.max(m.lots.length, 1)];
                if (!lot) return;
                const key = `refund-${randomUUID()}`;
                const attempt = ctx.db.transaction().execute((tx) => wallet.refundCheques(tx, { programmeId, lotId: lot.id, cheques: c.cheques, idempotencyKey: key }));
                if (lot.wallet < c.cheques * 60) {
                  await expect(attempt).rejects.toBeInstanceOf(wallet.InsufficientBalanceError);
                  return;
                }
                await attempt;
                lot.wallet -= c.cheques * 60;
                m.refunded += c.cheques * 60;
                return;
              }
              case 'expire': {
                const runKey = randomUUID();
                const first = await ctx.db.transaction().execute((tx) => wallet.expireLots(tx, { programmeId, now: new Date(), runKey }));
                const due = m.lots.filter((l) => l.expired && l.wallet > 0);
                expect(first.minutes).toBe(due.reduce((s, l) => s + l.wallet, 0));
                for (const l of due) { m.expired += l.wallet; l.wallet = 0; }
                const second = await ctx.db.transaction().execute((tx) => wallet.expireLots(tx, { programmeId, now: new Date(), runKey }));
                expect(second).toEqual({ lots: 0, minutes: 0 });
                return;
              }
              case 'retry': {
                if (last) await last();
                return;
              }
            }
          };
          await run(false);
          await checkInvariants(ctx.db, m);
        }
      }),
      { numRuns: runs, seed },
    );
  }, 600_000);
});

describe('the ledger is append-only', () => {
  it('refuses UPDATE and DELETE of ledger rows, for the API role by grant and for the owner by trigger', async () => {
    const p = await ctx.db.selectFrom('programmes').select('id').where('slug', '=', 'breda-noordoost').executeTakeFirstOrThrow();
    await ctx.db.transaction().execute((tx) => wallet.buyCheques(tx, {
      programmeId: p.id, owner: owners[0]!, cheques: 1, source: 'counter', category: 'resident', centsPerHour: 1000, expiresAt: null, reference: 'append-only', idempotencyKey: `append-only-${randomUUID()}`,
    }));
    for (const db of [ctx.db, ctx.ownerDb]) {
      await expect(sql`update ledger_entries set minutes = minutes * 2`.execute(db)).rejects.toMatchObject({ code: '42501' });
      await expect(sql`delete from ledger_entries`.execute(db)).rejects.toMatchObject({ code: '42501' });
      await expect(sql`delete from ledger_transactions`.execute(db)).rejects.toMatchObject({ code: '42501' });
      await expect(sql`update cheque_lots set cents_per_hour = 0`.execute(db)).rejects.toMatchObject({ code: '42501' });
    }
    await expect(sql`update ledger_balances set minutes = minutes + 600`.execute(ctx.db)).rejects.toMatchObject({ code: '42501' });
    const role = await sql<{ r: string }>`select current_user as r`.execute(ctx.db);
    expect(role.rows[0]!.r).toBe('buurtservice_api');
  });

  it('refuses a transaction whose entries do not sum to zero, at commit', async () => {
    const lot = await ctx.db.selectFrom('cheque_lots').select(['id', 'wallet_account_id', 'programme_id']).executeTakeFirstOrThrow();
    await expect(ctx.db.transaction().execute(async (tx) => {
      const id = await wallet.claimTransaction(tx, { programmeId: lot.programme_id, kind: 'purchase', idempotencyKey: `unbalanced-${randomUUID()}` });
      await tx.insertInto('ledger_entries').values({ programme_id: lot.programme_id, transaction_id: id!, account_id: lot.wallet_account_id, lot_id: lot.id, minutes: 60, cents: 1000 }).execute();
    })).rejects.toMatchObject({ code: '23514' });
  });
});
