import { sql, type Insertable } from 'kysely';
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

// ── Delivery ─────────────────────────────────────────────────────────────────────────────────────
// The steps of api/src/jobs/notification-jobs.ts `deliverOutbox`; each is one statement that
// commits on its own, so a claim is durable before anything is sent.

export interface ClaimedMessage {
  id: string;
  programme_id: string;
  household_id: string | null;
  organisation_id: string | null;
  user_id: string | null;
  kind: string;
  payload: unknown;
  created_at: Date;
  /** including this try */
  attempts: number;
  /** set when an earlier claim's lease ran out without an outcome: it may have been sent already */
  reclaimed: boolean;
}

/**
 * Claims up to `limit` messages that are due, for `leaseSeconds`: unsent, not given up, past their
 * backoff, and either unclaimed or claimed longer ago than the lease (that worker is taken to have
 * died). FOR UPDATE SKIP LOCKED: two workers claiming at once never take the same row, and the
 * row's claim is re-checked after the lock, so a claim committed meanwhile is respected. Counts
 * the try at claim time, so a message that crashes its worker every time still runs out of tries.
 */
export async function claimDue(db: Executor, c: { now: Date; limit: number; leaseSeconds: number; token: string; maxAttempts: number }): Promise<ClaimedMessage[]> {
  const leaseCutoff = new Date(c.now.getTime() - c.leaseSeconds * 1000);
  const rows = await sql<ClaimedMessage>`
    with due as (
      select id, claimed_at is not null as reclaimed from outbox
      -- due: JavaScript's clock counts milliseconds, PostgreSQL's now() microseconds; a message
      -- written in the same millisecond as now is due too
      where sent_at is null and given_up_at is null and next_attempt_at < ${c.now}::timestamptz + interval '1 millisecond'
        and attempts < ${c.maxAttempts}
        and (claimed_at is null or claimed_at <= ${leaseCutoff})
      order by next_attempt_at, created_at, id
      limit ${c.limit}
      for update skip locked
    )
    update outbox o
    set claimed_at = ${c.now}, claim_token = ${c.token}, attempts = o.attempts + 1
    from due
    where o.id = due.id
    returning o.id, o.programme_id, o.household_id, o.organisation_id, o.user_id, o.kind, o.payload, o.created_at, o.attempts, due.reclaimed`.execute(db);
  return rows.rows;
}

/**
 * Gives up messages whose last allowed try was claimed and never came back (its worker died, may
 * even have sent it): tried no more, visible with the reason.
 */
export async function giveUpAbandoned(db: Executor, c: { now: Date; leaseSeconds: number; maxAttempts: number }): Promise<number> {
  const leaseCutoff = new Date(c.now.getTime() - c.leaseSeconds * 1000);
  const rows = await db
    .updateTable('outbox')
    .set({ given_up_at: c.now, claimed_at: null, claim_token: null, last_error: sql<string>`coalesce(last_error || '; ', '') || 'the last try did not finish (worker stopped); not tried again'` })
    .where('sent_at', 'is', null)
    .where('given_up_at', 'is', null)
    .where('attempts', '>=', c.maxAttempts)
    .where('claimed_at', '<=', leaseCutoff)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Marks a message sent. Whoever sent it may mark it, even when its lease ran out and another
 * worker claimed it meanwhile: it WAS sent, and the sooner that is recorded the fewer duplicates.
 */
export async function markSent(db: Executor, m: { id: string; now: Date }): Promise<boolean> {
  const row = await db
    .updateTable('outbox')
    .set({ sent_at: m.now, claimed_at: null, claim_token: null, last_error: null })
    .where('id', '=', m.id)
    .where('sent_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a failed try under this worker's claim: tried again at `retryAt`, or given up when
 * `retryAt` is null. A worker whose claim was taken over (its lease ran out) changes nothing.
 */
export async function markFailed(db: Executor, m: { id: string; token: string; now: Date; error: string; retryAt: Date | null }): Promise<boolean> {
  const row = await db
    .updateTable('outbox')
    .set({
      claimed_at: null, claim_token: null, last_error: m.error.slice(0, 1000),
      ...(m.retryAt ? { next_attempt_at: m.retryAt } : { given_up_at: m.now }),
    })
    .where('id', '=', m.id)
    .where('claim_token', '=', m.token)
    .where('sent_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Hands unsent claims back at once (a worker that stops early), without counting the try. */
export async function releaseClaims(db: Executor, r: { ids: readonly string[]; token: string }): Promise<number> {
  if (r.ids.length === 0) return 0;
  const rows = await db
    .updateTable('outbox')
    .set({ claimed_at: null, claim_token: null, attempts: sql<number>`greatest(attempts - 1, 0)` })
    .where('id', 'in', r.ids)
    .where('claim_token', '=', r.token)
    .where('sent_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** What the outbox holds, for the job's log line and an operator's look. */
export async function deliveryCounts(db: Executor): Promise<{ unsent: number; claimed: number; givenUp: number }> {
  const r = await db
    .selectFrom('outbox')
    .select([
      sql<number>`count(*) filter (where sent_at is null and given_up_at is null)::int`.as('unsent'),
      sql<number>`count(*) filter (where sent_at is null and claimed_at is not null)::int`.as('claimed'),
      sql<number>`count(*) filter (where given_up_at is not null)::int`.as('givenUp'),
    ])
    .executeTakeFirstOrThrow();
  return r;
}

// ── The call list ────────────────────────────────────────────────────────────────────────────────
// Messages given up (no one to send them to, or every try failed) reach their person by phone: a
// dispatcher calls and ticks the message off.

/** The `last_error` of a message given up because no one it is for has an e-mail address. */
export const NO_RECIPIENT = 'no recipient with an e-mail address';

export interface CallListEntry {
  id: string;
  kind: string;
  payload: unknown;
  created_at: Date;
  given_up_at: Date;
  last_error: string | null;
  /** whom to call: the household, the organisation, or (a worker's message) the user */
  household_id: string | null;
  organisation_id: string | null;
  user_id: string | null;
  name: string;
  phone: string | null;
}

/**
 * What is on the call list at `now`: the programme's given-up messages nobody has called about yet.
 * Not the confirmation of a booking staff made on the customer's behalf (they arranged it
 * together), and nothing about a job that has begun (or whose week has passed): too late to phone.
 */
const onCallList = (programmeId: string, now: Date) => sql`
  o.programme_id = ${programmeId} and o.given_up_at is not null and o.called_at is null
  and not exists (
    select 1 from bookings b
    where b.programme_id = o.programme_id and b.id = (o.payload ->> 'bookingId')::uuid
      and ((o.kind = 'booking_confirmed' and b.on_behalf)
        or coalesce(b.starts_at, ((b.window_end + 1)::timestamp at time zone 'Europe/Amsterdam')) <= ${now}::timestamptz))`;

/** The call list, the longest-waiting first, with whom to call. */
export async function callList(db: Executor, programmeId: string, now: Date, limit = 200): Promise<CallListEntry[]> {
  const rows = await sql<CallListEntry>`
    select o.id, o.kind, o.payload, o.created_at, o.given_up_at, o.last_error, o.household_id, o.organisation_id, o.user_id,
      coalesce(h.name, org.name, u.display_name, '') as name,
      coalesce(h.phone, org.phone, u.phone) as phone
    from outbox o
    left join households h on h.programme_id = o.programme_id and h.id = o.household_id
    left join organisations org on org.programme_id = o.programme_id and org.id = o.organisation_id
    left join users u on u.programme_id = o.programme_id and u.id = o.user_id
    where ${onCallList(programmeId, now)}
    order by o.created_at, o.id
    limit ${limit}`.execute(db);
  return rows.rows;
}

/** How many are on the call list (the planning board's notice). */
export async function callCount(db: Executor, programmeId: string, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from outbox o where ${onCallList(programmeId, now)}`.execute(db);
  return r.rows[0]!.n;
}

export interface CallRecord {
  id: string;
  called_at: Date;
  called_by: string;
  call_note: string | null;
}

/**
 * Ticks a given-up message of the programme off as called. The first tick counts (`fresh`):
 * ticking it again changes nothing and returns the first record. null: no given-up message of the
 * programme has this id.
 */
export async function markCalled(db: Executor, c: { programmeId: string; id: string; userId: string; note: string | null; now: Date }): Promise<{ record: CallRecord; fresh: boolean } | null> {
  const updated = await db
    .updateTable('outbox')
    .set({ called_at: c.now, called_by: c.userId, call_note: c.note })
    .where('programme_id', '=', c.programmeId)
    .where('id', '=', c.id)
    .where('given_up_at', 'is not', null)
    .where('called_at', 'is', null)
    .returning(['id', 'called_at', 'called_by', 'call_note'])
    .executeTakeFirst();
  if (updated) return { record: updated as CallRecord, fresh: true };
  const existing = await db
    .selectFrom('outbox')
    .select(['id', 'called_at', 'called_by', 'call_note'])
    .where('programme_id', '=', c.programmeId)
    .where('id', '=', c.id)
    .where('called_at', 'is not', null)
    .executeTakeFirst();
  return existing ? { record: existing as CallRecord, fresh: false } : null;
}
