import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../database.js';

/**
 * A worker's private calendar feed (issue 5): an address with a random secret that a calendar app
 * polls without logging in. The secret is 32 random bytes, written base64url (43 characters);
 * only its SHA-256 is stored, so the database alone never gives a working feed address. One feed
 * per worker: making a new one replaces the hash (the old address stops working), revoking
 * deletes the row.
 */

const TOKEN_BYTES = 32;

export interface FeedOwner {
  programmeId: string;
  workerId: string;
}

/** The stored hash of a token, or null when the text cannot be a token (never a database call then). */
function hashOf(token: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  return bytes.length === TOKEN_BYTES ? createHash('sha256').update(bytes).digest() : null;
}

/** Makes a new secret for the worker's feed (the old one, if any, stops working) and returns it: the only time it is seen. */
export async function createFeed(db: Executor, owner: FeedOwner): Promise<{ token: string; createdAt: Date }> {
  const bytes = randomBytes(TOKEN_BYTES);
  const token = bytes.toString('base64url');
  const row = await db.insertInto('calendar_feeds')
    .values({ worker_id: owner.workerId, programme_id: owner.programmeId, token_hash: createHash('sha256').update(bytes).digest() })
    .onConflict((oc) => oc.column('worker_id').doUpdateSet((eb) => ({ token_hash: eb.ref('excluded.token_hash'), created_at: eb.ref('excluded.created_at') })))
    .returning('created_at')
    .executeTakeFirstOrThrow();
  return { token, createdAt: row.created_at };
}

/** Revokes the worker's feed; true when there was one. */
export async function revokeFeed(db: Executor, owner: FeedOwner): Promise<boolean> {
  const result = await db.deleteFrom('calendar_feeds')
    .where('programme_id', '=', owner.programmeId).where('worker_id', '=', owner.workerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** When the worker's current feed was made, or null when there is none. */
export async function feedOf(db: Executor, owner: FeedOwner): Promise<{ createdAt: Date } | null> {
  const row = await db.selectFrom('calendar_feeds').select('created_at')
    .where('programme_id', '=', owner.programmeId).where('worker_id', '=', owner.workerId)
    .executeTakeFirst();
  return row ? { createdAt: row.created_at } : null;
}

/** Whose feed a token opens, or undefined (unknown, revoked, replaced, or not a token at all). */
export async function ownerOfToken(db: Executor, token: string): Promise<FeedOwner | undefined> {
  const hash = hashOf(token);
  if (!hash) return undefined;
  const row = await db.selectFrom('calendar_feeds').select(['programme_id', 'worker_id']).where('token_hash', '=', hash).executeTakeFirst();
  return row && { programmeId: row.programme_id, workerId: row.worker_id };
}
