import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, counter, invoices, programmes, wallet } from '@buurtservice/db';
import { amsterdamDate, chequeExpiresAt, formatPostcode, resolveSettings, STAFF_ROLES, vatCents } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { IdempotencyHeaders, idempotent } from '../idempotency.js';
import { IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf, organisationFor } from '../scope.js';
import { invoicePdf, receiptPdf, type Party } from '../services/pdf.js';
import { resumeAfterPurchase } from '../services/bookings.js';
import { purchaseTerms } from '../services/purchase.js';

const PartySchema = Obj({ name: Type.String(), address: Type.String(), kvkNumber: Nullable(Type.String()), vatNumber: Nullable(Type.String()), iban: Nullable(Type.String()) });
const InvoiceSchema = Obj({
  id: Uuid, number: Type.String(), organisationId: Uuid, issuedAt: Type.String({ format: 'date-time' }), dueOn: IsoDate, description: Type.String(),
  cheques: Type.Integer(), centsPerHour: Type.Integer(), netCents: Type.Integer(), vatRatePercent: Type.Number(), vatCents: Type.Integer(), grossCents: Type.Integer(),
  status: Type.Union([Type.Literal('open'), Type.Literal('paid')]), paidAt: Nullable(Type.String({ format: 'date-time' })), seller: PartySchema, buyer: PartySchema,
});
const Pdf = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' });

type InvoiceRow = NonNullable<Awaited<ReturnType<typeof invoices.findInvoice>>>;
/** The party snapshot stored as JSON on the invoice. */
function toParty(json: unknown): { name: string; address: string; kvkNumber: string | null; vatNumber: string | null; iban: string | null } {
  const p = (json ?? {}) as Partial<Party>;
  return { name: p.name ?? '', address: p.address ?? '', kvkNumber: p.kvkNumber ?? null, vatNumber: p.vatNumber ?? null, iban: p.iban ?? null };
}
const toInvoice = (i: InvoiceRow) => ({
  id: i.id, number: i.number, organisationId: i.organisation_id, issuedAt: i.issued_at.toISOString(), dueOn: i.due_on, description: i.description,
  cheques: i.cheques, centsPerHour: i.cents_per_hour, netCents: i.net_cents, vatRatePercent: i.vat_rate_percent, vatCents: i.vat_cents, grossCents: i.gross_cents,
  status: i.status, paidAt: i.paid_at?.toISOString() ?? null, seller: toParty(i.seller), buyer: toParty(i.buyer),
});

const addressLine = (street: string, nr: number, suffix: string, postcode: string, city: string) => `${street} ${nr}${suffix ? ` ${suffix}` : ''}, ${formatPostcode(postcode)} ${city}`;

export const invoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  async function invoiceFor(callerRequest: Parameters<typeof callerOf>[0], invoiceId: string) {
    const caller = callerOf(callerRequest);
    const invoice = await invoices.findInvoice(db, caller.programmeId, invoiceId);
    // An organisation member sees only the invoices of their own organisation.
    if (!invoice || (caller.role === 'organisation_member' && invoice.organisation_id !== caller.organisationId)) throw appError('not_found');
    return invoice;
  }

  app.post('/organisations/:organisationId/orders', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['invoices'],
      summary: 'Order hours in bulk: an invoice is made now, the cheques arrive when the payment is recorded',
      security,
      params: IdParams('organisationId'),
      headers: IdempotencyHeaders,
      body: Obj({ cheques: Type.Integer({ minimum: 1, maximum: 10000 }) }, { examples: [{ cheques: 20 }] }),
      response: { 201: InvoiceSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const org = await organisationFor(db, caller, request.params.organisationId);
    const { cheques } = request.body;
    return idempotent(db, request, reply, caller, async (tx) => {
      const terms = await purchaseTerms(tx, caller.programmeId, { organisationId: org.id }, cheques);
      const { programme, settings } = terms;
      const net = cheques * terms.centsPerHour;
      const vat = vatCents(net, settings.vatRatePercent);
      const today = amsterdamDate();
      const due = amsterdamDate(new Date(Date.now() + settings.invoicePaymentDays * 86_400_000));
      const invoice = await invoices.insertInvoice(tx, {
        programme_id: caller.programmeId, organisation_id: org.id, number: await invoices.nextInvoiceNumber(tx, caller.programmeId, Number(today.slice(0, 4))),
        due_on: due, description: `${cheques} dienstencheques Buurtservice ${programme.name} (uren van 1 medewerker)`,
        cheques, cents_per_hour: terms.centsPerHour, net_cents: net, vat_rate_percent: settings.vatRatePercent, vat_cents: vat, gross_cents: net + vat,
        seller: JSON.stringify({ name: settings.legalName || programme.name, address: settings.billingAddress, kvkNumber: settings.kvkNumber || null, vatNumber: settings.vatNumber || null, iban: settings.iban || null }),
        buyer: JSON.stringify({ name: org.name, address: addressLine(org.billing_street, org.billing_house_number, org.billing_house_number_suffix, org.billing_postcode, org.billing_city), kvkNumber: org.kvk_number, vatNumber: org.vat_number, iban: null }),
        ordered_by: caller.userId,
      });
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'invoice.issued', subjectType: 'invoice', subjectId: invoice.id, details: { cheques, grossCents: invoice.gross_cents } });
      return { status: 201, body: toInvoice(invoice) };
    });
  });

  app.get('/organisations/:organisationId/invoices', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['invoices'], summary: "An organisation's invoices, newest first", security, params: IdParams('organisationId'), response: { 200: Obj({ invoices: Type.Array(InvoiceSchema) }) } },
  }, async (request) => {
    const caller = callerOf(request);
    const org = await organisationFor(db, caller, request.params.organisationId);
    return { invoices: (await invoices.listInvoices(db, caller.programmeId, org.id)).map(toInvoice) };
  });

  app.get('/invoices', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['invoices'], summary: "All the programme's invoices", security, response: { 200: Obj({ invoices: Type.Array(InvoiceSchema) }) } },
  }, async (request) => ({ invoices: (await invoices.listInvoices(db, callerOf(request).programmeId)).map(toInvoice) }));

  app.get('/invoices/:invoiceId', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['invoices'], summary: 'One invoice', security, params: IdParams('invoiceId'), response: { 200: InvoiceSchema } },
  }, async (request) => toInvoice(await invoiceFor(request, request.params.invoiceId)));

  app.get('/invoices/:invoiceId/pdf', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['invoices'], summary: 'The invoice as PDF', security, params: IdParams('invoiceId'), response: { 200: Pdf } },
  }, async (request, reply) => {
    const i = await invoiceFor(request, request.params.invoiceId);
    const pdf = await invoicePdf({
      number: i.number, issuedAt: i.issued_at, dueOn: i.due_on, seller: toParty(i.seller), buyer: toParty(i.buyer), description: i.description,
      cheques: i.cheques, centsPerHour: i.cents_per_hour, netCents: i.net_cents, vatRatePercent: i.vat_rate_percent, vatCents: i.vat_cents, grossCents: i.gross_cents, paid: i.status === 'paid',
    });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="factuur-${i.number}.pdf"`).send(pdf);
  });

  app.post('/invoices/:invoiceId/payment', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['invoices'],
      summary: 'Record that the invoice was paid: its cheques are credited to the organisation, once',
      security,
      params: IdParams('invoiceId'),
      headers: IdempotencyHeaders,
      response: { 200: InvoiceSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const paid = await idempotent(db, request, reply, caller, async (tx) => {
      const invoice = await invoices.findInvoice(tx, caller.programmeId, request.params.invoiceId);
      if (!invoice) throw appError('not_found');
      if (invoice.status === 'paid') throw appError('invoice_already_paid');
      const programme = await programmes.getProgramme(tx, caller.programmeId);
      const settings = resolveSettings(programme.settings);
      const expiresAt = chequeExpiresAt(settings, new Date());
      // The key is the invoice itself: paying one invoice twice is impossible whatever the request.
      const bought = await wallet.buyCheques(tx, {
        programmeId: caller.programmeId, owner: { organisationId: invoice.organisation_id }, cheques: invoice.cheques, source: 'invoice', category: 'organisation',
        centsPerHour: invoice.cents_per_hour, expiresAt, reference: invoice.number, idempotencyKey: `invoice:${invoice.id}`, actorUserId: caller.userId,
      });
      if (bought.replayed || !(await invoices.markPaid(tx, invoice.id, bought.lotId, caller.userId))) throw appError('invoice_already_paid');
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'invoice.paid', subjectType: 'invoice', subjectId: invoice.id, details: { cheques: invoice.cheques } });
      return { status: 200, body: toInvoice((await invoices.findInvoice(tx, caller.programmeId, invoice.id))!) };
    });
    // Committed: bookings waiting for these cheques move on (best effort, in their own transaction).
    await resumeAfterPurchase(db, { programmeId: caller.programmeId, customer: { organisationId: paid.organisationId }, actorUserId: caller.userId }, request.log);
    return paid;
  });

  app.get('/counter-sales/:saleId/receipt', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['counter'], summary: 'The receipt of a counter sale as PDF', security, params: IdParams('saleId'), response: { 200: Pdf } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const s = await counter.findSale(db, caller.programmeId, request.params.saleId);
    if (!s) throw appError('not_found');
    const programme = await programmes.getProgramme(db, caller.programmeId);
    const pdf = await receiptPdf({
      programmeName: programme.name, servicePoint: resolveSettings(programme.settings).servicePointAddress, receiptNumber: s.receipt_number, soldAt: s.sold_at,
      household: { name: s.household_name, address: addressLine(s.street, s.house_number, s.house_number_suffix, s.postcode, s.city) },
      cheques: s.cheques, centsPerHour: s.cents_per_hour, cents: s.cents, paymentMethod: s.payment_method, expiresAt: s.expires_at, soldBy: s.sold_by_name,
      undone: s.undone_at && s.undo_reason ? { at: s.undone_at, reason: s.undo_reason } : null,
    });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="kassabon-${s.receipt_number}.pdf"`).send(pdf);
  });
};
