import { sql } from 'kysely';
import type { Tx } from '../database.js';

/**
 * The next number of a programme's documents of one kind in a year, without gaps: the counter is
 * updated in the caller's transaction, so a rolled-back sale or order gives its number back, and
 * concurrent issuers queue on the counter row.
 */
export async function nextDocumentNumber(tx: Tx, programmeId: string, kind: 'receipt' | 'invoice', year: number): Promise<number> {
  const row = await sql<{ last_number: number }>`
    insert into document_counters (programme_id, kind, year, last_number) values (${programmeId}, ${kind}, ${year}, 1)
    on conflict (programme_id, kind, year) do update set last_number = document_counters.last_number + 1
    returning last_number`.execute(tx);
  return row.rows[0]!.last_number;
}
