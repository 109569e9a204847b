import { sql } from 'kysely';
import type { BookingAction } from '@buurtservice/shared';
import type { Executor, Tx } from '../database.js';
import { enqueue } from './outbox.js';
import { JOB_ADDRESS_COLUMNS } from './job-address.js';

/**
 * Messages about bookings, written to the outbox in the SAME transaction as the change they tell
 * about: a booking that rolls back leaves no message, and a committed change always has its
 * messages (api/src/jobs/notification-jobs.ts delivers them). One row per recipient, with a dedupe
 * key per event and recipient, so a replayed call or a job that runs twice writes each message once.
 *
 * The payload holds the facts the message needs, not its text: the text is rendered at delivery in
 * the recipient's language. Each audience gets only what it needs: the customer the time, place
 * and the first names of who comes; a worker also the customer's name and notes, never the
 * customer's wallet or price. E-mail addresses are not copied here: delivery reads the user's
 * current address.
 */

export type BookingNotificationKind =
  | 'booking_confirmed'
  | 'worker_assigned'
  | 'worker_unassigned'
  | 'booking_rescheduled'
  | 'booking_cancelled'
  | 'booking_reminder'
  | 'hours_confirm_reminder';

export type Audience = 'customer' | 'worker';

export interface BookingMessagePayload {
  bookingId: string;
  audience: Audience;
  service: { nl: string; en: string };
  /** ISO 8601: the team's start once planned, else the fixed start; null while only a week is known */
  startsAt: string | null;
  /** the week to plan in, 'YYYY-MM-DD' (a flexible booking not yet planned) */
  window: { start: string; end: string } | null;
  durationMinutes: number;
  place: 'home' | 'organisation_location' | 'service_point';
  /** "Teststraat 1a, 4823AB Breda"; null at the service point */
  address: string | null;
  locationName: string | null;
  /** first names of the active team, the leader first */
  workers: string[];
  /** worker messages only */
  customerName?: string;
  notes?: string;
  /** booking_cancelled, customer: whether it was late and the fee in minutes taken from the hold */
  late?: boolean;
  feeMinutes?: number;
  /** hours_confirm_reminder: when the logged hours are confirmed automatically (ISO 8601), their worker-minutes and cents */
  autoConfirmAt?: string;
  hoursMinutes?: number;
  hoursCents?: number;
}

interface BookingFacts {
  id: string;
  programme_id: string;
  household_id: string | null;
  organisation_id: string | null;
  place: BookingMessagePayload['place'];
  starts_at: Date | null;
  window_start: string | null;
  window_end: string | null;
  duration_minutes: number;
  notes: string;
  name_nl: string;
  name_en: string;
  customer_name: string;
  location_name: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
}

interface TeamMember {
  worker_id: string;
  display_name: string;
  starts_at: Date;
}

/** Reads the booking as it is now in this transaction (after the change), with its active team: one query. */
async function bookingFacts(db: Executor, programmeId: string, bookingId: string): Promise<{ facts: BookingFacts; team: TeamMember[] } | null> {
  const row = (await sql<BookingFacts & { team: { worker_id: string; display_name: string; starts_at: string }[] }>`
    select b.id, b.programme_id, b.household_id, b.organisation_id, b.place, b.starts_at, b.window_start, b.window_end,
      b.duration_minutes, b.notes, s.name_nl, s.name_en, coalesce(h.name, o.name) as customer_name, l.name as location_name,
      ${JOB_ADDRESS_COLUMNS},
      coalesce((
        select json_agg(json_build_object('worker_id', a.worker_id, 'display_name', u.display_name, 'starts_at', lower(a.during)) order by a.leads desc, u.display_name)
        from booking_assignments a join users u on u.id = a.worker_id
        where a.booking_id = b.id and a.released_at is null), '[]'::json) as team
    from bookings b
    join services s on s.id = b.service_id
    left join households h on h.id = b.household_id
    left join organisations o on o.id = b.organisation_id
    left join organisation_locations l on l.id = b.location_id
    where b.programme_id = ${programmeId} and b.id = ${bookingId}`.execute(db)).rows[0];
  if (!row) return null;
  const { team, ...facts } = row;
  return { facts, team: team.map((m) => ({ worker_id: m.worker_id, display_name: m.display_name, starts_at: new Date(m.starts_at) })) };
}

const firstName = (displayName: string) => displayName.trim().split(/\s+/)[0] ?? displayName;

function payloadFor(audience: Audience, facts: BookingFacts, team: TeamMember[], extra: Partial<BookingMessagePayload> = {}): BookingMessagePayload {
  const startsAt = team[0]?.starts_at ?? facts.starts_at;
  const address = facts.street === null
    ? null
    : `${facts.street} ${facts.house_number ?? ''}${facts.house_number_suffix ?? ''}, ${facts.postcode ?? ''} ${facts.city ?? ''}`.replace(/\s+/g, ' ').trim();
  return {
    bookingId: facts.id,
    audience,
    service: { nl: facts.name_nl, en: facts.name_en },
    startsAt: startsAt ? startsAt.toISOString() : null,
    window: !startsAt && facts.window_start && facts.window_end ? { start: facts.window_start, end: facts.window_end } : null,
    durationMinutes: facts.duration_minutes,
    place: facts.place,
    address,
    locationName: facts.location_name,
    workers: team.map((m) => firstName(m.display_name)),
    ...(audience === 'worker' ? { customerName: facts.customer_name, notes: facts.notes } : {}),
    ...extra,
  };
}

async function toCustomer(tx: Executor, kind: BookingNotificationKind, facts: BookingFacts, payload: BookingMessagePayload, key: (userId: string) => string): Promise<number> {
  // One message per active customer account, in one statement; the dedupe key is the event's key
  // with the user id at its end (key('') + id). A customer without an account (a household the
  // counter looks after) gets one message without a user: an organisation's own address receives
  // it; a household's is given up and lands on the dispatchers' call list. Not a confirmation: such
  // a customer booked through staff, who told them.
  const rows = await sql<{ id: string }>`
    with accounts as (
      select u.id from users u
      where u.programme_id = ${facts.programme_id} and u.disabled_at is null
        and ${facts.household_id
          ? sql`u.household_id = ${facts.household_id} and u.role = 'resident'`
          : sql`u.organisation_id = ${facts.organisation_id} and u.role = 'organisation_member'`}
    )
    insert into outbox (programme_id, household_id, organisation_id, user_id, kind, dedupe_key, payload)
    select ${facts.programme_id}, ${facts.household_id}, ${facts.organisation_id}, r.user_id, ${kind}, r.dedupe_key, ${JSON.stringify(payload)}::jsonb
    from (
      select a.id as user_id, ${key('')} || a.id::text as dedupe_key from accounts a
      union all
      select null::uuid, ${key('customer')}::text where ${kind !== 'booking_confirmed'}::boolean and not exists (select 1 from accounts)
    ) r
    order by r.user_id
    on conflict (dedupe_key) do nothing
    returning id`.execute(tx);
  return rows.rows.length;
}

async function toWorker(tx: Executor, kind: BookingNotificationKind, facts: BookingFacts, workerId: string, payload: BookingMessagePayload, key: string): Promise<number> {
  const fresh = await enqueue(tx, { programme_id: facts.programme_id, user_id: workerId, kind, dedupe_key: key, payload: JSON.stringify(payload) });
  return fresh ? 1 : 0;
}

/**
 * Called by the bookings repository for every state change, right after its event is recorded:
 * the booking is confirmed (hold placed, or payment received after a short wallet), its team is
 * complete (`assign`), or it moved to another time (`reschedule`). Cancellation has its own call
 * (`bookingCancelled`), since by then the team is already released.
 */
export async function onTransition(tx: Tx, e: { programmeId: string; bookingId: string; action: BookingAction; eventId: number | string }): Promise<void> {
  const key = (userId: string) => `booking:${e.bookingId}:event:${e.eventId}:${userId}`;
  switch (e.action) {
    case 'hold_placed':
    case 'payment_received': {
      const found = await bookingFacts(tx, e.programmeId, e.bookingId);
      if (!found) return;
      await toCustomer(tx, 'booking_confirmed', found.facts, payloadFor('customer', found.facts, found.team), key);
      return;
    }
    case 'assign': {
      // The team is complete: the customer hears who comes (each worker heard on assignment). Not
      // when a reschedule in this same transaction kept the whole team: booking_rescheduled said it.
      if (await followsRescheduleInThisTransaction(tx, e.bookingId, e.eventId)) return;
      const found = await bookingFacts(tx, e.programmeId, e.bookingId);
      if (!found) return;
      await toCustomer(tx, 'worker_assigned', found.facts, payloadFor('customer', found.facts, found.team), key);
      return;
    }
    case 'reschedule': {
      // By now the booking has its new time and the workers who could come along are assigned
      // again; the others were released in this transaction (released_at = now(), the
      // transaction's time) and are told they no longer do this job.
      const found = await bookingFacts(tx, e.programmeId, e.bookingId);
      if (!found) return;
      await toCustomer(tx, 'booking_rescheduled', found.facts, payloadFor('customer', found.facts, found.team), key);
      for (const m of found.team) await toWorker(tx, 'booking_rescheduled', found.facts, m.worker_id, payloadFor('worker', found.facts, found.team), key(m.worker_id));
      const released = await tx
        .selectFrom('booking_assignments')
        .select('worker_id')
        .distinct()
        .where('booking_id', '=', e.bookingId)
        .where('released_at', '=', sql<Date>`now()`)
        .$if(found.team.length > 0, (qb) => qb.where('worker_id', 'not in', found.team.map((m) => m.worker_id)))
        .execute();
      for (const r of released) {
        await toWorker(tx, 'worker_unassigned', found.facts, r.worker_id, { ...payloadFor('worker', found.facts, []), notes: '' }, key(r.worker_id));
      }
      return;
    }
    case 'hold_short':
    case 'unassign':
    case 'check_in':
    case 'finish':
    case 'confirm_hours':
    case 'dispute':
    case 'resolve_dispute':
    case 'settle':
    case 'cancel':
      return;
  }
}

async function followsRescheduleInThisTransaction(tx: Tx, bookingId: string, eventId: number | string): Promise<boolean> {
  const previous = await tx
    .selectFrom('booking_events')
    .select(['action', sql<boolean>`at = now()`.as('same_transaction')])
    .where('booking_id', '=', bookingId)
    .where('id', '<', String(eventId))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return previous?.action === 'reschedule' && previous.same_transaction;
}

/** Tells a worker about a job they were just assigned to (once per assignment). */
export async function workerAssigned(tx: Tx, a: { programmeId: string; bookingId: string; assignmentId: string; workerId: string }): Promise<void> {
  const found = await bookingFacts(tx, a.programmeId, a.bookingId);
  if (!found) return;
  await toWorker(tx, 'worker_assigned', found.facts, a.workerId, payloadFor('worker', found.facts, found.team), `booking:${a.bookingId}:assignment:${a.assignmentId}:${a.workerId}`);
}

/** Tells a worker that they no longer do a job (taken off, or released by a reschedule). */
export async function workerUnassigned(tx: Tx, u: { programmeId: string; bookingId: string; assignmentId: string; workerId: string }): Promise<void> {
  const found = await bookingFacts(tx, u.programmeId, u.bookingId);
  if (!found) return;
  // Only what identifies the job: the worker no longer needs the customer's notes.
  const payload = { ...payloadFor('worker', found.facts, []), notes: '' };
  await toWorker(tx, 'worker_unassigned', found.facts, u.workerId, payload, `booking:${u.bookingId}:unassigned:${u.assignmentId}:${u.workerId}`);
}

/** Tells the customer and the workers who were assigned that a booking is cancelled (once: cancelled is final). */
export async function bookingCancelled(tx: Tx, c: { programmeId: string; bookingId: string; workerIds: readonly string[]; late: boolean; feeMinutes: number }): Promise<void> {
  const found = await bookingFacts(tx, c.programmeId, c.bookingId);
  if (!found) return;
  const key = (userId: string) => `booking:${c.bookingId}:cancelled:${userId}`;
  await toCustomer(tx, 'booking_cancelled', found.facts, payloadFor('customer', found.facts, [], { late: c.late, feeMinutes: c.feeMinutes }), key);
  for (const workerId of c.workerIds) {
    await toWorker(tx, 'booking_cancelled', found.facts, workerId, { ...payloadFor('worker', found.facts, []), notes: '' }, key(workerId));
  }
}

/**
 * Reminds the customer and the team of every scheduled booking that starts on the local day after
 * `now` (Europe/Amsterdam). The key holds the booking and that date: running it twice, or every
 * hour of the evening, writes each reminder once. Returns how many messages were new.
 */
export async function enqueueReminders(db: Executor, r: { now: Date; programmeId?: string }): Promise<number> {
  // The start is the team's once planned, else the booking's fixed start.
  const due = (await sql<{ id: string; programme_id: string; day: string }>`
    select b.id, b.programme_id, to_char((coalesce(t.starts_at, b.starts_at) at time zone 'Europe/Amsterdam')::date, 'YYYY-MM-DD') as day
    from bookings b
    left join lateral (
      select min(lower(a.during)) as starts_at from booking_assignments a where a.booking_id = b.id and a.released_at is null
    ) t on true
    where b.state = 'scheduled'
      and ${r.programmeId === undefined ? sql`true` : sql`b.programme_id = ${r.programmeId}`}
      and (coalesce(t.starts_at, b.starts_at) at time zone 'Europe/Amsterdam')::date
        = (${r.now}::timestamptz at time zone 'Europe/Amsterdam')::date + 1
    order by b.id`.execute(db)).rows;
  let written = 0;
  for (const b of due) {
    const found = await bookingFacts(db, b.programme_id, b.id);
    if (!found) continue;
    const key = (userId: string) => `booking:${b.id}:reminder:${b.day}:${userId}`;
    written += await toCustomer(db, 'booking_reminder', found.facts, payloadFor('customer', found.facts, found.team), key);
    for (const m of found.team) written += await toWorker(db, 'booking_reminder', found.facts, m.worker_id, payloadFor('worker', found.facts, found.team), key(m.worker_id));
  }
  return written;
}

/**
 * Reminds the customer that a job's logged hours are confirmed automatically at `autoConfirmAt`
 * unless they confirm or dispute them first (db/src/repositories/confirmation.ts remindDue). Once
 * per booking and customer account: the key holds only the booking. Returns how many messages were new.
 */
export async function hoursConfirmReminder(db: Executor, r: { programmeId: string; bookingId: string; autoConfirmAt: Date; minutes: number; cents: number }): Promise<number> {
  const found = await bookingFacts(db, r.programmeId, r.bookingId);
  if (!found) return 0;
  const payload = payloadFor('customer', found.facts, found.team, { autoConfirmAt: r.autoConfirmAt.toISOString(), hoursMinutes: r.minutes, hoursCents: r.cents });
  return toCustomer(db, 'hours_confirm_reminder', found.facts, payload, (userId) => `booking:${r.bookingId}:hours_reminder:${userId}`);
}

// ── Delivery: who receives a message ────────────────────────────────────────────────────────────

export interface Recipient {
  /** null for an organisation's own address (no account) */
  userId: string | null;
  email: string;
  locale: 'nl' | 'en';
}

/**
 * The people an outbox row goes to, read at delivery (an address changed meanwhile is used): the
 * named user; else the household's residents; else the organisation's members, or the
 * organisation's own address when no member has one. Disabled accounts and accounts without an
 * address receive nothing.
 */
export async function recipientsOf(db: Executor, row: { programme_id: string; user_id: string | null; household_id: string | null; organisation_id: string | null }): Promise<Recipient[]> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'locale'])
    .where('programme_id', '=', row.programme_id)
    .where('disabled_at', 'is', null)
    .where('email', 'is not', null)
    .where((eb) => row.user_id
      ? eb('id', '=', row.user_id)
      : row.household_id
        ? eb.and([eb('household_id', '=', row.household_id), eb('role', '=', 'resident')])
        : eb.and([eb('organisation_id', '=', row.organisation_id), eb('role', '=', 'organisation_member')]))
    .orderBy('id')
    .execute();
  const out: Recipient[] = users.map((u) => ({ userId: u.id, email: u.email!, locale: u.locale === 'en' ? 'en' : 'nl' }));
  if (out.length === 0 && !row.user_id && !row.household_id && row.organisation_id) {
    const org = await db.selectFrom('organisations').select('email').where('programme_id', '=', row.programme_id).where('id', '=', row.organisation_id).executeTakeFirst();
    if (org?.email) out.push({ userId: null, email: org.email, locale: 'nl' });
  }
  return out;
}
