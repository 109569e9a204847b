// Booking notifications through the outbox (issue 4), against real PostgreSQL through the API's
// restricted role: each booking event writes its messages in the same transaction, once per
// recipient; the delivery worker claims before it sends, so two workers never send the same row,
// a crashed worker's claim is delivered again after the lease with the same Message-ID (and never
// while the lease runs), and a failing transport backs off, keeps its error and gives up visibly.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bookings, notifications, outbox, withDatabase } from '@buurtservice/db';
import { JOBS, jsonMailer, logMailer, notificationJobs, startJobs, type Mailer, type OutgoingMail } from '@buurtservice/api';
import { createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';

let ctx: TestContext;
let breda: Programme;
beforeAll(async () => {
  ctx = await createTestContext();
  breda = await programme(ctx.db, 'breda-noordoost');
});
afterAll(async () => { await ctx?.close(); });

const t = (iso: string) => new Date(iso);
const SECOND = 1000;
const FROM = 'Buurtservice <noreply@buurtservice.test>';
const LEASE = notificationJobs.DELIVERY.leaseSeconds * SECOND;

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────

/** A household with residents who have an e-mail address (the first Dutch, the second English). */
async function household(residents = 2): Promise<{ householdId: string; userIds: string[]; emails: string[] }> {
  const { householdId } = await newHousehold(ctx.db, breda.id);
  const userIds: string[] = [];
  const emails: string[] = [];
  for (let i = 0; i < residents; i++) {
    const email = `bewoner-${randomUUID().slice(0, 8)}@example.nl`;
    const u = await ctx.db
      .insertInto('users')
      .values({ programme_id: breda.id, role: 'resident', household_id: householdId, display_name: `Bewoner ${i}`, email, password_hash: 'x', locale: i === 0 ? 'nl' : 'en' })
      .returning('id')
      .executeTakeFirstOrThrow();
    userIds.push(u.id);
    emails.push(email);
  }
  await buy(ctx.db, breda.id, { householdId }, 20);
  return { householdId, userIds, emails };
}

/** A worker with a full name and an e-mail address; `lead` may lead a garden team. */
async function worker(firstName: string, lead = false): Promise<string> {
  const id = await newWorker(ctx.db, breda.id, { skills: [{ skill: 'tuin', level: lead ? 'lead' : 'independent' }] });
  await ctx.db.updateTable('users').set({ display_name: `${firstName} Testpersoon`, email: `${firstName.toLowerCase()}-${randomUUID().slice(0, 8)}@example.nl`, password_hash: 'x' }).where('id', '=', id).execute();
  return id;
}

interface Row { id: string; kind: string; user_id: string | null; household_id: string | null; dedupe_key: string; payload: notifications.BookingMessagePayload }

async function messagesOf(bookingId: string): Promise<Row[]> {
  const rows = await ctx.db.selectFrom('outbox').select(['id', 'kind', 'user_id', 'household_id', 'dedupe_key', 'payload']).where('dedupe_key', 'like', `booking:${bookingId}:%`).orderBy('created_at').orderBy('dedupe_key').execute();
  return rows as unknown as Row[];
}

const summary = (rows: Row[]) => rows.map((r) => `${r.kind}→${r.user_id}`).sort();

function cancel(p: Programme, bookingId: string, now: Date) {
  return ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, {
    programmeId: p.id, bookingId, actorUserId: p.dispatcherId, freeCancellationHours: 24, feeMinutesPerWorker: 60, now,
  }));
}

/** A mailer that composes each message for real (nodemailer's jsonTransport) and records it. */
function recordingMailer(hooks: { before?: (mail: OutgoingMail) => Promise<void>; after?: (mail: OutgoingMail) => Promise<void> } = {}) {
  const real = jsonMailer(FROM);
  const sent: { mail: OutgoingMail; raw: { messageId: string; to: { address: string }[]; subject: string; text: string } }[] = [];
  const mailer: Mailer = {
    transport: 'smtp',
    messageIdDomain: real.messageIdDomain,
    async send(mail) {
      await hooks.before?.(mail);
      const info = await real.send(mail);
      sent.push({ mail, raw: JSON.parse(info.raw as string) as (typeof sent)[number]['raw'] });
      await hooks.after?.(mail);
      return info;
    },
    close: () => real.close(),
  };
  return { mailer, sent };
}

/** Delivers everything that is due at any time from now on, so a test starts with an empty outbox. */
async function drain(): Promise<void> {
  const { mailer } = recordingMailer();
  const farFuture = new Date(Date.now() + 10 * 365 * 86_400_000);
  while ((await notificationJobs.deliverOutbox(ctx.db, mailer, { now: farFuture, limit: 200 })).claimed > 0) { /* next batch */ }
}

async function outboxRow(id: string) {
  return ctx.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

// ── Enqueueing ───────────────────────────────────────────────────────────────────────────────────

describe('each booking event writes its messages once, in the same transaction', () => {
  it('a booking with its hold placed confirms to every resident of the household, with what the message needs and no more', async () => {
    const h = await household();
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-05-03T10:00:00+02:00') });
    const rows = await messagesOf(created.booking.id);
    expect(summary(rows)).toEqual(h.userIds.map((u) => `booking_confirmed→${u}`).sort());
    const events = await bookings.bookingEvents(ctx.db, breda.id, created.booking.id);
    for (const r of rows) {
      expect(r.household_id).toBe(h.householdId);
      expect(r.dedupe_key).toBe(`booking:${created.booking.id}:event:${events[0]!.id}:${r.user_id}`);
      expect(r.payload).toEqual({
        bookingId: created.booking.id, audience: 'customer', service: { nl: 'Tuindienst', en: expect.any(String) as string },
        startsAt: '2027-05-03T08:00:00.000Z', window: null, durationMinutes: 60, place: 'home', address: 'Teststraat 1, 4823AB Breda', locationName: null, workers: [],
      });
      // The customer's own message holds no notes and no phone number (nor any wallet data).
      expect(JSON.stringify(r.payload)).not.toContain('06 1234');
    }
  });

  it('a change that rolls back leaves no message', async () => {
    const h = await household(1);
    let bookingId = '';
    await expect(ctx.db.transaction().execute(async (tx) => {
      const created = await bookings.createBooking(tx, {
        programmeId: breda.id, customer: { householdId: h.householdId }, serviceId: breda.services.tuindienst!, place: { kind: 'home' },
        timing: { startsAt: t('2027-05-04T10:00:00+02:00') }, durationMinutes: 60, workersNeeded: 1,
        tariff: { category: 'resident', centsPerWorkerHour: 1000 }, createdBy: breda.dispatcherId, onBehalf: true,
      });
      bookingId = created.booking.id;
      expect((await tx.selectFrom('outbox').select('id').where('dedupe_key', 'like', `booking:${bookingId}:%`).execute()).length).toBe(1);
      throw new Error('the request failed later on');
    })).rejects.toThrow('the request failed later on');
    expect(bookingId).not.toBe('');
    expect(await messagesOf(bookingId)).toEqual([]);
  });

  it('a short wallet confirms nothing until the payment arrives, then once (resuming again writes nothing)', async () => {
    const { householdId } = await newHousehold(ctx.db, breda.id);
    const resident = (await ctx.db.insertInto('users').values({ programme_id: breda.id, role: 'resident', household_id: householdId, display_name: 'Kort', email: `kort-${randomUUID().slice(0, 8)}@example.nl`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
    const created = await book(ctx.db, breda, { customer: { householdId }, startsAt: t('2027-05-05T10:00:00+02:00') });
    expect(created.hold.status).toBe('short');
    expect(await messagesOf(created.booking.id)).toEqual([]);
    await buy(ctx.db, breda.id, { householdId }, 2);
    const resume = () => ctx.db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, { programmeId: breda.id, customer: { householdId } }));
    expect((await resume()).resumed).toEqual([created.booking.id]);
    await resume();
    expect(summary(await messagesOf(created.booking.id))).toEqual([`booking_confirmed→${resident}`]);
  });

  it('assigning two workers tells each worker on assignment and the customer once the team is complete; taking one off tells that worker', async () => {
    const h = await household();
    const anna = await worker('Anna', true);
    const bram = await worker('Bram');
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-05-06T09:00:00+02:00'), workers: 2, minutes: 120 });
    const id = created.booking.id;

    await assign(ctx.db, breda, id, anna, { leads: true });
    let rows = (await messagesOf(id)).filter((r) => r.kind !== 'booking_confirmed');
    expect(summary(rows)).toEqual([`worker_assigned→${anna}`]);
    const toAnna = rows[0]!.payload;
    expect(toAnna).toMatchObject({ audience: 'worker', address: 'Teststraat 1, 4823AB Breda', notes: 'Hond in de tuin; bel aan bij de achterdeur.', workers: ['Anna'] });
    expect(toAnna.customerName).toMatch(/^Test /);
    expect(rows[0]!.household_id).toBeNull();

    await assign(ctx.db, breda, id, bram);
    rows = (await messagesOf(id)).filter((r) => r.kind !== 'booking_confirmed');
    expect(summary(rows)).toEqual([`worker_assigned→${anna}`, `worker_assigned→${bram}`, ...h.userIds.map((u) => `worker_assigned→${u}`)].sort());
    const toCustomer = rows.find((r) => r.user_id === h.userIds[0])!.payload;
    expect(toCustomer).toMatchObject({ audience: 'customer', workers: ['Anna', 'Bram'], startsAt: '2027-05-06T07:00:00.000Z' });
    expect(toCustomer).not.toHaveProperty('notes');
    expect(toCustomer).not.toHaveProperty('customerName');

    await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: id, workerId: bram, actorUserId: breda.dispatcherId, reason: 'ziek' }));
    const after = await messagesOf(id);
    expect(after.filter((r) => r.kind === 'worker_unassigned').map((r) => r.user_id)).toEqual([bram]);
    expect(after).toHaveLength(rows.length + h.userIds.length + 1);
  });

  it('a reschedule tells the customer and the workers who stay; a worker who cannot come along is told they are off', async () => {
    const h = await household(1);
    const cas = await worker('Cas');
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-05-10T10:00:00+02:00') });
    const id = created.booking.id;
    await assign(ctx.db, breda, id, cas);
    const reschedule = (timing: bookings.BookingTiming) => ctx.db.transaction().execute((tx) => bookings.rescheduleBooking(tx, { programmeId: breda.id, bookingId: id, timing, actorUserId: breda.dispatcherId }));
    const before = (await messagesOf(id)).length;

    // Cas is free at the new time: he stays; the customer hears of the new time only (not also "planned").
    await reschedule({ startsAt: t('2027-05-11T14:00:00+02:00') });
    let fresh = (await messagesOf(id)).slice(before);
    expect(summary(fresh)).toEqual([`booking_rescheduled→${cas}`, `booking_rescheduled→${h.userIds[0]}`].sort());
    for (const r of fresh) expect(r.payload).toMatchObject({ startsAt: '2027-05-11T12:00:00.000Z', workers: ['Cas'] });

    // A week to plan in releases the team: Cas hears he is off; the customer of the new week.
    await reschedule({ windowStart: '2027-05-17', windowEnd: '2027-05-21' });
    fresh = (await messagesOf(id)).slice(before + fresh.length);
    expect(summary(fresh)).toEqual([`booking_rescheduled→${h.userIds[0]}`, `worker_unassigned→${cas}`].sort());
    expect(fresh.find((r) => r.kind === 'booking_rescheduled')!.payload).toMatchObject({ startsAt: null, window: { start: '2027-05-17', end: '2027-05-21' }, workers: [] });
  });

  it('cancelling early tells the customer (no fee) and the worker who was assigned, once', async () => {
    const h = await household(1);
    const dirk = await worker('Dirk');
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-05-12T10:00:00+02:00') });
    await assign(ctx.db, breda, created.booking.id, dirk);
    await cancel(breda, created.booking.id, t('2027-05-01T10:00:00+02:00'));
    await expect(cancel(breda, created.booking.id, t('2027-05-01T10:00:00+02:00'))).rejects.toThrow();
    const rows = (await messagesOf(created.booking.id)).filter((r) => r.kind === 'booking_cancelled');
    expect(summary(rows)).toEqual([`booking_cancelled→${dirk}`, `booking_cancelled→${h.userIds[0]}`].sort());
    expect(rows.find((r) => r.user_id === h.userIds[0])!.payload).toMatchObject({ audience: 'customer', late: false, feeMinutes: 0 });
    expect(rows.find((r) => r.user_id === dirk)!.payload).toMatchObject({ audience: 'worker', notes: '' });
  });

  it('cancelling late tells the customer the fee', async () => {
    const h = await household(1);
    const eva = await worker('Eva');
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-05-13T10:00:00+02:00') });
    await assign(ctx.db, breda, created.booking.id, eva);
    const result = await cancel(breda, created.booking.id, t('2027-05-13T08:00:00+02:00'));
    expect(result.late).toBe(true);
    const rows = (await messagesOf(created.booking.id)).filter((r) => r.kind === 'booking_cancelled');
    expect(summary(rows)).toEqual([`booking_cancelled→${eva}`, `booking_cancelled→${h.userIds[0]}`].sort());
    expect(rows.find((r) => r.user_id === h.userIds[0])!.payload).toMatchObject({ late: true, feeMinutes: 60 });
  });

  it('the reminder job writes tomorrow\'s reminders (Amsterdam date) once, however often it runs', async () => {
    const h = await household(1);
    const fien = await worker('Fien');
    // The night the clocks go forward: Saturday 27 March 2027 evening, the job on Sunday 28 March.
    const tomorrow = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-03-28T10:00:00+02:00') });
    await assign(ctx.db, breda, tomorrow.booking.id, fien);
    const dayAfter = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-03-29T00:30:00+02:00') });
    await assign(ctx.db, breda, dayAfter.booking.id, fien);
    const unplanned = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-03-28T15:00:00+02:00') });

    const now = t('2027-03-27T18:00:00+01:00');
    const first = await notifications.enqueueReminders(ctx.db, { now, programmeId: breda.id });
    expect(await notifications.enqueueReminders(ctx.db, { now, programmeId: breda.id })).toBe(0);
    expect(await notificationJobs.sendBookingReminders(ctx.db, new Date(now.getTime() + 3600 * SECOND))).toBe(0);
    const reminders = (await messagesOf(tomorrow.booking.id)).filter((r) => r.kind === 'booking_reminder');
    expect(summary(reminders)).toEqual([`booking_reminder→${fien}`, `booking_reminder→${h.userIds[0]}`].sort());
    expect(first).toBe(2);
    expect(reminders[0]!.dedupe_key).toMatch(new RegExp(`^booking:${tomorrow.booking.id}:reminder:2027-03-28:`));
    expect((await messagesOf(dayAfter.booking.id)).filter((r) => r.kind === 'booking_reminder')).toEqual([]);
    expect((await messagesOf(unplanned.booking.id)).filter((r) => r.kind === 'booking_reminder')).toEqual([]);
  });
});

// ── Delivering ───────────────────────────────────────────────────────────────────────────────────

describe('delivering the outbox', () => {
  it('sends each message in the recipient\'s language with a Message-ID derived from the row, marks it sent, and a second run sends nothing', async () => {
    await drain();
    const h = await household();
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-06-01T10:00:00+02:00') });
    const rows = await messagesOf(created.booking.id);
    expect(rows).toHaveLength(2);
    const { mailer, sent } = recordingMailer();
    const now = new Date();
    const report = await notificationJobs.deliverOutbox(ctx.db, mailer, { now, publicWebUrl: 'https://buurtservice.test' });
    expect(report).toMatchObject({ claimed: 2, sent: 2, failed: 0, givenUp: 0 });
    expect(sent).toHaveLength(2);
    for (const [i, userId] of h.userIds.entries()) {
      const row = rows.find((r) => r.user_id === userId)!;
      const mail = sent.find((s) => s.mail.meta.outboxId === row.id)!;
      expect(mail.raw.messageId).toBe(`<outbox.${row.id}.${userId}@buurtservice.test>`);
      expect(mail.raw.to.map((a) => a.address)).toEqual([h.emails[i]]);
      expect(mail.raw.subject).toBe(i === 0 ? 'Bevestigd: Tuindienst' : `Confirmed: ${row.payload.service.en}`);
      expect(mail.raw.text).toContain(i === 0 ? 'dinsdag 1 juni om 10:00' : 'Tuesday 1 June at 10:00');
      expect(mail.raw.text).toContain('https://buurtservice.test');
      const stored = await outboxRow(row.id);
      expect(stored.sent_at).toEqual(now);
      expect(stored).toMatchObject({ attempts: 1, claimed_at: null, claim_token: null, last_error: null });
    }
    const again = await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(now.getTime() + LEASE * 2) });
    expect(again.claimed).toBe(0);
    expect(sent).toHaveLength(2);
  });

  it('without SMTP logs one line per message with no e-mail address or phone number in it', async () => {
    await drain();
    const h = await household(1);
    const gijs = await worker('Gijs');
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-06-02T10:00:00+02:00') });
    await assign(ctx.db, breda, created.booking.id, gijs);
    const lines: string[] = [];
    const mailer = logMailer({ info: (obj, msg) => lines.push(JSON.stringify({ ...obj, msg })) }, FROM);
    const report = await notificationJobs.deliverOutbox(ctx.db, mailer);
    expect(report.sent).toBe(3);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toMatch(/@example\.nl/);
      expect(line).not.toContain('06 1234');
      expect(line).not.toContain('Teststraat');
      expect(line).toMatch(/"messageId":"<outbox\.[0-9a-f-]+\.[0-9a-f-]+@buurtservice\.test>"/);
    }
    expect(notificationJobs.renderMessage('worker_assigned', (await messagesOf(created.booking.id)).find((r) => r.user_id === gijs)!.payload, 'nl', null).text)
      .toContain('Opmerkingen: Hond in de tuin; bel aan bij de achterdeur.');
  });

  it('gives up at once, visibly, on a message nobody can receive', async () => {
    await drain();
    const { householdId } = await newHousehold(ctx.db, breda.id);
    await outbox.enqueue(ctx.db, { programme_id: breda.id, household_id: householdId, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }) });
    const { mailer, sent } = recordingMailer();
    const report = await notificationJobs.deliverOutbox(ctx.db, mailer);
    expect(report).toMatchObject({ claimed: 1, sent: 0, givenUp: 1 });
    expect(sent).toHaveLength(0);
    const row = await ctx.db.selectFrom('outbox').selectAll().where('household_id', '=', householdId).executeTakeFirstOrThrow();
    expect(row.sent_at).toBeNull();
    expect(row.given_up_at).not.toBeNull();
    expect(row.last_error).toBe('no recipient with an e-mail address');
  });

  it('two workers delivering the same backlog at once send every message exactly once', async () => {
    await drain();
    const h = await household(1);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      await outbox.enqueue(ctx.db, { programme_id: breda.id, household_id: h.householdId, kind: 'cheques_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ lotId: randomUUID(), minutes: 60, expiresOn: '2027-08-01' }) });
    }
    ids.push(...(await ctx.db.selectFrom('outbox').select('id').where('household_id', '=', h.householdId).where('kind', '=', 'cheques_expiring').execute()).map((r) => r.id));
    expect(ids).toHaveLength(60);
    // A little latency per send, so the workers really overlap.
    const { mailer, sent } = recordingMailer({ before: () => new Promise((resolve) => setTimeout(resolve, 2)) });
    const deliverAll = async () => {
      const now = new Date();
      let claimed = 0;
      for (;;) {
        const r = await notificationJobs.deliverOutbox(ctx.db, mailer, { now, limit: 7 });
        if (r.claimed === 0) return claimed;
        claimed += r.claimed;
      }
    };
    const claimedPerWorker = await Promise.all([deliverAll(), deliverAll(), deliverAll(), deliverAll()]);
    expect(claimedPerWorker.reduce((a, b) => a + b, 0)).toBe(60);
    expect(claimedPerWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
    const perRow = new Map<string, number>();
    for (const s of sent) perRow.set(s.mail.meta.outboxId, (perRow.get(s.mail.meta.outboxId) ?? 0) + 1);
    expect([...perRow.keys()].sort()).toEqual([...ids].sort());
    expect([...perRow.values()].every((n) => n === 1)).toBe(true);
    const unsent = await ctx.db.selectFrom('outbox').select('id').where('id', 'in', ids).where('sent_at', 'is', null).execute();
    expect(unsent).toEqual([]);
  });

  it('a worker that dies after claiming (even after sending): nobody touches the row while the lease runs; after it, it is sent again with the same Message-ID', async () => {
    await drain();
    const h = await household(1);
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-06-03T10:00:00+02:00') });
    const [row] = await messagesOf(created.booking.id);
    expect(row).toBeDefined();

    // The first worker claims (committed), hands the message to the transport, and then hangs
    // forever before it can mark it sent: as good as dead.
    let dying: (mail: OutgoingMail) => void = () => {};
    const handedOver = new Promise<OutgoingMail>((resolve) => { dying = resolve; });
    let wakeUp: () => void = () => {};
    const hang = new Promise<void>((resolve) => { wakeUp = resolve; });
    const crashed = recordingMailer({ after: async (mail) => { dying(mail); await hang; } });
    const claimedAt = new Date();
    const first = notificationJobs.deliverOutbox(ctx.db, crashed.mailer, { now: claimedAt });
    const firstMail = await handedOver;
    const claimed = await outboxRow(row!.id);
    expect(claimed).toMatchObject({ sent_at: null, attempts: 1, claimed_at: claimedAt });
    expect(claimed.claim_token).not.toBeNull();

    const { mailer, sent } = recordingMailer();
    // While the lease runs: not sent again, by any number of workers.
    for (const offset of [0, 60 * SECOND, LEASE - SECOND]) {
      const r = await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(claimedAt.getTime() + offset) });
      expect(r.claimed).toBe(0);
    }
    expect(sent).toHaveLength(0);

    // After the lease: sent again, with the same Message-ID, and marked sent.
    const later = new Date(claimedAt.getTime() + LEASE + SECOND);
    const r = await notificationJobs.deliverOutbox(ctx.db, mailer, { now: later });
    expect(r).toMatchObject({ claimed: 1, reclaimed: 1, sent: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.raw.messageId).toBe(firstMail.messageId);
    expect(sent[0]!.raw.messageId).toBe(crashed.sent[0]!.raw.messageId);
    expect(await outboxRow(row!.id)).toMatchObject({ sent_at: later, attempts: 2, claimed_at: null });

    // The first worker wakes up after all: its late "sent" changes nothing, and nothing is sent a third time.
    wakeUp();
    await expect(first).resolves.toMatchObject({ sent: 1 });
    expect((await outboxRow(row!.id)).sent_at).toEqual(later);
    expect((await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(later.getTime() + LEASE * 2) })).claimed).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('a failing transport: each try counts, waits longer, keeps its error without the address, and gives up visibly after the last try; nothing is lost meanwhile', async () => {
    await drain();
    const h = await household(1);
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-06-04T10:00:00+02:00') });
    const [row] = await messagesOf(created.booking.id);
    const failing: Mailer = {
      transport: 'smtp',
      messageIdDomain: 'buurtservice.test',
      send: (mail) => Promise.reject(new Error(`550 5.1.1 <${mail.to}>: mailbox unavailable; call +31 6 1234 5678`)),
      close: () => {},
    };
    const start = new Date();
    const first = await notificationJobs.deliverOutbox(ctx.db, failing, { now: start, maxAttempts: 3 });
    expect(first).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    let stored = await outboxRow(row!.id);
    expect(stored).toMatchObject({ attempts: 1, sent_at: null, given_up_at: null, claimed_at: null, next_attempt_at: new Date(start.getTime() + 60 * SECOND) });
    expect(stored.last_error).toBe('550 5.1.1 <[email]>: mailbox unavailable; call [phone]');

    // Not before its backoff is over.
    expect((await notificationJobs.deliverOutbox(ctx.db, failing, { now: new Date(start.getTime() + 59 * SECOND), maxAttempts: 3 })).claimed).toBe(0);
    const second = new Date(start.getTime() + 61 * SECOND);
    expect(await notificationJobs.deliverOutbox(ctx.db, failing, { now: second, maxAttempts: 3 })).toMatchObject({ claimed: 1, failed: 1 });
    stored = await outboxRow(row!.id);
    expect(stored).toMatchObject({ attempts: 2, given_up_at: null, next_attempt_at: new Date(second.getTime() + 2 * 60 * SECOND) });

    // The third and last try fails too: given up, kept, with its error.
    const third = new Date(second.getTime() + 3 * 60 * SECOND);
    expect(await notificationJobs.deliverOutbox(ctx.db, failing, { now: third, maxAttempts: 3 })).toMatchObject({ claimed: 1, givenUp: 1 });
    stored = await outboxRow(row!.id);
    expect(stored).toMatchObject({ attempts: 3, sent_at: null, given_up_at: third });
    expect(stored.last_error).toContain('mailbox unavailable');
    const { mailer, sent } = recordingMailer();
    expect((await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(third.getTime() + LEASE * 10), maxAttempts: 3 })).claimed).toBe(0);
    expect(sent).toHaveLength(0);
  });

  it('a worker that dies on the last allowed try leaves the message given up after the lease, not stuck', async () => {
    await drain();
    const h = await household(1);
    await outbox.enqueue(ctx.db, { programme_id: breda.id, household_id: h.householdId, user_id: h.userIds[0]!, kind: 'city_pass_expiring', dedupe_key: `test:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }) });
    const now = new Date();
    const [claimed] = await outbox.claimDue(ctx.db, { now, limit: 10, leaseSeconds: notificationJobs.DELIVERY.leaseSeconds, token: randomUUID(), maxAttempts: 1 });
    expect(claimed).toMatchObject({ attempts: 1, reclaimed: false });
    const { mailer, sent } = recordingMailer();
    expect(await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(now.getTime() + LEASE - SECOND), maxAttempts: 1 })).toMatchObject({ claimed: 0, givenUp: 0 });
    expect(await notificationJobs.deliverOutbox(ctx.db, mailer, { now: new Date(now.getTime() + LEASE + SECOND), maxAttempts: 1 })).toMatchObject({ claimed: 0, givenUp: 1 });
    expect(sent).toHaveLength(0);
    const row = await outboxRow(claimed!.id);
    expect(row.given_up_at).not.toBeNull();
    expect(row.last_error).toContain('did not finish');
  });

  it('runs as the pg-boss job on the same PostgreSQL, through the mailer it is given', async () => {
    await drain();
    const h = await household(1);
    const created = await book(ctx.db, breda, { customer: { householdId: h.householdId }, startsAt: t('2027-06-07T10:00:00+02:00') });
    const [row] = await messagesOf(created.booking.id);
    const { mailer, sent } = recordingMailer();
    const url = withDatabase(inject('pgServerUrl'), (await sql<{ d: string }>`select current_database() as d`.execute(ctx.db)).rows[0]!.d);
    const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, trace: () => {}, fatal: () => {}, child: () => silent, level: 'silent', silent: () => {} };
    const runner = await startJobs({ ownerUrl: url, db: ctx.db, stripe: ctx.app.stripe, log: silent as never, mailer });
    try {
      await runner.boss.send(JOBS.deliverOutbox, {});
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(await outboxRow(row!.id)).sent_at) await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await outboxRow(row!.id)).sent_at).not.toBeNull();
      expect(sent.map((s) => s.mail.meta.outboxId)).toEqual([row!.id]);
    } finally {
      await runner.stop();
    }
  });
});
