import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Database, Tx } from '@buurtservice/db';
import type { Caller } from './auth.js';
import { appError } from './errors.js';

/** Schema for the optional `Idempotency-Key` header of routes that move cheques. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Send the same key to retry safely: the work is done once' })),
});

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface IdempotentWork<T> {
  status: number;
  body: T;
}

/** What identifies a request for its Idempotency-Key: the key (null without the header) and a hash of method, URL and body. */
export interface IdempotencyRecord {
  key: string | null;
  method: string;
  path: string;
  requestHash: string;
}

export function idempotencyRecord(request: FastifyRequest): IdempotencyRecord {
  const header = request.headers['idempotency-key'];
  return {
    key: typeof header === 'string' ? header : null,
    method: request.method,
    path: request.url,
    requestHash: createHash('sha256').update(`${request.method} ${request.url}\n${canonical(request.body ?? null)}`).digest('hex'),
  };
}

/** The key the ledger functions inside a keyed request use: stable per caller and key, else fresh. */
export function ledgerKeyOf(caller: Caller, key: string | null): string {
  return key ? `http:${caller.userId}:${key}` : `http:${randomUUID()}`;
}

/** Answers with a (possibly replayed) stored response, as `idempotent` does. */
export function replyIdempotent<T>(reply: FastifyReply, result: IdempotentWork<T> & { replayed: boolean }): T {
  void reply.status(result.status);
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return result.body;
}

/**
 * Runs `work` once per Idempotency-Key. The key row is claimed in the same transaction as the
 * work: a copy that arrives while the first is running waits on the key's unique index, then finds
 * the committed response and returns it. If the first attempt fails, its transaction (and claim)
 * rolls back and a retry does the work afresh. The same key with another request is 422.
 * `ledgerKey` is a stable key for the ledger functions inside `work`.
 */
export async function idempotent<T>(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
  work: (tx: Tx, ledgerKey: string) => Promise<IdempotentWork<T>>,
): Promise<T> {
  const { key, requestHash } = idempotencyRecord(request);
  const result = await db.transaction().execute(async (tx) => {
    if (key) {
      const claimed = await sql<{ claimed: boolean }>`
        insert into idempotency_requests (programme_id, user_id, key, method, path, request_hash, status_code, response)
        values (${caller.programmeId}, ${caller.userId}, ${key}, ${request.method}, ${request.url}, ${requestHash}, 0, 'null'::jsonb)
        on conflict do nothing returning true as claimed`.execute(tx);
      if (claimed.rows.length === 0) {
        const stored = await tx
          .selectFrom('idempotency_requests')
          .select(['request_hash', 'status_code', 'response'])
          .where('programme_id', '=', caller.programmeId)
          .where('user_id', '=', caller.userId)
          .where('key', '=', key)
          .executeTakeFirstOrThrow();
        if (stored.request_hash !== requestHash) throw appError('idempotency_key_reused');
        return { status: stored.status_code, body: stored.response as T, replayed: true };
      }
    }
    const done = await work(tx, ledgerKeyOf(caller, key));
    if (key) {
      await tx
        .updateTable('idempotency_requests')
        .set({ status_code: done.status, response: JSON.stringify(done.body) })
        .where('programme_id', '=', caller.programmeId)
        .where('user_id', '=', caller.userId)
        .where('key', '=', key)
        .execute();
    }
    return { ...done, replayed: false };
  });
  return replyIdempotent(reply, result);
}
