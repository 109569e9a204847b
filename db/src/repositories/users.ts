import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../database.js';
import type { Users } from '../schema.js';

export type UserRow = Selectable<Users>;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Executor, user: Insertable<Users>): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function listProgrammeUsers(db: Executor, programmeId: string, roles: readonly UserRow['role'][]) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'email', 'phone', 'created_at', 'disabled_at'])
    .where('programme_id', '=', programmeId)
    .where('role', 'in', roles)
    .orderBy('display_name')
    .execute();
}

/** Everything `GET /me` shows, in one query. */
export async function loadProfile(db: Executor, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('programmes as p', 'p.id', 'u.programme_id')
    .leftJoin('households as h', 'h.id', 'u.household_id')
    .leftJoin('buurten as b', 'b.id', 'h.buurt_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .leftJoin('city_passes as cp', 'cp.household_id', 'u.household_id')
    .select([
      'u.id', 'u.role', 'u.display_name', 'u.email', 'u.locale', 'u.household_id', 'u.organisation_id', 'u.disabled_at',
      'p.id as programme_id', 'p.name as programme_name', 'p.city_pass_name',
      'h.name as household_name', 'h.postcode as household_postcode', 'b.name as buurt_name',
      'o.name as organisation_name',
      'cp.expires_on as city_pass_expires_on', 'cp.verified_at as city_pass_verified_at',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}
