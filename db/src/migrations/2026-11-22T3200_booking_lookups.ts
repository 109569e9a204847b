import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// A booking's hold account and its debts, found by the booking alone. The hold account's unique key
// leads with (programme_id, kind, household_id, …): looking a hold up by its booking walked every
// hold account of the programme (a sequential scan seen in the confirm-and-settle bench, growing
// with every booking ever made). wallet_debts had no index by booking at all.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ledger_accounts_booking_idx on ledger_accounts (booking_id) where booking_id is not null`.execute(db);
  await sql`create index wallet_debts_booking_idx on wallet_debts (booking_id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index wallet_debts_booking_idx`.execute(db);
  await sql`drop index ledger_accounts_booking_idx`.execute(db);
}
