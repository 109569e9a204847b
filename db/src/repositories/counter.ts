import { sql, type Insertable } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { CounterSales } from '../schema.js';
import { nextDocumentNumber } from './documents.js';

/** The next receipt number of a programme's year: BN-2026-000001. */
export async function nextReceiptNumber(tx: Tx, programmeId: string, prefix: string, year: number): Promise<string> {
  return `${prefix}-${year}-${String(await nextDocumentNumber(tx, programmeId, 'receipt', year)).padStart(6, '0')}`;
}

export async function insertSale(tx: Tx, sale: Insertable<CounterSales>) {
  return tx.insertInto('counter_sales').values(sale).returningAll().executeTakeFirstOrThrow();
}

function sales(db: Executor, programmeId: string) {
  return db
    .selectFrom('counter_sales as s')
    .innerJoin('cheque_lots as l', 'l.id', 's.lot_id')
    .innerJoin('households as h', 'h.id', 's.household_id')
    .innerJoin('users as u', 'u.id', 's.sold_by')
    .selectAll('s')
    .select(['l.cents_per_hour', 'l.category', 'l.expires_at', 'h.name as household_name', 'h.street', 'h.house_number', 'h.house_number_suffix', 'h.postcode', 'h.city', 'u.display_name as sold_by_name', sql<boolean>`(s.sold_at at time zone 'Europe/Amsterdam')::date = (now() at time zone 'Europe/Amsterdam')::date`.as('same_day')])
    .where('s.programme_id', '=', programmeId);
}

export async function findSale(db: Executor, programmeId: string, saleId: string) {
  return sales(db, programmeId).where('s.id', '=', saleId).executeTakeFirst();
}

/** A household's counter sales, newest first (the counter shows them to undo a same-day mistake). */
export async function listSales(db: Executor, programmeId: string, householdId: string, limit = 20) {
  return sales(db, programmeId).where('s.household_id', '=', householdId).orderBy('s.sold_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
}

export async function markUndone(tx: Tx, saleId: string, userId: string, reason: string): Promise<boolean> {
  const r = await tx
    .updateTable('counter_sales')
    .set({ undone_at: sql`now()`, undone_by: userId, undo_reason: reason })
    .where('id', '=', saleId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
