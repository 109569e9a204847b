import { sql, type Insertable } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { Invoices } from '../schema.js';
import { nextDocumentNumber } from './documents.js';

/** The next invoice number of a programme's year: F2026-00001. */
export async function nextInvoiceNumber(tx: Tx, programmeId: string, year: number): Promise<string> {
  return `F${year}-${String(await nextDocumentNumber(tx, programmeId, 'invoice', year)).padStart(5, '0')}`;
}

export async function insertInvoice(tx: Tx, invoice: Insertable<Invoices>) {
  return tx.insertInto('invoices').values(invoice).returningAll().executeTakeFirstOrThrow();
}

export async function findInvoice(db: Executor, programmeId: string, invoiceId: string) {
  return db.selectFrom('invoices').selectAll().where('programme_id', '=', programmeId).where('id', '=', invoiceId).executeTakeFirst();
}

export async function listInvoices(db: Executor, programmeId: string, organisationId?: string) {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('programme_id', '=', programmeId)
    .$if(organisationId !== undefined, (q) => q.where('organisation_id', '=', organisationId!))
    .orderBy('issued_at', 'desc')
    .execute();
}

export async function markPaid(tx: Tx, invoiceId: string, lotId: string, userId: string): Promise<boolean> {
  const r = await tx
    .updateTable('invoices')
    .set({ status: 'paid', paid_at: sql`now()`, paid_recorded_by: userId, lot_id: lotId })
    .where('id', '=', invoiceId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
