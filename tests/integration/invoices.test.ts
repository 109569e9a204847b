import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { pdfText } from '../support/pdf.js';

let ctx: TestContext;
let member: string;
let admin: string;
let organisationId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  member = await ctx.login('organisatie@example.nl');
  admin = await ctx.login('beheer@example.nl');
  organisationId = (await ctx.db.selectFrom('organisations').select('id').where('kvk_number', '=', '20123456').executeTakeFirstOrThrow()).id;
});
afterAll(async () => { await ctx?.close(); });

type Invoice = { id: string; number: string; netCents: number; vatCents: number; grossCents: number; status: string; cheques: number; buyer: { name: string; kvkNumber: string } };

describe('organisation orders and invoices', () => {
  it('invoices 20 hours at € 15 plus 21% VAT, and credits the cheques once when the payment is recorded', async () => {
    const order = await ctx.app.inject({ method: 'POST', url: `/organisations/${organisationId}/orders`, headers: bearer(member), payload: { cheques: 20 } });
    expect(order.statusCode).toBe(201);
    const invoice = order.json<Invoice>();
    expect(invoice).toMatchObject({ cheques: 20, netCents: 30000, vatCents: 6300, grossCents: 36300, status: 'open' });
    expect(invoice.number).toMatch(/^F\d{4}-\d{5}$/);
    expect(invoice.buyer).toMatchObject({ name: 'Woonstichting Noordoost', kvkNumber: '20123456' });

    const pdf = await ctx.app.inject({ method: 'GET', url: `/invoices/${invoice.id}/pdf`, headers: bearer(member) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.rawPayload);
    for (const part of [invoice.number, 'Woonstichting Noordoost', '20123456', 'Stichting Werk aan de Wijk Breda', 'NL811122233B01', '€ 300,00', '€ 63,00', '€ 363,00', 'Btw 21%']) expect(text).toContain(part);

    let w = (await ctx.app.inject({ method: 'GET', url: `/organisations/${organisationId}/wallet`, headers: bearer(member) })).json<{ balanceMinutes: number }>();
    expect(w.balanceMinutes).toBe(0);
    // the member cannot record a payment
    expect((await ctx.app.inject({ method: 'POST', url: `/invoices/${invoice.id}/payment`, headers: bearer(member) })).statusCode).toBe(403);
    const payments = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      ctx.app.inject({ method: 'POST', url: `/invoices/${invoice.id}/payment`, headers: { ...bearer(admin), 'idempotency-key': `pay-${invoice.id}-${i}` } })));
    expect(payments.filter((p) => p.statusCode === 200)).toHaveLength(1);
    expect(payments.filter((p) => p.statusCode === 409).map((p) => p.json<{ code: string }>().code)).toEqual(Array(4).fill('invoice_already_paid'));
    w = (await ctx.app.inject({ method: 'GET', url: `/organisations/${organisationId}/wallet`, headers: bearer(member) })).json<{ balanceMinutes: number; balanceCents: number }>();
    expect(w).toMatchObject({ balanceMinutes: 1200, balanceCents: 30000 });
    const list = (await ctx.app.inject({ method: 'GET', url: `/organisations/${organisationId}/invoices`, headers: bearer(member) })).json<{ invoices: Invoice[] }>();
    expect(list.invoices.find((i) => i.id === invoice.id)?.status).toBe('paid');
  });

  it('keeps invoices private to their organisation and programme', async () => {
    const order = (await ctx.app.inject({ method: 'POST', url: `/organisations/${organisationId}/orders`, headers: bearer(member), payload: { cheques: 1 } })).json<Invoice>();
    const resident = await ctx.login('bewoner@example.nl');
    expect((await ctx.app.inject({ method: 'GET', url: `/invoices/${order.id}`, headers: bearer(resident) })).statusCode).toBe(403);
    const utrechtAdmin = await ctx.login('beheer.utrecht@example.nl');
    expect((await ctx.app.inject({ method: 'GET', url: `/invoices/${order.id}`, headers: bearer(utrechtAdmin) })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/invoices/${order.id}/payment`, headers: bearer(utrechtAdmin) })).statusCode).toBe(404);
  });
});

describe('counter receipt', () => {
  it('prints the sale as a PDF receipt', async () => {
    const dispatcher = await ctx.login('coordinator@example.nl');
    const household = (await ctx.db.selectFrom('users').select('household_id').where('email', '=', 'bewoner@example.nl').executeTakeFirstOrThrow()).household_id!;
    const sale = (await ctx.app.inject({ method: 'POST', url: `/households/${household}/counter-sales`, headers: bearer(dispatcher), payload: { cheques: 5, paymentMethod: 'pin' } })).json<{ id: string; receiptNumber: string }>();
    const pdf = await ctx.app.inject({ method: 'GET', url: `/counter-sales/${sale.id}/receipt`, headers: bearer(dispatcher) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.rawPayload);
    for (const part of [sale.receiptNumber, 'Fam. Jansen', '5 dienstencheques', '€ 50,00', 'pin']) expect(text).toContain(part);
  });
});
