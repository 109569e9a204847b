import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
let dispatcher: string;
const households: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  dispatcher = await ctx.login('coordinator@example.nl');
  for (const email of ['bewoner@example.nl', 'bredapas@example.nl', 'bewoner.utrecht@example.nl']) {
    const u = await ctx.db.selectFrom('users').select('household_id').where('email', '=', email).executeTakeFirstOrThrow();
    households[email] = u.household_id!;
  }
});
afterAll(async () => { await ctx?.close(); });

type Sale = { id: string; receiptNumber: string; cents: number; centsPerHour: number; cheques: number; lotId: string };
type Wallet = { balanceMinutes: number; balanceCents: number; heldMinutes: number; lots: { remainingMinutes: number; expiresAt: string | null }[] };

const sell = (householdId: string, cheques: number, key?: string, token = dispatcher) =>
  ctx.app.inject({
    method: 'POST', url: `/households/${householdId}/counter-sales`,
    headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) },
    payload: { cheques, paymentMethod: 'cash' },
  });
const walletOf = async (householdId: string, token = dispatcher) =>
  (await ctx.app.inject({ method: 'GET', url: `/households/${householdId}/wallet`, headers: bearer(token) })).json<Wallet>();

describe('selling cheques at the counter', () => {
  it('prices 5 cheques at € 50 for a resident and € 30 with a verified BredaPas, valid for 12 months', async () => {
    const plain = await sell(households['bewoner@example.nl']!, 5);
    expect(plain.statusCode).toBe(201);
    const sale = plain.json<Sale>();
    expect(sale).toMatchObject({ cheques: 5, cents: 5000, centsPerHour: 1000 });
    expect(sale.receiptNumber).toMatch(/^BN-\d{4}-\d{6}$/);
    const pass = (await sell(households['bredapas@example.nl']!, 5)).json<Sale>();
    expect(pass).toMatchObject({ cents: 3000, centsPerHour: 600 });
    expect(Number(pass.receiptNumber.slice(-6))).toBe(Number(sale.receiptNumber.slice(-6)) + 1);

    const resident = await ctx.login('bewoner@example.nl');
    const w = await walletOf(households['bewoner@example.nl']!, resident);
    expect(w.balanceMinutes).toBe(300);
    expect(w.balanceCents).toBe(5000);
    const expires = new Date(w.lots[0]!.expiresAt!);
    const months = (expires.getUTCFullYear() - new Date().getUTCFullYear()) * 12 + expires.getUTCMonth() - new Date().getUTCMonth();
    expect(months).toBe(12);
  });

  it('does the work once for ten concurrent copies with one Idempotency-Key, and refuses the key for another body', async () => {
    const householdId = households['bewoner@example.nl']!;
    const before = (await walletOf(householdId)).balanceMinutes;
    const key = `sale-${randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 10 }, () => sell(householdId, 2, key)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const bodies = new Set(responses.map((r) => r.body));
    expect(bodies.size).toBe(1);
    expect((await walletOf(householdId)).balanceMinutes).toBe(before + 120);
    const txns = await ctx.db.selectFrom('ledger_transactions').select('id').where('idempotency_key', 'like', `%${key}%`).execute();
    expect(txns).toHaveLength(1);
    const other = await sell(householdId, 3, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect((await walletOf(householdId)).balanceMinutes).toBe(before + 120);
  });

  it('lets 1 of 50 concurrent redemptions of the last hour through; the others get 409 and the balance ends at 0', async () => {
    const reg = await ctx.app.inject({ method: 'POST', url: '/households', headers: bearer(dispatcher), payload: {
      name: 'Fam. Concurrent', street: 'Wisselaan', houseNumber: 99, postcode: '4823 JA', city: 'Breda', contact: { displayName: 'C. Concurrent' },
    } });
    const householdId = reg.json<{ id: string }>().id;
    expect((await sell(householdId, 1)).statusCode).toBe(201);
    const results = await Promise.all(Array.from({ length: 50 }, () =>
      ctx.app.inject({ method: 'POST', url: `/households/${householdId}/redemptions`, headers: bearer(dispatcher), payload: { minutes: 60, memo: 'Strijkservice' } })));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'insufficient_balance' });
    expect((await walletOf(householdId)).balanceMinutes).toBe(0);
  });

  it('redeems once for ten concurrent copies with one Idempotency-Key, refuses the key for another body, and keeps no claim after a 409', async () => {
    const reg = await ctx.app.inject({ method: 'POST', url: '/households', headers: bearer(dispatcher), payload: {
      name: 'Fam. Sleutel', street: 'Wisselaan', houseNumber: 97, postcode: '4823 JA', city: 'Breda', contact: { displayName: 'S. Sleutel' },
    } });
    const householdId = reg.json<{ id: string }>().id;
    expect((await sell(householdId, 2)).statusCode).toBe(201);
    const redeem = (minutes: number, key: string) => ctx.app.inject({
      method: 'POST', url: `/households/${householdId}/redemptions`, headers: { ...bearer(dispatcher), 'idempotency-key': key }, payload: { minutes, memo: 'Strijkservice' },
    });

    // Short first: 409, and the key is not used up by the refusal.
    const key = `redeem-${randomUUID()}`;
    const refused = await redeem(180, key);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'insufficient_balance' });

    const copies = await Promise.all(Array.from({ length: 10 }, () => redeem(60, key)));
    expect(copies.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(copies.map((r) => r.body)).size).toBe(1);
    expect(copies[0]!.json()).toMatchObject({ minutes: 60, cents: 1000 });
    expect((await walletOf(householdId)).balanceMinutes).toBe(60);

    const other = await redeem(30, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect((await walletOf(householdId)).balanceMinutes).toBe(60);
  });

  it('undoes a same-day mistake with a correcting transaction, once, and not after cheques were used', async () => {
    const householdId = households['bewoner@example.nl']!;
    const before = (await walletOf(householdId)).balanceMinutes;
    const sale = (await sell(householdId, 3)).json<Sale>();
    const undo = (reason = 'Verkeerd aantal') => ctx.app.inject({ method: 'POST', url: `/counter-sales/${sale.id}/undo`, headers: bearer(dispatcher), payload: { reason } });
    const first = await undo();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ undoReason: 'Verkeerd aantal' });
    expect((await walletOf(householdId)).balanceMinutes).toBe(before);
    expect((await undo()).json()).toMatchObject({ code: 'already_undone' });
    const entries = await ctx.db.selectFrom('ledger_entries').select('minutes').where('lot_id', '=', sale.lotId).execute();
    expect(entries.reduce((s, e) => s + e.minutes, 0)).toBe(0);
    expect(entries).toHaveLength(4);

    const fresh = await ctx.app.inject({ method: 'POST', url: '/households', headers: bearer(dispatcher), payload: {
      name: 'Fam. Used', street: 'Wisselaan', houseNumber: 98, postcode: '4823 JA', city: 'Breda', contact: { displayName: 'U. Used' },
    } });
    const usedHousehold = fresh.json<{ id: string }>().id;
    const used = (await sell(usedHousehold, 2)).json<Sale>();
    await ctx.app.inject({ method: 'POST', url: `/households/${usedHousehold}/redemptions`, headers: bearer(dispatcher), payload: { minutes: 60 } });
    const late = await ctx.app.inject({ method: 'POST', url: `/counter-sales/${used.id}/undo`, headers: bearer(dispatcher), payload: { reason: 'te laat' } });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'cheques_already_used' });
  });

  it('refuses orders outside the programme limits with a clear code', async () => {
    await sql`update programmes set settings = settings || '{"maxChequesPerOrder": 10, "yearlyChequeCapPerHousehold": 12}'::jsonb where slug = 'breda-noordoost'`.execute(ctx.ownerDb);
    const householdId = households['bredapas@example.nl']!;
    expect((await sell(householdId, 11)).json()).toMatchObject({ code: 'order_too_large' });
    // 5 bought earlier this year; 12 - 5 = 7 still allowed
    expect((await sell(householdId, 8)).json()).toMatchObject({ code: 'yearly_cap_reached' });
    expect((await sell(householdId, 7)).statusCode).toBe(201);
    await sql`update programmes set settings = settings - 'maxChequesPerOrder' - 'yearlyChequeCapPerHousehold' where slug = 'breda-noordoost'`.execute(ctx.ownerDb);
  });

  it('keeps another programme out: Breda staff cannot sell to an Utrecht household', async () => {
    const res = await sell(households['bewoner.utrecht@example.nl']!, 1);
    expect(res.statusCode).toBe(404);
  });
});

describe('the city pass', () => {
  it('gives the city-pass price only after staff verified it, audits staff views, and keeps old lots at their price', async () => {
    const reg = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: {
      email: `pas-${randomUUID()}@example.nl`, password: 'een-lang-wachtwoord-42', displayName: 'Pas Houder', street: 'Geerenweg', houseNumber: 5, postcode: '4824 AB', city: 'Breda',
    } });
    const session = reg.json<{ accessToken: string; user: { household: { id: string } } }>();
    const householdId = session.user.household.id;
    const enter = await ctx.app.inject({ method: 'PUT', url: `/households/${householdId}/city-pass`, headers: bearer(session.accessToken), payload: { passNumber: 'BP-2027-777777', expiresOn: '2030-12-31', verify: true } });
    expect(enter.statusCode).toBe(200);
    expect(enter.json()).toMatchObject({ verified: false }); // a resident cannot verify their own pass
    expect((await sell(householdId, 1)).json()).toMatchObject({ centsPerHour: 1000 });
    const verify = await ctx.app.inject({ method: 'POST', url: `/households/${householdId}/city-pass/verify`, headers: bearer(dispatcher) });
    expect(verify.json()).toMatchObject({ verified: true, expiresOn: '2030-12-31' });
    expect((await sell(householdId, 1)).json()).toMatchObject({ centsPerHour: 600 });
    const view = await ctx.app.inject({ method: 'GET', url: `/households/${householdId}/city-pass`, headers: bearer(dispatcher) });
    expect(view.json()).toMatchObject({ passNumber: 'BP-2027-777777' });
    const actions = await ctx.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'city_pass').where('subject_id', '=', householdId).execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['city_pass.entered', 'city_pass.verified', 'city_pass.viewed']);
    const w = await walletOf(householdId);
    expect(w.lots.map((l) => l.remainingMinutes)).toEqual([60, 60]);
    expect(w.balanceCents).toBe(1600);
    // A resident may not verify by the staff route
    const self = await ctx.app.inject({ method: 'POST', url: `/households/${householdId}/city-pass/verify`, headers: bearer(session.accessToken) });
    expect(self.statusCode).toBe(403);
  });
});

describe('the counter and the history, later in the day', () => {
  it('lists a household\'s counter sales newest first, with which ones the counter may still undo', async () => {
    const dispatcher = await ctx.login('coordinator@example.nl');
    const household = await ctx.db.selectFrom('households').select('id').where('name', '=', 'Mevr. De Vries').executeTakeFirstOrThrow();
    const sell = (cheques: number) => ctx.app.inject({ method: 'POST', url: `/households/${household.id}/counter-sales`, headers: bearer(dispatcher), payload: { cheques, paymentMethod: 'cash' } });
    const first = (await sell(2)).json<{ id: string }>();
    const second = (await sell(3)).json<{ id: string }>();
    expect((await ctx.app.inject({ method: 'POST', url: `/counter-sales/${first.id}/undo`, headers: bearer(dispatcher), payload: { reason: 'Verkeerd aantal' } })).statusCode).toBe(200);
    const res = await ctx.app.inject({ method: 'GET', url: `/households/${household.id}/counter-sales`, headers: bearer(dispatcher) });
    expect(res.statusCode).toBe(200);
    const sales = res.json<{ sales: { id: string; cheques: number; canUndo: boolean; undoneAt: string | null }[] }>().sales;
    expect(sales.slice(0, 2).map((s) => [s.id, s.cheques, s.canUndo, s.undoneAt !== null])).toEqual([[second.id, 3, true, false], [first.id, 2, false, true]]);
    const resident = await ctx.login('bewoner@example.nl');
    expect((await ctx.app.inject({ method: 'GET', url: `/households/${household.id}/counter-sales`, headers: bearer(resident) })).statusCode).toBe(403);
  });

  it('pages through the history with a cursor: no movement twice, none left out', async () => {
    const dispatcher = await ctx.login('coordinator@example.nl');
    const household = await ctx.db.selectFrom('households').select('id').where('name', '=', 'Fam. Yilmaz').executeTakeFirstOrThrow();
    for (let i = 0; i < 7; i++) {
      expect((await ctx.app.inject({ method: 'POST', url: `/households/${household.id}/counter-sales`, headers: bearer(dispatcher), payload: { cheques: 1, paymentMethod: 'pin' } })).statusCode).toBe(201);
    }
    const all = (await ctx.app.inject({ method: 'GET', url: `/households/${household.id}/wallet/history?limit=100`, headers: bearer(dispatcher) })).json<{ movements: { transactionId: string }[]; nextBefore: string | null }>();
    expect(all.nextBefore).toBeNull();
    expect(all.movements.length).toBeGreaterThanOrEqual(7);
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const url: string = `/households/${household.id}/wallet/history?limit=3${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const page = (await ctx.app.inject({ method: 'GET', url, headers: bearer(dispatcher) })).json<{ movements: { transactionId: string }[]; nextBefore: string | null }>();
      expect(page.movements.length).toBeLessThanOrEqual(3);
      seen.push(...page.movements.map((m) => m.transactionId));
      before = page.nextBefore;
    } while (before);
    expect(seen).toEqual(all.movements.map((m) => m.transactionId));
    const bad = await ctx.app.inject({ method: 'GET', url: `/households/${household.id}/wallet/history?before=gisteren`, headers: bearer(dispatcher) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed' });
  });
});
