import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The access paths of the planner's loader (db/src/repositories/planning.ts), which reads a whole
// programme at once: its active assignments that overlap a window (the week or weeks of a job,
// the month for fair shares) and its workers' weekly availability.
//
// The exclusion constraint worker_not_double_booked indexes (worker_id, during): a search by time
// alone walks every programme's assignments of that time. An index led by the programme finds
// just this programme's (btree_gist, installed by the foundation migration, lets GiST index a uuid).
// worker_availability had no index by programme at all.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index booking_assignments_programme_during_idx on booking_assignments using gist (programme_id, during) where released_at is null`.execute(db);
  await sql`create index worker_availability_programme_idx on worker_availability (programme_id, worker_id, weekday, start_minute)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index worker_availability_programme_idx`.execute(db);
  await sql`drop index booking_assignments_programme_during_idx`.execute(db);
}
