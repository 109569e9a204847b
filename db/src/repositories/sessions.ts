import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor, Database } from '../database.js';

const hash = (token: string) => createHash('sha256').update(token).digest();

export interface IssuedRefreshToken {
  token: string;
  familyId: string;
}

/** Issues a refresh token; a new sign-in starts a new family, a rotation continues one. */
export async function issueRefreshToken(db: Executor, userId: string, days: number, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('refresh_tokens')
    .values({
      user_id: userId,
      family_id: familyId,
      token_hash: hash(token),
      expires_at: sql<Date>`now() + make_interval(days => ${days})`,
    })
    .execute();
  return { token, familyId };
}

export type RotateResult =
  | { kind: 'rotated'; userId: string; familyId: string }
  | { kind: 'invalid' }
  | { kind: 'reused' };

/**
 * Spends a refresh token. The row is locked, so two concurrent uses of one token cannot both win:
 * the second sees it spent, treats it as theft, and revokes the whole family.
 */
export async function spendRefreshToken(db: Database, token: string): Promise<RotateResult> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('refresh_tokens')
      .select(['id', 'user_id', 'family_id', 'used_at', 'revoked_at', sql<boolean>`expires_at < now()`.as('expired')])
      .where('token_hash', '=', hash(token))
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.revoked_at || row.expired) return { kind: 'invalid' } as const;
    if (row.used_at) {
      await revokeFamily(tx, row.family_id);
      return { kind: 'reused' } as const;
    }
    await tx.updateTable('refresh_tokens').set({ used_at: sql`now()` }).where('id', '=', row.id).execute();
    return { kind: 'rotated', userId: row.user_id, familyId: row.family_id } as const;
  });
}

export async function revokeFamily(db: Executor, familyId: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ revoked_at: sql`now()` }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

/** Logout: revokes the family of the given token, if it exists. */
export async function revokeFamilyOfToken(db: Executor, token: string): Promise<void> {
  const row = await db.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hash(token)).executeTakeFirst();
  if (row) await revokeFamily(db, row.family_id);
}
