import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, programme, type Programme } from '../support/bookings.js';
import { ROLE_LOGINS, UTRECHT_ADMIN } from '../support/world.js';

let ctx: TestContext;
let breda: Programme;
let admin: string;
let dispatcher: string;
let buurt: { id: string; name: string };
let utrechtBuurt: string;

interface Worker {
  id: string; displayName: string; email: string | null; contract: string; weeklyCapMinutes: number | null; homeBuurtId: string | null; homeBuurtName: string | null;
  coachId: string | null; coachName: string | null; active: boolean; skills: { skill: string; level: string }[]; availability: { weekday: number; startMinute: number; endMinute: number }[];
}
interface Absence { id: string; kind: string; startsAt: string; endsAt: string; note: string | null }

beforeAll(async () => {
  ctx = await createTestContext();
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
  admin = await ctx.login(ROLE_LOGINS.programme_admin);
  dispatcher = await ctx.login(ROLE_LOGINS.dispatcher);
  buurt = await ctx.ownerDb.selectFrom('buurten').select(['id', 'name']).where('programme_id', '=', breda.id).where('name', '=', 'Hoge Vucht').executeTakeFirstOrThrow();
  const utrecht = await programme(ctx.ownerDb, 'utrecht-overvecht');
  utrechtBuurt = (await ctx.ownerDb.selectFrom('buurten').select('id').where('programme_id', '=', utrecht.id).executeTakeFirstOrThrow()).id;
});
afterAll(async () => { await ctx?.close(); });

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const newEmail = () => `mo-${randomUUID().slice(0, 8)}@example.nl`;
/** A worker without a login, as most are: the dispatcher gives them their jobs. */
const newWorkerBody = (extra: object = {}) => ({ displayName: 'Mo Haddou', contract: 'paid', startedOn: '2026-12-01', ...extra });
const withLogin = (extra: object = {}) => ({ ...newWorkerBody(), email: newEmail(), password: 'zonnebloem-tuin-42', ...extra });

describe('workers', () => {
  it('lets a dispatcher create a worker without a login: no email, no password', async () => {
    const res = await call('POST', '/workers', dispatcher, newWorkerBody({ displayName: 'Fatma Yilmaz', skills: [{ skill: 'tuin', level: 'learning' }] }));
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json<Worker>();
    expect(w).toMatchObject({ displayName: 'Fatma Yilmaz', email: null, contract: 'paid', active: true, skills: [{ skill: 'tuin', level: 'learning' }] });
    const user = await ctx.ownerDb.selectFrom('users').select(['role', 'email', 'password_hash', 'created_by']).where('id', '=', w.id).executeTakeFirstOrThrow();
    expect(user).toEqual({ role: 'worker', email: null, password_hash: null, created_by: breda.dispatcherId });
    const audited = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'actor_user_id']).where('subject_id', '=', w.id).execute();
    expect(audited).toEqual([{ action: 'worker.created', actor_user_id: breda.dispatcherId }]);

    // An email alone (for messages) is no login either.
    const email = newEmail();
    const mailOnly = await call('POST', '/workers', dispatcher, newWorkerBody({ email }));
    expect(mailOnly.statusCode, mailOnly.body).toBe(201);
    expect(mailOnly.json<Worker>().email).toBe(email);
    const login = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'zonnebloem-tuin-42' } });
    expect(login.statusCode).toBe(401);
  });

  it('refuses a password without an email, and an email that is taken', async () => {
    const res = await call('POST', '/workers', dispatcher, newWorkerBody({ password: 'zonnebloem-tuin-42' }));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ code: string; fields: { field: string; code: string }[] }>()).toMatchObject({ code: 'password_needs_email', fields: [{ field: '/password', code: 'password_needs_email' }] });

    const first = await call('POST', '/workers', dispatcher, newWorkerBody({ email: newEmail() }));
    const email = first.json<Worker>().email ?? '';
    const taken = await call('POST', '/workers', admin, withLogin({ email: email.toUpperCase(), displayName: 'Ander' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ code: string }>().code).toBe('email_taken');
  });

  it('creates the account and the worker with skills and availability in one go; the worker can sign in', async () => {
    const dispatcherId = breda.dispatcherId;
    const body = withLogin({
      contract: 'benefit', weeklyCapMinutes: 1200, homeBuurtId: buurt.id, coachId: dispatcherId,
      skills: [{ skill: 'tuin', level: 'lead' }], availability: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
    });
    const res = await call('POST', '/workers', admin, body);
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json<Worker>();
    expect(w).toMatchObject({
      displayName: 'Mo Haddou', email: body.email, contract: 'benefit', weeklyCapMinutes: 1200, homeBuurtName: 'Hoge Vucht', coachId: dispatcherId, active: true,
      skills: [{ skill: 'tuin', level: 'lead' }], availability: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
    });
    const user = await ctx.ownerDb.selectFrom('users').select('role').where('id', '=', w.id).executeTakeFirstOrThrow();
    expect(user.role).toBe('worker');
    const login = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: body.email, password: body.password } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json<{ user: { role: string } }>().user.role).toBe('worker');
    expect((await call('GET', '/workers', dispatcher)).json<{ workers: Worker[] }>().workers.map((x) => x.id)).toContain(w.id);
    const audited = await ctx.ownerDb.selectFrom('audit_log').select('action').where('subject_id', '=', w.id).execute();
    expect(audited.map((a) => a.action)).toEqual(['worker.created']);

    const taken = await call('POST', '/workers', admin, { ...body, displayName: 'Ander' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ code: string }>().code).toBe('email_taken');
  });

  it('refuses a bad worker whole: no account is left behind', async () => {
    const users = async () => Number((await ctx.ownerDb.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await users();
    const cases: [object, number, string][] = [
      [newWorkerBody({ contract: 'benefit' }), 422, 'weekly_cap_required'],
      [newWorkerBody({ weeklyCapMinutes: 600 }), 422, 'weekly_cap_only_for_benefit'],
      [newWorkerBody({ homeBuurtId: utrechtBuurt }), 404, 'buurt_not_found'],
      [newWorkerBody({ coachId: randomUUID() }), 404, 'not_found'],
      [newWorkerBody({ coachId: (await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', ROLE_LOGINS.resident).executeTakeFirstOrThrow()).id }), 422, 'coach_not_staff'],
      [newWorkerBody({ skills: [{ skill: 'tuin', level: 'lead' }, { skill: 'tuin', level: 'learning' }] }), 400, 'skill_listed_twice'],
      [newWorkerBody({ availability: [{ weekday: 2, startMinute: 540, endMinute: 720 }, { weekday: 2, startMinute: 600, endMinute: 800 }] }), 422, 'availability_overlaps'],
      [withLogin({ password: 'kort' }), 400, 'password_too_short'],
      [newWorkerBody({ password: 'zonnebloem-tuin-42' }), 422, 'password_needs_email'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/workers', admin, body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    expect(await users()).toBe(before);
    expect((await call('POST', '/workers', await ctx.login(ROLE_LOGINS.worker), newWorkerBody())).statusCode).toBe(403);
  });

  it('changes contract, skills and availability, and hides workers of another programme', async () => {
    const w = (await call('POST', '/workers', admin, newWorkerBody())).json<Worker>();
    const toBenefit = await call('PATCH', `/workers/${w.id}`, dispatcher, { contract: 'benefit', weeklyCapMinutes: 900 });
    expect(toBenefit.statusCode, toBenefit.body).toBe(200);
    expect(toBenefit.json<Worker>()).toMatchObject({ contract: 'benefit', weeklyCapMinutes: 900 });
    const back = await call('PATCH', `/workers/${w.id}`, dispatcher, { contract: 'volunteer', active: false });
    expect(back.json<Worker>()).toMatchObject({ contract: 'volunteer', weeklyCapMinutes: null, active: false });
    expect((await call('GET', '/workers?active=true', dispatcher)).json<{ workers: Worker[] }>().workers.map((x) => x.id)).not.toContain(w.id);

    const skills = await call('PUT', `/workers/${w.id}/skills`, dispatcher, { skills: [{ skill: 'schoonmaak', level: 'independent' }, { skill: 'tuin', level: 'learning' }] });
    expect(skills.json<Worker>().skills).toEqual([{ skill: 'schoonmaak', level: 'independent' }, { skill: 'tuin', level: 'learning' }]);
    const slots = [{ weekday: 5, startMinute: 480, endMinute: 720 }, { weekday: 2, startMinute: 780, endMinute: 960 }];
    const availability = await call('PUT', `/workers/${w.id}/availability`, dispatcher, { availability: slots });
    expect(availability.json<Worker>().availability).toEqual([slots[1], slots[0]]);
    const inverted = await call('PUT', `/workers/${w.id}/availability`, dispatcher, { availability: [{ weekday: 1, startMinute: 600, endMinute: 500 }] });
    expect(inverted.json<{ code: string }>().code).toBe('range_invalid');

    const utrechtAdmin = await ctx.login(UTRECHT_ADMIN);
    expect((await call('GET', `/workers/${w.id}`, utrechtAdmin)).statusCode).toBe(404);
    expect((await call('PATCH', `/workers/${w.id}`, utrechtAdmin, { active: true })).statusCode).toBe(404);
    expect((await call('PUT', `/workers/${w.id}/skills`, utrechtAdmin, { skills: [] })).statusCode).toBe(404);
    expect((await call('GET', `/workers/${randomUUID()}`, dispatcher)).statusCode).toBe(404);
    const actions = await ctx.ownerDb.selectFrom('audit_log').select('action').where('subject_id', '=', w.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['worker.created', 'worker.updated', 'worker.updated', 'worker.skills_set', 'worker.availability_set']);
  });

  it('records and removes absences; an overlap is refused and an absent worker cannot be assigned', async () => {
    const w = (await call('POST', '/workers', admin, newWorkerBody({ skills: [{ skill: 'tuin', level: 'independent' }] }))).json<Worker>();
    const add = (startsAt: string, endsAt: string, kind = 'sick') => call('POST', `/workers/${w.id}/absences`, dispatcher, { kind, startsAt, endsAt, note: 'griep' });
    const sick = await add('2030-03-04T00:00:00+01:00', '2030-03-07T00:00:00+01:00');
    expect(sick.statusCode, sick.body).toBe(201);
    const other = await add('2030-04-01T09:00:00+02:00', '2030-04-01T12:00:00+02:00', 'other');
    expect(other.statusCode, other.body).toBe(201);
    expect(other.json<Absence>().kind).toBe('other');
    const overlap = await add('2030-03-06T00:00:00+01:00', '2030-03-08T00:00:00+01:00');
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json<{ code: string }>().code).toBe('absence_overlaps');
    const inverted = await add('2030-05-02T00:00:00+02:00', '2030-05-01T00:00:00+02:00');
    expect(inverted.json<{ code: string }>().code).toBe('range_invalid');

    const detail = (await call('GET', `/workers/${w.id}`, dispatcher)).json<Worker & { absences: Absence[] }>();
    expect(detail.absences.map((a) => a.kind)).toEqual(['sick', 'other']);

    const { householdId } = await newHousehold(ctx.ownerDb, breda.id);
    await buy(ctx.ownerDb, breda.id, { householdId }, 10);
    const job = await book(ctx.ownerDb, breda, { customer: { householdId }, startsAt: new Date('2030-03-05T10:00:00+01:00') });
    await expect(assign(ctx.ownerDb, breda, job.booking.id, w.id)).rejects.toMatchObject({ code: 'worker_absent' });

    const sickId = sick.json<Absence>().id;
    const elsewhere = (await call('POST', '/workers', admin, newWorkerBody())).json<Worker>();
    expect((await call('DELETE', `/workers/${elsewhere.id}/absences/${sickId}`, dispatcher)).statusCode).toBe(404);
    const removed = await call('DELETE', `/workers/${w.id}/absences/${sickId}`, dispatcher);
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    expect((await call('DELETE', `/workers/${w.id}/absences/${sickId}`, dispatcher)).statusCode).toBe(404);
    await expect(assign(ctx.ownerDb, breda, job.booking.id, w.id)).resolves.toMatchObject({ workerId: w.id });
  });

  it('lists the buurten of the caller\'s programme', async () => {
    const res = await call('GET', '/buurten', dispatcher);
    expect(res.statusCode).toBe(200);
    const { buurten } = res.json<{ buurten: { id: string; name: string }[] }>();
    expect(buurten).toContainEqual(buurt);
    expect(buurten.map((b) => b.id)).not.toContain(utrechtBuurt);
    expect((await call('GET', '/buurten', await ctx.login(ROLE_LOGINS.resident))).statusCode).toBe(403);
  });
});
