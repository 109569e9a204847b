import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, cityPasses, counter, wallet } from '@buurtservice/db';
import { amsterdamDate, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotencyRecord, idempotent, ledgerKeyOf, replyIdempotent } from '../idempotency.js';
import { DateTime, IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf, householdFor, organisationFor } from '../scope.js';
import { resumeAfterPurchase } from '../services/bookings.js';
import { purchaseTerms, receiptPrefix } from '../services/purchase.js';

const Source = Type.Union([Type.Literal('online'), Type.Literal('counter'), Type.Literal('invoice')]);

const WalletSchema = Obj({
  balanceMinutes: Type.Integer({ description: 'Free worker-minutes (60 = one dienstencheque)' }),
  balanceCents: Type.Integer({ description: 'What the free minutes were bought for' }),
  heldMinutes: Type.Integer({ description: 'Minutes reserved for booked jobs' }),
  heldCents: Type.Integer(),
  owedMinutes: Type.Integer({ description: 'Minutes worked that the wallet could not pay yet; the next purchase pays them first' }),
  lots: Type.Array(Obj({
    id: Uuid, source: Source, category: Type.String(), centsPerHour: Type.Integer(), minutes: Type.Integer(), remainingMinutes: Type.Integer(),
    heldMinutes: Type.Integer(), purchasedAt: DateTime, expiresAt: Nullable(DateTime), reference: Type.String(),
  })),
});

const HistorySchema = Obj({
  movements: Type.Array(Obj({
    transactionId: Uuid, kind: Type.String(), at: DateTime, bookingId: Nullable(Uuid), memo: Nullable(Type.String()),
    walletMinutes: Type.Integer(), heldMinutes: Type.Integer(), cents: Type.Integer(),
  })),
  /** Pass as `before` for the page of older movements; null on the last page. */
  nextBefore: Nullable(Type.String()),
});

// A page of history starts before the movement named by the cursor: "<ISO time>_<transaction id>".
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const HistoryQuery = Obj({
  before: Type.Optional(Type.String({ pattern: CURSOR.source, description: 'nextBefore of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});


const SaleSchema = Obj({
  id: Uuid,
  receiptNumber: Type.String(),
  householdId: Uuid,
  lotId: Uuid,
  cheques: Type.Integer(),
  cents: Type.Integer(),
  centsPerHour: Type.Integer(),
  category: Type.String(),
  paymentMethod: Type.Union([Type.Literal('cash'), Type.Literal('pin')]),
  soldAt: DateTime,
  expiresAt: Nullable(DateTime),
  undoneAt: Nullable(DateTime),
  undoReason: Nullable(Type.String()),
});

const SaleListSchema = Obj({ sales: Type.Array(Obj({ ...SaleSchema.properties, canUndo: Type.Boolean({ description: 'sold today and not undone: the counter may undo it (while no cheque is used)' }) })) });

const CityPassSchema = Obj({ passNumber: Type.String(), expiresOn: IsoDate, verified: Type.Boolean(), verifiedAt: Nullable(DateTime), expiresSoon: Type.Boolean() });

type SaleRow = NonNullable<Awaited<ReturnType<typeof counter.findSale>>>;
const toSale = (s: SaleRow | (Awaited<ReturnType<typeof counter.insertSale>> & { cents_per_hour: number; category: string; expires_at: Date | null })) => ({
  id: s.id, receiptNumber: s.receipt_number, householdId: s.household_id, lotId: s.lot_id, cheques: s.cheques, cents: s.cents,
  centsPerHour: s.cents_per_hour, category: s.category, paymentMethod: s.payment_method, soldAt: s.sold_at.toISOString(),
  expiresAt: s.expires_at?.toISOString() ?? null, undoneAt: s.undone_at?.toISOString() ?? null, undoReason: s.undo_reason,
});

export const walletRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  const summary = async (programmeId: string, owner: wallet.Owner) => {
    const w = await wallet.walletSummary(db, programmeId, owner);
    return { ...w, lots: w.lots.map((l) => ({ ...l, purchasedAt: l.purchasedAt.toISOString(), expiresAt: l.expiresAt?.toISOString() ?? null })) };
  };
  const history = async (programmeId: string, owner: wallet.Owner, query: { before?: string; limit?: number }) => {
    const limit = query.limit ?? 50;
    const cursor = query.before ? CURSOR.exec(query.before) : null;
    // one more than asked tells whether there is an older page
    const rows = await wallet.walletHistory(db, programmeId, owner, { limit: limit + 1, ...(cursor ? { before: { at: new Date(cursor[1]!), transactionId: cursor[2]! } } : {}) });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      movements: page.map((m) => ({ ...m, at: m.at.toISOString() })),
      nextBefore: rows.length > limit && last ? `${last.at.toISOString()}_${last.transactionId}` : null,
    };
  };

  app.get('/households/:householdId/wallet', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: { tags: ['wallet'], summary: "A household's cheques: free, held, owed, and its lots", security, params: IdParams('householdId'), response: { 200: WalletSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    return summary(caller.programmeId, { householdId: h.id });
  });

  app.get('/households/:householdId/wallet/history', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: { tags: ['wallet'], summary: 'Every movement of the wallet, newest first, a page at a time', security, params: IdParams('householdId'), querystring: HistoryQuery, response: { 200: HistorySchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    return history(caller.programmeId, { householdId: h.id }, request.query);
  });

  app.get('/organisations/:organisationId/wallet', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['wallet'], summary: "An organisation's cheques", security, params: IdParams('organisationId'), response: { 200: WalletSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const o = await organisationFor(db, caller, request.params.organisationId);
    return summary(caller.programmeId, { organisationId: o.id });
  });

  app.get('/organisations/:organisationId/wallet/history', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['wallet'], summary: "Every movement of an organisation's wallet, newest first, a page at a time", security, params: IdParams('organisationId'), querystring: HistoryQuery, response: { 200: HistorySchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const o = await organisationFor(db, caller, request.params.organisationId);
    return history(caller.programmeId, { organisationId: o.id }, request.query);
  });

  app.post('/households/:householdId/counter-sales', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['counter'],
      summary: 'Sell cheques at the counter for cash or PIN, at the household\'s tariff; answers with the receipt',
      security,
      params: IdParams('householdId'),
      headers: IdempotencyHeaders,
      body: Obj({ cheques: Type.Integer({ minimum: 1, maximum: 10000 }), paymentMethod: Type.Union([Type.Literal('cash'), Type.Literal('pin')]) }, { examples: [{ cheques: 5, paymentMethod: 'cash' }] }),
      response: { 201: SaleSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const owner = { householdId: h.id };
    const { cheques, paymentMethod } = request.body;
    const sale = await idempotent(db, request, reply, caller, async (tx, ledgerKey) => {
      const terms = await purchaseTerms(tx, caller.programmeId, owner, cheques);
      const receiptNumber = await counter.nextReceiptNumber(tx, caller.programmeId, receiptPrefix(terms.programme.slug), Number(amsterdamDate().slice(0, 4)));
      const bought = await wallet.buyCheques(tx, {
        programmeId: caller.programmeId, owner, cheques, source: 'counter', category: terms.category, centsPerHour: terms.centsPerHour,
        expiresAt: terms.expiresAt, reference: receiptNumber, idempotencyKey: ledgerKey, actorUserId: caller.userId,
      });
      if (bought.replayed) throw new Error('a counter sale was replayed without its idempotency row');
      const sale = await counter.insertSale(tx, {
        programme_id: caller.programmeId, household_id: h.id, lot_id: bought.lotId, receipt_number: receiptNumber, payment_method: paymentMethod,
        cheques, cents: cheques * terms.centsPerHour, sold_by: caller.userId,
      });
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: h.id, action: 'counter.sale', subjectType: 'counter_sale', subjectId: sale.id, details: { cheques, cents: sale.cents, paymentMethod } });
      return { status: 201, body: toSale({ ...sale, cents_per_hour: terms.centsPerHour, category: terms.category, expires_at: terms.expiresAt }) };
    });
    // Committed: bookings waiting for these cheques move on (best effort, in their own transaction).
    await resumeAfterPurchase(db, { programmeId: caller.programmeId, customer: owner, actorUserId: caller.userId }, request.log);
    return sale;
  });

  app.get('/households/:householdId/counter-sales', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['counter'], summary: "A household's last 20 counter sales, newest first (to undo a mistake made today)", security, params: IdParams('householdId'), response: { 200: SaleListSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const sales = await counter.listSales(db, caller.programmeId, h.id);
    return { sales: sales.map((s) => ({ ...toSale(s), canUndo: s.same_day && s.undone_at === null })) };
  });

  app.get('/counter-sales/:saleId', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['counter'], summary: 'A counter sale (for the receipt)', security, params: IdParams('saleId'), response: { 200: SaleSchema } },
  }, async (request) => {
    const sale = await counter.findSale(db, callerOf(request).programmeId, request.params.saleId);
    if (!sale) throw appError('not_found');
    return toSale(sale);
  });

  app.post('/counter-sales/:saleId/undo', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['counter'],
      summary: 'Undo a counter sale made by mistake today, while none of its cheques is used; a correcting transaction, never a deletion',
      security,
      params: IdParams('saleId'),
      headers: IdempotencyHeaders,
      body: Obj({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { examples: [{ reason: 'Verkeerd aantal aangeslagen' }] }),
      response: { 200: SaleSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    return idempotent(db, request, reply, caller, async (tx, ledgerKey) => {
      const sale = await counter.findSale(tx, caller.programmeId, request.params.saleId);
      if (!sale) throw appError('not_found');
      if (sale.undone_at) throw appError('already_undone');
      if (!sale.same_day) throw appError('undo_too_late');
      try {
        await wallet.undoPurchase(tx, { programmeId: caller.programmeId, lotId: sale.lot_id, idempotencyKey: ledgerKey, reason: request.body.reason, actorUserId: caller.userId });
      } catch (err) {
        if (err instanceof wallet.InsufficientBalanceError) throw appError('cheques_already_used');
        throw err;
      }
      if (!(await counter.markUndone(tx, sale.id, caller.userId, request.body.reason))) throw appError('already_undone');
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: sale.household_id, action: 'counter.sale_undone', subjectType: 'counter_sale', subjectId: sale.id, details: { reason: request.body.reason } });
      const updated = await counter.findSale(tx, caller.programmeId, sale.id);
      return { status: 200, body: toSale(updated!) };
    });
  });

  app.post('/households/:householdId/redemptions', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['counter'],
      summary: 'Pay a service at the service point straight from the wallet (all or nothing: 409 when the wallet is short)',
      security,
      params: IdParams('householdId'),
      headers: IdempotencyHeaders,
      body: Obj({ minutes: Type.Integer({ minimum: 15, maximum: 6000, multipleOf: 15 }), memo: Type.Optional(Type.String({ maxLength: 200 })) }, { examples: [{ minutes: 60, memo: 'Strijkservice' }] }),
      response: { 201: Obj({ transactionId: Uuid, minutes: Type.Integer(), cents: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    // The household check, the Idempotency-Key and the redemption in one statement (the counter's
    // hot path; see wallet.redeemAtCounter): the same answers as householdFor + idempotent + redeemFromWallet.
    const record = idempotencyRecord(request);
    let r: wallet.CounterRedemptionResult;
    try {
      r = await wallet.redeemAtCounter(db, {
        programmeId: caller.programmeId, householdId: request.params.householdId, minutes: request.body.minutes, memo: request.body.memo ?? null,
        actorUserId: caller.userId, ledgerKey: ledgerKeyOf(caller, record.key), request: record,
      });
    } catch (err) {
      if (err instanceof wallet.InsufficientBalanceError) throw appError('insufficient_balance');
      throw err;
    }
    if (r.outcome === 'not_found') throw appError('not_found');
    if (r.outcome === 'key_reused') throw appError('idempotency_key_reused');
    return replyIdempotent(reply, { status: r.status, body: r.body as { transactionId: string; minutes: number; cents: number }, replayed: r.outcome === 'replayed' });
  });

  // ── City pass ──
  const passView = (p: NonNullable<Awaited<ReturnType<typeof cityPasses.findCityPass>>>) => {
    const today = amsterdamDate();
    const in30 = amsterdamDate(new Date(Date.now() + 30 * 86_400_000));
    return {
      passNumber: p.pass_number, expiresOn: p.expires_on, verified: p.verified_at !== null, verifiedAt: p.verified_at?.toISOString() ?? null,
      expiresSoon: p.expires_on >= today && p.expires_on <= in30,
    };
  };
  const auditPass = (caller: Caller, householdId: string, action: string) =>
    audit(db, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: householdId, action, subjectType: 'city_pass', subjectId: householdId });

  app.get('/households/:householdId/city-pass', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: { tags: ['city pass'], summary: "The household's city pass (every view by staff is audited)", security, params: IdParams('householdId'), response: { 200: CityPassSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const pass = await cityPasses.findCityPass(db, caller.programmeId, h.id);
    if (caller.role !== 'resident') await auditPass(caller, h.id, 'city_pass.viewed');
    if (!pass) throw appError('city_pass_missing');
    return passView(pass);
  });

  app.put('/households/:householdId/city-pass', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: {
      tags: ['city pass'],
      summary: 'Enter or change the city pass; staff who saw the pass can verify it in the same step',
      security,
      params: IdParams('householdId'),
      body: Obj({ passNumber: Type.String({ minLength: 4, maxLength: 32, pattern: '^[A-Za-z0-9 -]+$' }), expiresOn: IsoDate, verify: Type.Optional(Type.Boolean()) },
        { examples: [{ passNumber: 'BP-2026-001234', expiresOn: '2027-12-31' }] }),
      response: { 200: CityPassSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const b = request.body;
    if (b.expiresOn < amsterdamDate()) throw appError('city_pass_expired', [{ field: '/expiresOn', code: 'city_pass_expired' }]);
    const verifiedBy = b.verify === true && caller.role !== 'resident' ? caller.userId : null;
    await db.transaction().execute(async (tx) => {
      await cityPasses.upsertCityPass(tx, { programmeId: caller.programmeId, householdId: h.id, passNumber: b.passNumber.trim(), expiresOn: b.expiresOn, verifiedBy });
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: h.id, action: verifiedBy ? 'city_pass.entered_verified' : 'city_pass.entered', subjectType: 'city_pass', subjectId: h.id, details: { expiresOn: b.expiresOn } });
    });
    return passView((await cityPasses.findCityPass(db, caller.programmeId, h.id))!);
  });

  app.post('/households/:householdId/city-pass/verify', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['city pass'], summary: 'Staff saw the pass: from now until its expiry, purchases get the city-pass tariff', security, params: IdParams('householdId'), response: { 200: CityPassSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const h = await householdFor(db, caller, request.params.householdId);
    const pass = await db.transaction().execute(async (tx) => {
      const current = await cityPasses.findCityPass(tx, caller.programmeId, h.id);
      if (!current) throw appError('city_pass_missing');
      if (current.expires_on < amsterdamDate()) throw appError('city_pass_expired');
      await cityPasses.verifyCityPass(tx, caller.programmeId, h.id, caller.userId);
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: h.id, action: 'city_pass.verified', subjectType: 'city_pass', subjectId: h.id });
      return (await cityPasses.findCityPass(tx, caller.programmeId, h.id))!;
    });
    return passView(pass);
  });
};
