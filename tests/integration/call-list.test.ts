// The dispatchers' call list, against real PostgreSQL through the API: a message that reaches no
// one (no e-mail address, or every try failed) is listed with whom to phone, in the dispatcher's
// language; ticking it off is recorded once (who, when, a note, an audit line), and only staff of
// the message's own programme see or tick it. A household without an account of its own (looked
// after at the counter) now gets the changes to its bookings as messages, so they reach the list.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, outbox } from '@buurtservice/db';
import { jsonMailer, notificationJobs } from '@buurtservice/api';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';
import { expectError } from '../support/world.js';

const NOW = new Date('2027-06-01T09:00:00+02:00');
let ctx: TestContext;
let breda: Programme;
let dispatcher: { authorization: string };
let utrechtAdmin: { authorization: string };
beforeAll(async () => {
  // The API's clock: the jobs below (June 2027) are still to come, those of May have begun.
  ctx = await createTestContext({ clock: () => NOW });
  breda = await programme(ctx.db, 'breda-noordoost');
  dispatcher = bearer(await ctx.login('coordinator@example.nl'));
  utrechtAdmin = bearer(await ctx.login('beheer.utrecht@example.nl'));
});
afterAll(async () => { await ctx?.close(); });

interface Call {
  id: string; kind: string; reason: 'no_email' | 'not_delivered'; createdAt: string; givenUpAt: string;
  person: { kind: 'household' | 'organisation' | 'user'; id: string; name: string; phone: string | null };
  bookingId: string | null; subject: string; text: string;
}

const mailer = jsonMailer('Buurtservice <noreply@buurtservice.test>');
/** Runs the delivery worker over everything due (as the background job does). */
async function deliver(now = new Date()): Promise<void> {
  while ((await notificationJobs.deliverOutbox(ctx.db, mailer, { now, limit: 200 })).claimed > 0) { /* next batch */ }
}

async function calls(headers = dispatcher, locale?: 'nl' | 'en'): Promise<Call[]> {
  const res = await ctx.app.inject({ method: 'GET', url: `/dispatch/calls${locale ? `?locale=${locale}` : ''}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ calls: Call[] }>().calls;
}

async function count(headers = dispatcher): Promise<number> {
  const res = await ctx.app.inject({ method: 'GET', url: '/dispatch/calls/count', headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ count: number }>().count;
}

function tick(id: string, note?: string, headers = dispatcher) {
  return ctx.app.inject({ method: 'POST', url: `/dispatch/calls/${id}/called`, headers, payload: note === undefined ? {} : { note } });
}

/** A household looked after at the counter: no account, a phone number, cheques. */
async function counterHousehold(): Promise<{ householdId: string; name: string; phone: string }> {
  const { householdId } = await newHousehold(ctx.db, breda.id);
  const name = `Fam. Bel ${randomUUID().slice(0, 6)}`;
  const phone = `076 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
  await ctx.db.updateTable('households').set({ name, phone }).where('id', '=', householdId).execute();
  await buy(ctx.db, breda.id, { householdId }, 20);
  return { householdId, name, phone };
}

async function workerWithEmail(): Promise<string> {
  const id = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: 'lead' }] });
  await ctx.db.updateTable('users').set({ email: `w-${randomUUID().slice(0, 8)}@example.nl` }).where('id', '=', id).execute();
  return id;
}

describe('the call list', () => {
  it('a household without an account hears of its worker and of a new time through a dispatcher: listed with name and phone, in Dutch or English', async () => {
    const h = await counterHousehold();
    const worker = await workerWithEmail();
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: new Date('2027-06-07T10:00:00+02:00') });
    const bookingId = created.booking.id;
    await assign(ctx.db, breda, bookingId, worker);
    await ctx.db.transaction().execute((tx) => bookings.rescheduleBooking(tx, {
      programmeId: breda.id, bookingId, timing: { startsAt: new Date('2027-06-08T14:00:00+02:00') }, actorUserId: breda.dispatcherId,
    }));

    const rows = await ctx.db.selectFrom('outbox').select(['kind', 'user_id']).where('household_id', '=', h.householdId).orderBy('created_at').execute();
    // No confirmation: staff made the booking with them. The team and the new time: one message each, to no user.
    expect(rows.map((r) => `${r.kind}:${r.user_id}`)).toEqual(['worker_assigned:null', 'booking_rescheduled:null']);

    await deliver();
    const mine = (await calls()).filter((c) => c.person.id === h.householdId);
    expect(mine.map((c) => c.kind)).toEqual(['worker_assigned', 'booking_rescheduled']);
    for (const c of mine) {
      expect(c).toMatchObject({ reason: 'no_email', bookingId, person: { kind: 'household', name: h.name, phone: h.phone } });
    }
    const moved = mine[1]!;
    expect(moved.subject).toMatch(/verzet|nieuwe tijd|verplaatst/i);
    expect(moved.text).toContain('14:00');
    const english = (await calls(dispatcher, 'en')).find((c) => c.id === moved.id)!;
    expect(english.subject).not.toBe(moved.subject);
    expect(english.subject).toMatch(/moved|new time|rescheduled/i);

    // The worker has an e-mail address: their message went out and is not on the list.
    const workerRows = await ctx.db.selectFrom('outbox').select(['sent_at', 'given_up_at']).where('user_id', '=', worker).execute();
    expect(workerRows.length).toBeGreaterThan(0);
    for (const r of workerRows) {
      expect(r.sent_at).toBeInstanceOf(Date);
      expect(r.given_up_at).toBeNull();
    }
  });

  it('ticking a call off takes it from the list once, with who, when and the note; ticking again answers the first tick', async () => {
    const h = await counterHousehold();
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: new Date('2027-06-09T10:00:00+02:00') });
    await ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
      programmeId: breda.id, bookingId: created.booking.id, actorUserId: breda.dispatcherId, freeCancellationHours: 24, feeMinutesPerWorker: 60, now: new Date('2027-06-01T10:00:00+02:00'),
    }));
    await deliver();
    const call = (await calls()).find((c) => c.person.id === h.householdId && c.kind === 'booking_cancelled');
    expect(call).toBeDefined();

    const listed = await count();
    expect(listed).toBe((await calls()).length);
    const first = await tick(call!.id, '  Mevrouw weet het  ');
    expect(first.statusCode).toBe(200);
    const record = first.json<{ id: string; calledAt: string; calledBy: string; note: string | null }>();
    expect(record).toMatchObject({ id: call!.id, calledBy: breda.dispatcherId, note: 'Mevrouw weet het' });
    expect((await calls()).some((c) => c.id === call!.id)).toBe(false);
    expect(await count()).toBe(listed - 1);

    const again = await tick(call!.id, 'iets anders');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(record);
    const audits = await ctx.db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('subject_id', '=', call!.id).execute();
    expect(audits).toEqual([{ action: 'call_list.called', actor_user_id: breda.dispatcherId }]);
  });

  it('a resident with an account but no e-mail address is listed too, by the household; a message that was sent cannot be ticked', async () => {
    const h = await counterHousehold();
    const resident = await ctx.db.insertInto('users')
      .values({ programme_id: breda.id, role: 'resident', household_id: h.householdId, display_name: 'Mevrouw Zonder Mail', email: null, password_hash: null, locale: 'nl' })
      .returning('id').executeTakeFirstOrThrow();
    await outbox.enqueue(ctx.db, {
      programme_id: breda.id, household_id: h.householdId, user_id: resident.id, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }),
    });
    const worker = await workerWithEmail();
    const sentId = (await ctx.db.insertInto('outbox')
      .values({ programme_id: breda.id, user_id: worker, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }) })
      .returning('id').executeTakeFirstOrThrow()).id;
    await deliver();

    const call = (await calls()).find((c) => c.person.id === h.householdId);
    expect(call).toMatchObject({ kind: 'city_pass_expiring', reason: 'no_email', person: { kind: 'household', name: h.name, phone: h.phone }, bookingId: null });
    expectError(await tick(sentId), 404, 'not_found');
    expectError(await tick(randomUUID()), 404, 'not_found');
  });

  it('a household made at the counter (a contact without e-mail): its on-behalf booking is not a call, a new time is', async () => {
    const suffix = randomUUID().slice(0, 6);
    const created = await ctx.app.inject({
      method: 'POST', url: '/households', headers: dispatcher,
      payload: { name: `Mevr. Balie ${suffix}`, street: 'Wisselaan', houseNumber: 7, postcode: '4823 JA', city: 'Breda', phone: '076 500 12 34', contact: { displayName: `Anna Balie ${suffix}` } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const householdId = created.json<{ id: string }>().id;
    await buy(ctx.db, breda.id, { householdId }, 10);
    const booked = await ctx.app.inject({
      method: 'POST', url: '/bookings', headers: dispatcher,
      payload: { householdId, serviceId: breda.services.tuindienst, place: 'home', startsAt: '2027-06-14T10:00:00+02:00', durationMinutes: 60, workersNeeded: 1 },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json<{ booking: { id: string } }>().booking.id;
    await deliver();
    const given = await ctx.db.selectFrom('outbox').select(['kind', 'given_up_at']).where('household_id', '=', householdId).execute();
    expect(given).toEqual([{ kind: 'booking_confirmed', given_up_at: expect.any(Date) as Date }]);
    expect((await calls()).filter((c) => c.person.id === householdId)).toEqual([]);

    const moved = await ctx.app.inject({ method: 'POST', url: `/bookings/${bookingId}/reschedule`, headers: dispatcher, payload: { startsAt: '2027-06-15T11:00:00+02:00' } });
    expect(moved.statusCode, moved.body).toBe(200);
    await deliver();
    const mine = (await calls()).filter((c) => c.person.id === householdId);
    expect(mine.map((c) => [c.kind, c.person.name, c.person.phone, c.bookingId])).toEqual([['booking_rescheduled', `Mevr. Balie ${suffix}`, '076 500 12 34', bookingId]]);
  });

  it('a message about a job that has begun is no longer listed: too late to phone', async () => {
    const h = await counterHousehold();
    const worker = await workerWithEmail();
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: new Date('2027-05-31T10:00:00+02:00') });
    await assign(ctx.db, breda, created.booking.id, worker);
    await deliver();
    const rows = await ctx.db.selectFrom('outbox').select(['kind', 'given_up_at']).where('household_id', '=', h.householdId).execute();
    expect(rows.map((r) => r.kind)).toEqual(['worker_assigned']);
    expect(rows[0]!.given_up_at).toBeInstanceOf(Date);
    expect((await calls()).some((c) => c.person.id === h.householdId)).toBe(false);
    expect(await count()).toBe((await calls()).length);
  });

  it('a message that failed every try is listed as not delivered', async () => {
    const worker = await workerWithEmail();
    const id = (await ctx.db.insertInto('outbox')
      .values({ programme_id: breda.id, user_id: worker, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }) })
      .returning('id').executeTakeFirstOrThrow()).id;
    const failing = { ...mailer, transport: 'smtp' as const, send: () => Promise.reject(new Error('connection refused')) };
    await notificationJobs.deliverOutbox(ctx.db, failing, { maxAttempts: 1 });
    const call = (await calls()).find((c) => c.id === id);
    expect(call).toMatchObject({ reason: 'not_delivered', person: { kind: 'user', id: worker } });
  });

  it('staff of another programme neither see nor tick the call; a note longer than 500 characters is refused', async () => {
    const h = await counterHousehold();
    await outbox.enqueue(ctx.db, { programme_id: breda.id, household_id: h.householdId, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }) });
    await deliver();
    const call = (await calls()).find((c) => c.person.id === h.householdId)!;
    expect((await calls(utrechtAdmin)).some((c) => c.id === call.id)).toBe(false);
    expectError(await tick(call.id, undefined, utrechtAdmin), 404, 'not_found');
    expect(await count(utrechtAdmin)).toBe((await calls(utrechtAdmin)).length);
    expectError(await tick(call.id, 'x'.repeat(501)), 400, 'validation_failed');
    expect((await calls()).some((c) => c.id === call.id)).toBe(true);
  });
});
