// Calendars (issue 5) through the API against real PostgreSQL: a worker's private, revocable feed
// of assignments (the secret stored only as a hash) and a customer's booking as an .ics file, with
// local Amsterdam times that stay right on both sides of a clock change.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '@buurtservice/db';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, programme, type Programme } from '../support/bookings.js';
import { CITY_PASS_RESIDENT, must, loadWorld, ROLE_LOGINS, UTRECHT_ADMIN } from '../support/world.js';

// The feed holds 30 days back to a year ahead of "now": the clock is fixed, so the jobs of March
// 2027 (around the clock change of 28 March) stay inside it whenever the test runs.
const NOW = new Date('2027-03-01T12:00:00Z');

let ctx: TestContext;
let breda: Programme;
const tokens = { admin: '', dispatcher: '', resident: '', otherResident: '', demoWorker: '', utrechtAdmin: '' };
let worker: { id: string; token: string };
let jansen: string;

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string) =>
  ctx.app.inject({ method, url, headers: token ? bearer(token) : {} });

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => NOW });
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
  jansen = must((await loadWorld(ctx.ownerDb)).breda.households, 'Fam. Jansen');
  tokens.admin = await ctx.login(ROLE_LOGINS.programme_admin);
  tokens.dispatcher = await ctx.login(ROLE_LOGINS.dispatcher);
  tokens.resident = await ctx.login(ROLE_LOGINS.resident);
  tokens.otherResident = await ctx.login(CITY_PASS_RESIDENT);
  tokens.demoWorker = await ctx.login(ROLE_LOGINS.worker);
  tokens.utrechtAdmin = await ctx.login(UTRECHT_ADMIN);
  const email = `agenda-${randomUUID().slice(0, 8)}@example.nl`;
  const res = await ctx.app.inject({
    method: 'POST', url: '/workers', headers: bearer(tokens.dispatcher),
    payload: { displayName: 'Sem de Graaf', email, password: 'zonnebloem-tuin-42', contract: 'paid', startedOn: '2026-06-01', skills: [{ skill: 'tuin', level: 'lead' }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  worker = { id: res.json<{ id: string }>().id, token: await ctx.login(email, 'zonnebloem-tuin-42') };
});
afterAll(async () => { await ctx?.close(); });

/** A garden job for the customer at `startsAt` (ISO with offset), assigned to the worker unless told. */
async function job(startsAt: string, minutes: number, s: { customer?: string; assignTo?: string | null } = {}) {
  const customer = s.customer ? { householdId: s.customer } : await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 10);
  const created = await book(ctx.db, breda, { customer, startsAt: new Date(startsAt), minutes });
  if (s.assignTo !== null) await assign(ctx.db, breda, created.booking.id, s.assignTo ?? worker.id);
  return created.booking.id;
}

const tokenOf = (url: string) => {
  const m = /\/agenda\/([A-Za-z0-9_-]+)\.ics$/.exec(url);
  if (!m) throw new Error(`not a feed address: ${url}`);
  return m[1]!;
};
const events = (ics: string) => ics.split('BEGIN:VEVENT').slice(1);

describe("a worker's calendar feed", () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    // Summer time starts on Sunday 28 March 2027: 09:00 is 08:00 UTC before, 07:00 UTC after.
    before = await job('2027-03-26T09:00:00+01:00', 120);
    after = await job('2027-03-29T09:00:00+02:00', 120);
  });

  it('is made by the worker: an address with a 32-byte secret of which only the SHA-256 is stored', async () => {
    const res = await call('POST', `/workers/${worker.id}/calendar-feed`, worker.token);
    expect(res.statusCode, res.body).toBe(201);
    const { url } = res.json<{ url: string; createdAt: string }>();
    expect(url).toMatch(new RegExp(`^${ctx.app.config.publicWebUrl}/agenda/[A-Za-z0-9_-]{43}\\.ics$`));
    const token = tokenOf(url);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = await ctx.ownerDb.selectFrom('calendar_feeds').select(['token_hash', 'programme_id']).where('worker_id', '=', worker.id).executeTakeFirstOrThrow();
    expect(stored.token_hash.equals(createHash('sha256').update(Buffer.from(token, 'base64url')).digest())).toBe(true);
    expect(stored.programme_id).toBe(breda.id);
    const status = await call('GET', `/workers/${worker.id}/calendar-feed`, worker.token);
    expect(status.json()).toEqual({ feed: { createdAt: res.json<{ createdAt: string }>().createdAt } });
  });

  it('shows the jobs at their Amsterdam time on both sides of the clock change, with a VTIMEZONE, without login', async () => {
    const token = tokenOf((await call('POST', `/workers/${worker.id}/calendar-feed`, worker.token)).json<{ url: string }>().url);
    const res = await call('GET', `/calendar/${token}.ics`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const ics = res.body;
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n');
    expect(ics).toContain('TZOFFSETTO:+0200');
    const list = events(ics);
    expect(list).toHaveLength(2);
    const [first, second] = list as [string, string];
    expect(first).toContain('DTSTART;TZID=Europe/Amsterdam:20270326T090000\r\n');
    expect(first).toContain('DTEND;TZID=Europe/Amsterdam:20270326T110000\r\n');
    expect(second).toContain('DTSTART;TZID=Europe/Amsterdam:20270329T090000\r\n');
    expect(second).toContain('DTEND;TZID=Europe/Amsterdam:20270329T110000\r\n');
    // DTSTAMP is UTC, as RFC 5545 wants
    expect(second).toMatch(/DTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(second).toContain('SUMMARY:Tuindienst: Test ');
    expect(second).toContain('LOCATION:Teststraat 1\\, 4823 AB Breda');
    // the customer's phone number is not sent to calendar servers
    expect(ics).not.toContain('06 1234 5678');
    const uids = list.map((e) => /UID:(.+)\r\n/.exec(e)?.[1]);
    expect(new Set(uids).size).toBe(2);
    expect(before).not.toBe(after);
  });

  it('leaves out released assignments, cancelled jobs and jobs outside its window', async () => {
    const released = await job('2027-03-15T13:00:00+01:00', 60);
    await ctx.db.transaction().execute((tx) => bookings.unassignWorker(tx, { programmeId: breda.id, bookingId: released, workerId: worker.id, actorUserId: breda.dispatcherId, reason: 'ziek' }));
    const cancelled = await job('2027-03-16T13:00:00+01:00', 60);
    await ctx.db.transaction().execute((tx) => bookings.cancelBooking(tx, { programmeId: breda.id, bookingId: cancelled, actorUserId: breda.dispatcherId, reason: 'test', now: NOW, freeCancellationHours: 24, feeMinutesPerWorker: 0, waiveFee: true }));
    await job('2026-12-01T13:00:00+01:00', 60); // more than 30 days before "now"
    await job('2028-04-01T13:00:00+02:00', 60); // more than a year after
    const token = tokenOf((await call('POST', `/workers/${worker.id}/calendar-feed`, worker.token)).json<{ url: string }>().url);
    const starts = events((await call('GET', `/calendar/${token}.ics`)).body).map((e) => /DTSTART;TZID=Europe\/Amsterdam:(\d{8})/.exec(e)?.[1]);
    expect(starts).toEqual(['20270326', '20270329']);
  });

  it('stops working when a new address is made, and when it is revoked (404)', async () => {
    const old = tokenOf((await call('POST', `/workers/${worker.id}/calendar-feed`, worker.token)).json<{ url: string }>().url);
    expect((await call('GET', `/calendar/${old}.ics`)).statusCode).toBe(200);
    // staff may make one for the worker (at the counter, on their phone)
    const made = await call('POST', `/workers/${worker.id}/calendar-feed`, tokens.dispatcher);
    expect(made.statusCode).toBe(201);
    const current = tokenOf(made.json<{ url: string }>().url);
    expect(current).not.toBe(old);
    const gone = await call('GET', `/calendar/${old}.ics`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json<{ code: string }>().code).toBe('not_found');
    expect((await call('GET', `/calendar/${current}.ics`)).statusCode).toBe(200);

    expect((await call('DELETE', `/workers/${worker.id}/calendar-feed`, worker.token)).statusCode).toBe(204);
    expect((await call('GET', `/calendar/${current}.ics`)).statusCode).toBe(404);
    expect((await call('GET', `/workers/${worker.id}/calendar-feed`, worker.token)).json()).toEqual({ feed: null });
    // revoking again changes nothing
    expect((await call('DELETE', `/workers/${worker.id}/calendar-feed`, worker.token)).statusCode).toBe(204);
    const audited = await ctx.ownerDb.selectFrom('audit_log').select('action').where('subject_id', '=', worker.id).where('action', 'like', 'worker.calendar_feed_%').execute();
    expect(audited.filter((a) => a.action === 'worker.calendar_feed_revoked')).toHaveLength(1);
  });

  it('answers 404 to anything that is not a live token', async () => {
    for (const token of ['x', 'A'.repeat(43), Buffer.alloc(32).toString('base64url'), `${'A'.repeat(42)}.`, 'A'.repeat(100)]) {
      expect((await call('GET', `/calendar/${encodeURIComponent(token)}.ics`)).statusCode, token).toBe(404);
    }
  });

  it("is the worker's own: another worker and another programme get 404, a resident 403", async () => {
    expect((await call('POST', `/workers/${worker.id}/calendar-feed`, tokens.demoWorker)).statusCode).toBe(404);
    expect((await call('DELETE', `/workers/${worker.id}/calendar-feed`, tokens.demoWorker)).statusCode).toBe(404);
    expect((await call('GET', `/workers/${worker.id}/calendar-feed`, tokens.demoWorker)).statusCode).toBe(404);
    expect((await call('POST', `/workers/${worker.id}/calendar-feed`, tokens.utrechtAdmin)).statusCode).toBe(404);
    expect((await call('POST', `/workers/${worker.id}/calendar-feed`, tokens.resident)).statusCode).toBe(403);
    expect((await call('POST', `/workers/${randomUUID()}/calendar-feed`, tokens.admin)).statusCode).toBe(404);
  });
});

describe('a booking as an .ics file', () => {
  it('gives the customer one event at the booked Amsterdam time; the assigned worker gets their own times', async () => {
    const bookingId = await job('2027-03-29T14:00:00+02:00', 90, { customer: jansen, assignTo: null });
    const res = await call('GET', `/bookings/${bookingId}/calendar.ics`, tokens.resident);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="klus-[0-9a-f]{8}\.ics"$/);
    const list = events(res.body);
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('DTSTART;TZID=Europe/Amsterdam:20270329T140000\r\n');
    expect(list[0]).toContain('DTEND;TZID=Europe/Amsterdam:20270329T153000\r\n');
    expect(list[0]).toContain('SUMMARY:Buurtservice: Tuindienst\r\n');
    expect(list[0]).toContain('LOCATION:Wisselaan 12\\, 4823 JA Breda');
    expect(res.body).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam');
    const english = await ctx.app.inject({ method: 'GET', url: `/bookings/${bookingId}/calendar.ics`, headers: { ...bearer(tokens.resident), 'accept-language': 'en' } });
    expect(english.body).toContain('SUMMARY:Buurtservice: Garden service');

    await assign(ctx.db, breda, bookingId, worker.id);
    const own = await call('GET', `/bookings/${bookingId}/calendar.ics`, worker.token);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('DTSTART;TZID=Europe/Amsterdam:20270329T140000\r\n');
    expect((await call('GET', `/bookings/${bookingId}/calendar.ics`, tokens.dispatcher)).statusCode).toBe(200);
  });

  it('spans the days of the week to plan in when no time is set yet', async () => {
    const customer = { householdId: jansen };
    await buy(ctx.db, breda.id, customer, 2);
    const created = await book(ctx.db, breda, { customer, window: { start: '2027-04-05', end: '2027-04-09' }, minutes: 60 });
    const res = await call('GET', `/bookings/${created.booking.id}/calendar.ics`, tokens.resident);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('DTSTART;VALUE=DATE:20270405\r\n');
    expect(res.body).toContain('DTEND;VALUE=DATE:20270410\r\n');
    expect(res.body).toContain('SUMMARY:Buurtservice: Tuindienst (tijd volgt)');
  });

  it("is 404 for another household's booking, a worker who is not assigned, and another programme", async () => {
    const bookingId = await job('2027-03-30T09:00:00+02:00', 60, { customer: jansen, assignTo: null });
    expect((await call('GET', `/bookings/${bookingId}/calendar.ics`, tokens.otherResident)).statusCode).toBe(404);
    expect((await call('GET', `/bookings/${bookingId}/calendar.ics`, tokens.demoWorker)).statusCode).toBe(404);
    expect((await call('GET', `/bookings/${bookingId}/calendar.ics`, tokens.utrechtAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/bookings/${bookingId}/calendar.ics`)).statusCode).toBe(401);
  });
});
