// Dispatch through HTTP (docs/api-bookings.md, "Dispatch"): the board, suggestions with reasons,
// assigning and unassigning, the database's last word under concurrency (double booking, weekly
// cap), and the auto-planner's proposal and its acceptance, against real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBookings } from '@buurtservice/db';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { book, buy, newHousehold, newWorker, programme, type Programme } from '../support/bookings.js';

// The API's clock: a Wednesday; the jobs below are in the week after.
const NOW = new Date('2027-02-24T12:00:00+01:00');

let ctx: TestContext;
let breda: Programme;
let dispatcher: Record<string, string>;
let utrechtAdmin: Record<string, string>;
let staff: Record<string, string>;
let ids: Record<string, string>;
/** a job of two with only its leader left on it (set by the assignment test) */
let halfPlanned = '';

beforeAll(async () => {
  ctx = await createTestContext({ clock: () => NOW });
  breda = await programme(ctx.db, 'breda-noordoost');
  dispatcher = bearer(await ctx.login('coordinator@example.nl'));
  utrechtAdmin = bearer(await ctx.login('beheer.utrecht@example.nl'));
  staff = dispatcher;
  const rows = await ctx.db.selectFrom('users').select(['id', 'display_name']).where('programme_id', '=', breda.id).where('role', '=', 'worker').execute();
  ids = Object.fromEntries(rows.map((r) => [r.display_name.split(' ')[0]!, r.id]));
  // enough cheques that every job below holds its minutes and is ready to plan
  await buy(ctx.db, breda.id, await jansen(), 100);
});
afterAll(async () => { await ctx?.close(); });

const jansen = async () => {
  const h = await ctx.db.selectFrom('households').select('id').where('programme_id', '=', breda.id).where('name', '=', 'Fam. Jansen').executeTakeFirstOrThrow();
  return { householdId: h.id };
};

interface Booking { id: string; state: string; startsAt: string | null; assignments: { workerId: string; leads: boolean; startsAt: string }[]; actions: string[] }
interface Suggestions { startsAt: string; suggestions: { workerId: string; displayName: string; score: number; eligible: boolean; canLead: boolean; reasons: { code: string; ok: boolean; text: { nl: string; en: string } }[] }[] }

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  ctx.app.inject({ method, url, headers, ...(payload && { payload }) });

describe('the board', () => {
  it('shows the day\'s bookings and every active worker with schedule, absences and availability', async () => {
    const customer = await jansen();
    const { booking } = await book(ctx.db, breda, { customer, startsAt: new Date('2027-03-01T08:00:00+01:00'), minutes: 60 });
    const res = await inject('GET', '/dispatch/board?date=2027-03-01&span=day', staff);
    expect(res.statusCode).toBe(200);
    const board = res.json<{ from: string; until: string; bookings: Booking[]; workers: { id: string; displayName: string; availability: unknown[]; assignedMinutes: number; schedule: unknown[] }[] }>();
    expect(board).toMatchObject({ from: '2027-03-01', until: '2027-03-02' });
    expect(board.bookings.map((b) => b.id)).toContain(booking.id);
    const sanne = board.workers.find((w) => w.id === ids.Sanne);
    expect(sanne).toMatchObject({ displayName: 'Sanne de Bruijn', assignedMinutes: 0, schedule: [] });
    expect(sanne!.availability).toHaveLength(5);
    const week = (await inject('GET', '/dispatch/board?date=2027-03-04&span=week', staff)).json<{ from: string; until: string }>();
    expect(week).toMatchObject({ from: '2027-03-01', until: '2027-03-08' });
    // Utrecht's board does not show Breda
    const utrecht = (await inject('GET', '/dispatch/board?date=2027-03-01&span=day', utrechtAdmin)).json<{ bookings: Booking[]; workers: unknown[] }>();
    expect(utrecht.bookings.map((b) => b.id)).not.toContain(booking.id);
    expect(utrecht.workers).toEqual([]);
    expect((await inject('GET', '/dispatch/board?date=2027-03-01', bearer(await ctx.login('medewerker@example.nl')))).statusCode).toBe(403);
  });
});

describe('suggestions', () => {
  it('ranks the workers for a job, best first, each with reasons in Dutch and English', async () => {
    const { booking } = await book(ctx.db, breda, { customer: await jansen(), startsAt: new Date('2027-03-01T10:00:00+01:00'), minutes: 120 });
    const res = await inject('GET', `/bookings/${booking.id}/suggestions`, staff);
    expect(res.statusCode).toBe(200);
    const body = res.json<Suggestions>();
    expect(body.startsAt).toBe('2027-03-01T09:00:00.000Z');
    const list = body.suggestions;
    // eligible first, by score
    const firstIneligible = list.findIndex((s) => !s.eligible);
    expect(list.slice(firstIneligible).every((s) => !s.eligible && s.score === 0)).toBe(true);
    const scores = list.filter((s) => s.eligible).map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Sanne lives in Hoge Vucht like the Jansens, works Mondays 08:00–16:30 and can lead the garden
    expect(list[0]).toMatchObject({ workerId: ids.Sanne, eligible: true, canLead: true });
    expect(list[0]!.reasons.find((r) => r.code === 'buurt')).toMatchObject({ ok: true, text: { nl: 'Woont in dezelfde buurt', en: 'Lives in the same neighbourhood' } });
    expect(list[0]!.reasons.map((r) => r.code).sort()).toEqual(['absent', 'available', 'buurt', 'fair_hours', 'free', 'known_customer', 'skill', 'weekly_cap']);
    // Ineke has no garden skill
    expect(list.find((s) => s.workerId === ids.Ineke)).toMatchObject({ eligible: false, score: 0 });
    expect(list.find((s) => s.workerId === ids.Ineke)!.reasons.find((r) => r.code === 'skill')!.ok).toBe(false);
  });

  it('picks a start for a flexible booking, or scores the one given inside its window', async () => {
    const { booking } = await book(ctx.db, breda, { customer: await jansen(), window: { start: '2027-03-02', end: '2027-03-03' }, minutes: 60 });
    const picked = (await inject('GET', `/bookings/${booking.id}/suggestions`, staff)).json<Suggestions>();
    const start = new Date(picked.startsAt);
    expect(start.getTime()).toBeGreaterThanOrEqual(new Date('2027-03-02T08:00:00+01:00').getTime());
    expect(start.getTime()).toBeLessThan(new Date('2027-03-04T00:00:00+01:00').getTime());
    expect(start.getUTCMinutes() % 15).toBe(0);
    const given = await inject('GET', `/bookings/${booking.id}/suggestions?startsAt=${encodeURIComponent('2027-03-03T14:00:00+01:00')}`, staff);
    expect(given.json<Suggestions>().startsAt).toBe('2027-03-03T13:00:00.000Z');
    const outside = await inject('GET', `/bookings/${booking.id}/suggestions?startsAt=${encodeURIComponent('2027-03-05T14:00:00+01:00')}`, staff);
    expect(outside.json()).toMatchObject({ code: 'start_outside_window' });
  });
});

describe('assigning and unassigning', () => {
  it('schedules a job of two once both are assigned, one leading; taking one off brings it back', async () => {
    const { booking } = await book(ctx.db, breda, { customer: await jansen(), startsAt: new Date('2027-03-02T10:00:00+01:00'), minutes: 120, workers: 2 });
    const url = `/bookings/${booking.id}/assignments`;
    const notLead = await inject('POST', url, staff, { workerId: ids.Jordy, leads: true });
    expect(notLead.statusCode).toBe(422);
    expect(notLead.json()).toMatchObject({ code: 'lead_not_qualified' });
    const first = await inject('POST', url, staff, { workerId: ids.Mohamed });
    expect(first.statusCode).toBe(200);
    expect(first.json<Booking>()).toMatchObject({ state: 'ready_to_plan', assignments: [{ workerId: ids.Mohamed, leads: false }] });
    const second = await inject('POST', url, staff, { workerId: ids.Sanne, leads: true });
    expect(second.statusCode).toBe(200);
    const scheduled = second.json<Booking>();
    expect(scheduled.state).toBe('scheduled');
    expect(scheduled.assignments.map((a) => [a.workerId, a.leads])).toEqual([[ids.Sanne, true], [ids.Mohamed, false]]);
    expect((await inject('POST', url, staff, { workerId: ids.Dennis })).json()).toMatchObject({ code: 'booking_action_not_allowed' });

    const off = await inject('DELETE', `${url}/${ids.Mohamed}?reason=${encodeURIComponent('Ziek gemeld')}`, staff);
    expect(off.statusCode).toBe(200);
    expect(off.json<Booking>()).toMatchObject({ state: 'ready_to_plan', assignments: [{ workerId: ids.Sanne }] });
    halfPlanned = booking.id;
    expect((await inject('DELETE', `${url}/${ids.Mohamed}`, staff)).json()).toMatchObject({ code: 'not_assigned' });
    // the worker is now busy then: suggestions say so
    const other = await book(ctx.db, breda, { customer: await jansen(), startsAt: new Date('2027-03-02T11:00:00+01:00'), minutes: 60 });
    const s = (await inject('GET', `/bookings/${other.booking.id}/suggestions`, staff)).json<Suggestions>();
    const sanne = s.suggestions.find((x) => x.workerId === ids.Sanne)!;
    expect(sanne.eligible).toBe(false);
    expect(sanne.reasons.find((r) => r.code === 'free')).toMatchObject({ ok: false, text: { en: 'Already has another job then' } });
  });

  it('lets exactly 1 of 20 concurrent assignments of one worker to overlapping jobs through; the rest get 409 worker_double_booked', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 20);
    const worker = await newWorker(ctx.db, breda.id);
    const jobs: string[] = [];
    for (let i = 0; i < 20; i++) jobs.push((await book(ctx.db, breda, { customer, startsAt: new Date(new Date('2027-03-03T10:00:00+01:00').getTime() + i * 60_000) })).booking.id);
    const answers = await Promise.all(jobs.map((id) => inject('POST', `/bookings/${id}/assignments`, staff, { workerId: worker })));
    const ok = answers.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    for (const r of answers.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'worker_double_booked' });
    }
    const active = await ctx.db.selectFrom('booking_assignments').select('id').where('worker_id', '=', worker).where('released_at', 'is', null).execute();
    expect(active).toHaveLength(1);
  });

  it('refuses a worker on a benefit over the weekly cap with 409 worker_weekly_cap_exceeded', async () => {
    const customer = await newHousehold(ctx.db, breda.id);
    await buy(ctx.db, breda.id, customer, 10);
    const worker = await newWorker(ctx.db, breda.id, { contract: 'benefit', weeklyCapMinutes: 120 });
    const a = await book(ctx.db, breda, { customer, startsAt: new Date('2027-03-01T09:00:00+01:00'), minutes: 90 });
    const b = await book(ctx.db, breda, { customer, startsAt: new Date('2027-03-04T09:00:00+01:00'), minutes: 60 });
    expect((await inject('POST', `/bookings/${a.booking.id}/assignments`, staff, { workerId: worker })).statusCode).toBe(200);
    const over = await inject('POST', `/bookings/${b.booking.id}/assignments`, staff, { workerId: worker });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'worker_weekly_cap_exceeded' });
    const s = (await inject('GET', `/bookings/${b.booking.id}/suggestions`, staff)).json<Suggestions>();
    expect(s.suggestions.find((x) => x.workerId === worker)!.reasons.find((r) => r.code === 'weekly_cap')).toMatchObject({ ok: false });
  });
});

describe('auto-plan', () => {
  interface Plan { proposals: { bookingId: string; startsAt: string; workers: { workerId: string; leads: boolean }[] }[]; unplaced: { bookingId: string; reasons: { code: string }[] }[]; objective: number }

  it('proposes a plan for the demo week without storing it, and accepting applies it once', async () => {
    await seedDemoBookings(ctx.ownerDb, NOW);
    const before = await ctx.db.selectFrom('booking_assignments').select(({ fn }) => fn.countAll<string>().as('n')).where('released_at', 'is', null).executeTakeFirstOrThrow();
    const res = await inject('POST', '/dispatch/autoplan', staff, { date: '2027-03-01', span: 'week' });
    expect(res.statusCode).toBe(200);
    const plan = res.json<Plan>();
    expect(plan.proposals.length).toBeGreaterThan(3);
    expect(plan.objective).toBeGreaterThan(0);
    // nothing stored
    const after = await ctx.db.selectFrom('booking_assignments').select(({ fn }) => fn.countAll<string>().as('n')).where('released_at', 'is', null).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // every unplaced job says why
    for (const u of plan.unplaced) expect(u.reasons.length).toBeGreaterThan(0);
    // the half-planned job of two keeps Sanne (pinned) and gets one more, not a second leader
    const pinned = plan.proposals.find((p) => p.bookingId === halfPlanned);
    expect(pinned).toMatchObject({ startsAt: '2027-03-02T09:00:00.000Z', workers: [{ leads: false }] });
    expect(pinned!.workers[0]!.workerId).not.toBe(ids.Sanne);

    // what a client sends back: the ids, the start and who leads
    const body = (p: Plan) => p.proposals.map((x) => ({ bookingId: x.bookingId, startsAt: x.startsAt, workers: x.workers.map((w) => ({ workerId: w.workerId, leads: w.leads })) }));
    const key = { ...staff, 'idempotency-key': 'autoplan-accept-1' };
    const accepted = await inject('POST', '/dispatch/autoplan/accept', key, { proposals: body(plan) });
    expect(accepted.statusCode).toBe(200);
    const result = accepted.json<{ applied: string[]; failed: { bookingId: string; code: string }[] }>();
    expect(result.failed).toEqual([]);
    expect([...result.applied].sort()).toEqual(plan.proposals.map((p) => p.bookingId).sort());
    for (const p of plan.proposals) {
      const b = (await inject('GET', `/bookings/${p.bookingId}`, staff)).json<Booking>();
      for (const w of p.workers) expect(b.assignments).toContainEqual(expect.objectContaining({ workerId: w.workerId, leads: w.leads, startsAt: p.startsAt }));
    }
    const replay = await inject('POST', '/dispatch/autoplan/accept', key, { proposals: body(plan) });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(result);
    // the same proposals once more, under a new key: they no longer fit, each with its code, nothing half done
    const again = await inject('POST', '/dispatch/autoplan/accept', { ...staff, 'idempotency-key': 'autoplan-accept-2' }, { proposals: body(plan) });
    const stale = again.json<{ applied: string[]; failed: { bookingId: string; code: string; message: string }[] }>();
    expect(stale.applied).toEqual([]);
    expect(stale.failed).toHaveLength(plan.proposals.length);
    for (const f of stale.failed) expect(['booking_action_not_allowed', 'worker_already_assigned', 'worker_double_booked', 'booking_fully_assigned']).toContain(f.code);
    const next = (await inject('POST', '/dispatch/autoplan', staff, { date: '2027-03-01', span: 'week' })).json<Plan>();
    for (const p of next.proposals) expect(result.applied).not.toContain(p.bookingId);
  });
});

describe('another programme', () => {
  it('cannot see or touch a Breda booking: 404', async () => {
    const { booking } = await book(ctx.db, breda, { customer: await jansen(), startsAt: new Date('2027-03-05T10:00:00+01:00'), minutes: 60 });
    expect((await inject('GET', `/bookings/${booking.id}/suggestions`, utrechtAdmin)).statusCode).toBe(404);
    const assign = await inject('POST', `/bookings/${booking.id}/assignments`, utrechtAdmin, { workerId: ids.Sanne });
    expect(assign.statusCode).toBe(404);
    expect((await inject('DELETE', `/bookings/${booking.id}/assignments/${ids.Sanne}`, utrechtAdmin)).statusCode).toBe(404);
    const accept = await inject('POST', '/dispatch/autoplan/accept', utrechtAdmin, { proposals: [{ bookingId: booking.id, startsAt: '2027-03-05T09:00:00.000Z', workers: [{ workerId: ids.Sanne, leads: false }] }] });
    expect(accept.json()).toMatchObject({ applied: [], failed: [{ bookingId: booking.id, code: 'not_found' }] });
    const stored = await ctx.db.selectFrom('booking_assignments').select('id').where('booking_id', '=', booking.id).execute();
    expect(stored).toEqual([]);
  });
});
