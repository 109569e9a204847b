import { sql } from 'kysely';
import type { Executor } from '../database.js';

export async function findCityPass(db: Executor, programmeId: string, householdId: string) {
  return db
    .selectFrom('city_passes as c')
    .leftJoin('users as u', 'u.id', 'c.verified_by')
    .select(['c.pass_number', 'c.expires_on', 'c.verified_at', 'u.display_name as verified_by_name', 'c.updated_at'])
    .where('c.programme_id', '=', programmeId)
    .where('c.household_id', '=', householdId)
    .executeTakeFirst();
}

/** Enters or changes a household's pass; a changed number or date needs verifying again unless staff verify it now. */
export async function upsertCityPass(db: Executor, p: { programmeId: string; householdId: string; passNumber: string; expiresOn: string; verifiedBy: string | null }) {
  const verifiedAt = p.verifiedBy ? sql<Date>`now()` : sql<Date>`null`;
  await db
    .insertInto('city_passes')
    .values({ household_id: p.householdId, programme_id: p.programmeId, pass_number: p.passNumber, expires_on: p.expiresOn, verified_at: verifiedAt, verified_by: p.verifiedBy })
    .onConflict((oc) => oc.column('household_id').doUpdateSet({
      pass_number: p.passNumber, expires_on: p.expiresOn, verified_at: verifiedAt, verified_by: p.verifiedBy, updated_at: sql`now()`,
    }))
    .execute();
}

export async function verifyCityPass(db: Executor, programmeId: string, householdId: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('city_passes')
    .set({ verified_at: sql`now()`, verified_by: userId, updated_at: sql`now()` })
    .where('programme_id', '=', programmeId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
