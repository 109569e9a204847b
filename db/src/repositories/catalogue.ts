import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../database.js';
import type { Services, Tariffs } from '../schema.js';

export type ServiceRow = Selectable<Services>;
export type TariffRow = Selectable<Tariffs>;

export async function listServices(db: Executor, programmeId: string): Promise<ServiceRow[]> {
  return db.selectFrom('services').selectAll().where('programme_id', '=', programmeId).orderBy('sort_order').orderBy('name_nl').execute();
}

export async function updateService(db: Executor, programmeId: string, serviceId: string, changes: Updateable<Services>) {
  return db
    .updateTable('services')
    .set({ ...changes, updated_at: new Date() })
    .where('programme_id', '=', programmeId)
    .where('id', '=', serviceId)
    .returningAll()
    .executeTakeFirst();
}

export async function insertServices(db: Executor, services: Insertable<Services>[]) {
  return db.insertInto('services').values(services).returningAll().execute();
}

export async function listTariffs(db: Executor, programmeId: string): Promise<TariffRow[]> {
  return db.selectFrom('tariffs').selectAll().where('programme_id', '=', programmeId).orderBy('category').orderBy('valid_from').execute();
}

export async function insertTariff(db: Executor, tariff: Insertable<Tariffs>): Promise<TariffRow> {
  return db.insertInto('tariffs').values(tariff).returningAll().executeTakeFirstOrThrow();
}
