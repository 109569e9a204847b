import type { Insertable } from 'kysely';
import type { Executor } from '../database.js';
import type { Outbox } from '../schema.js';

/** Queues a message once per dedupe key; returns whether it was new. */
export async function enqueue(db: Executor, message: Insertable<Outbox>): Promise<boolean> {
  const row = await db.insertInto('outbox').values(message).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function forHousehold(db: Executor, programmeId: string, householdId: string, limit = 20) {
  return db.selectFrom('outbox').select(['id', 'kind', 'payload', 'created_at']).where('programme_id', '=', programmeId).where('household_id', '=', householdId).orderBy('created_at', 'desc').limit(limit).execute();
}
