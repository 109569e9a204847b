import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../database.js';
import type { Households } from '../schema.js';

export type HouseholdRow = Selectable<Households>;

/** A household of this programme, or undefined: another programme's household does not exist here. */
export async function findHousehold(db: Executor, programmeId: string, householdId: string) {
  return db
    .selectFrom('households as h')
    .leftJoin('buurten as b', 'b.id', 'h.buurt_id')
    .leftJoin('city_passes as cp', 'cp.household_id', 'h.id')
    .selectAll('h')
    .select(['b.name as buurt_name', 'cp.expires_on as city_pass_expires_on', 'cp.verified_at as city_pass_verified_at'])
    .where('h.programme_id', '=', programmeId)
    .where('h.id', '=', householdId)
    .executeTakeFirst();
}

export async function insertHousehold(db: Executor, household: Insertable<Households>): Promise<HouseholdRow> {
  return db.insertInto('households').values(household).returningAll().executeTakeFirstOrThrow();
}

/**
 * Finds households for the counter: by name (part), postcode with or without house number
 * ('4823AB 12'), or phone number (digits only compared).
 */
export async function searchHouseholds(db: Executor, programmeId: string, query: string, limit = 25) {
  const q = query.trim();
  const postcode = /^([1-9][0-9]{3})\s?([A-Za-z]{2})(?:\s+(\d+))?/.exec(q);
  const digits = q.replace(/\D/g, '');
  return db
    .selectFrom('households as h')
    .leftJoin('buurten as b', 'b.id', 'h.buurt_id')
    .select(['h.id', 'h.name', 'h.street', 'h.house_number', 'h.house_number_suffix', 'h.postcode', 'h.city', 'h.phone', 'b.name as buurt_name'])
    .where('h.programme_id', '=', programmeId)
    .where((eb) => {
      if (postcode) {
        const pc = `${postcode[1]}${postcode[2]!.toUpperCase()}`;
        return postcode[3] ? eb.and([eb('h.postcode', '=', pc), eb('h.house_number', '=', Number(postcode[3]))]) : eb('h.postcode', '=', pc);
      }
      const ors = [eb('h.name', 'ilike', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)];
      if (digits.length >= 6) ors.push(eb(sql<string>`regexp_replace(coalesce(h.phone, ''), '\\D', '', 'g')`, 'like', `%${digits}%`));
      return eb.or(ors);
    })
    .orderBy('h.name')
    .limit(limit)
    .execute();
}
