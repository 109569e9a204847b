import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// An absence that is neither leave nor sickness (a training day, a doctor's visit): the kind
// `other` of docs/api-bookings.md, with the note saying what it is.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter type absence_kind add value if not exists 'other'`.execute(db);
}

// PostgreSQL cannot drop a value from an enum; absences of kind `other` become `leave` and the
// value stays (harmless) in the type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`update worker_absences set kind = 'leave' where kind = 'other'`.execute(db);
}
