import { longestPostcodePrefix } from '@buurtservice/shared';
import type { Executor } from '../database.js';

export interface AreaMatch {
  programmeId: string;
  programmeName: string;
  cityPassName: string;
  buurtId: string | null;
  buurtName: string | null;
}

/** The programme (and buurt) whose postcode area holds a normalised postcode, by longest prefix. */
export async function findAreaForPostcode(db: Executor, postcode: string): Promise<AreaMatch | undefined> {
  const candidates = await db
    .selectFrom('postcode_areas as a')
    .innerJoin('programmes as p', 'p.id', 'a.programme_id')
    .leftJoin('buurten as b', 'b.id', 'a.buurt_id')
    .select(['a.prefix', 'a.programme_id', 'p.name as programme_name', 'p.city_pass_name', 'a.buurt_id', 'b.name as buurt_name'])
    .where('a.prefix', 'in', [postcode.slice(0, 4), postcode])
    .execute();
  const best = longestPostcodePrefix(postcode, candidates);
  return best && {
    programmeId: best.programme_id,
    programmeName: best.programme_name,
    cityPassName: best.city_pass_name,
    buurtId: best.buurt_id,
    buurtName: best.buurt_name,
  };
}

export async function getProgramme(db: Executor, programmeId: string) {
  return db.selectFrom('programmes').selectAll().where('id', '=', programmeId).executeTakeFirstOrThrow();
}
