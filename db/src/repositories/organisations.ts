import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../database.js';
import type { OrganisationLocations, Organisations } from '../schema.js';

export type OrganisationRow = Selectable<Organisations>;

export async function findOrganisation(db: Executor, programmeId: string, organisationId: string) {
  return db.selectFrom('organisations').selectAll().where('programme_id', '=', programmeId).where('id', '=', organisationId).executeTakeFirst();
}

export async function listOrganisations(db: Executor, programmeId: string) {
  return db.selectFrom('organisations').selectAll().where('programme_id', '=', programmeId).orderBy('name').execute();
}

export async function insertOrganisation(db: Executor, organisation: Insertable<Organisations>): Promise<OrganisationRow> {
  return db.insertInto('organisations').values(organisation).returningAll().executeTakeFirstOrThrow();
}

export async function listLocations(db: Executor, programmeId: string, organisationId: string) {
  return db
    .selectFrom('organisation_locations')
    .selectAll()
    .where('programme_id', '=', programmeId)
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export async function insertLocation(db: Executor, location: Insertable<OrganisationLocations>) {
  return db.insertInto('organisation_locations').values(location).returningAll().executeTakeFirstOrThrow();
}
