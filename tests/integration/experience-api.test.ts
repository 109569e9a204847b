// The work-experience record (issue 5) through the API against real PostgreSQL: hours per month
// (Europe/Amsterdam) and per service from real logged entries of confirmed jobs, who may see and
// change the record, certificates and the trajectory (audited), and the PDF statement.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, timeEntries } from '@buurtservice/db';
import { canTake, DEFAULT_SETTINGS } from '@buurtservice/shared';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { assign, book, buy, newHousehold, programme, stateOf, type Programme } from '../support/bookings.js';
import { pdfText } from '../support/pdf.js';
import { ROLE_LOGINS, UTRECHT_ADMIN } from '../support/world.js';

let ctx: TestContext;
let breda: Programme;
const tokens = { admin: '', dispatcher: '', demoWorker: '', utrechtAdmin: '' };
/** A worker coached by the demo dispatcher who can sign in, and one coached by the admin. */
let coached: { id: string; token: string };
let adminsWorker: string;

interface Experience {
  worker: { id: string; name: string; startedOn: string; contract: string };
  canEdit: boolean;
  trajectory: { status: string; since: string | null; history: { status: string; note: string | null; actorName: string | null; at: string }[] };
  totalMinutes: number;
  months: { month: string; minutes: number; byService: { code: string; minutes: number; jobs: number }[] }[];
  services: { code: string; name: { nl: string; en: string }; minutes: number; jobs: number }[];
  certificates: { id: string; name: string; issuedOn: string; issuer: string }[];
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

async function newWorkerWithLogin(coachId: string, name: string) {
  const email = `werk-${randomUUID().slice(0, 8)}@example.nl`;
  const res = await call('POST', '/workers', tokens.admin, {
    displayName: name, email, password: 'zonnebloem-tuin-42', contract: 'volunteer', startedOn: '2026-09-01', coachId,
    skills: [{ skill: 'tuin', level: 'independent' }, { skill: 'schoonmaak', level: 'independent' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  return { id, token: await ctx.login(email, 'zonnebloem-tuin-42') };
}

beforeAll(async () => {
  ctx = await createTestContext();
  breda = await programme(ctx.ownerDb, 'breda-noordoost');
  tokens.admin = await ctx.login(ROLE_LOGINS.programme_admin);
  tokens.dispatcher = await ctx.login(ROLE_LOGINS.dispatcher);
  tokens.demoWorker = await ctx.login(ROLE_LOGINS.worker);
  tokens.utrechtAdmin = await ctx.login(UTRECHT_ADMIN);
  coached = await newWorkerWithLogin(breda.dispatcherId, 'Noor Bakkali');
  adminsWorker = (await newWorkerWithLogin(breda.adminId, 'Kees Verhoeven')).id;
});
afterAll(async () => { await ctx?.close(); });

type Action = Extract<bookings.PlainAction, 'check_in' | 'finish' | 'confirm_hours' | 'dispute' | 'settle'>;

/**
 * A job of `minutes` at `startsAt` for the worker, with one logged entry of `worked` minutes, moved
 * through the lifecycle by `actions` (each taken only when the booking is not already past it:
 * the hours layer may move a booking on by itself when an entry arrives).
 */
async function workedJob(workerId: string, s: { service?: string; startsAt: string; minutes: number; worked: number; breakMinutes?: number; actions: Action[] }) {
  const customer = await newHousehold(ctx.db, breda.id);
  await buy(ctx.db, breda.id, customer, 10);
  const created = await book(ctx.db, breda, { customer, service: s.service ?? 'tuindienst', startsAt: new Date(s.startsAt), minutes: s.minutes });
  const bookingId = created.booking.id;
  await assign(ctx.db, breda, bookingId, workerId);
  const start = new Date(s.startsAt);
  const take = async (action: Action) => {
    if (canTake(await stateOf(ctx.db, bookingId), action)) {
      await ctx.db.transaction().execute((tx) => bookings.transitionBooking(tx, { programmeId: breda.id, bookingId, action, actorUserId: breda.dispatcherId }));
    }
  };
  if (s.actions.includes('check_in')) await take('check_in');
  await ctx.db.transaction().execute((tx) => timeEntries.recordEntry(tx, {
    programmeId: breda.id, id: randomUUID(), bookingId, workerId, startsAt: start, endsAt: new Date(start.getTime() + (s.worked + (s.breakMinutes ?? 0)) * 60_000),
    breakMinutes: s.breakMinutes ?? 0, source: 'check_in_out', recordedBy: workerId, settings: DEFAULT_SETTINGS,
  }));
  for (const action of s.actions.filter((a) => a !== 'check_in')) await take(action);
  return bookingId;
}

describe('hours per month and per service', () => {
  it('counts the raw logged minutes of confirmed and settled jobs, per Amsterdam month and per service; open or disputed jobs do not count', async () => {
    const w = coached.id;
    const done = ['check_in', 'finish', 'confirm_hours'] as Action[];
    // January: two garden jobs (97 raw minutes, rounded up to 105 for billing; and 60 minutes after a 15-minute break)
    await workedJob(w, { startsAt: '2027-01-12T10:00:00+01:00', minutes: 120, worked: 97, actions: done });
    await workedJob(w, { startsAt: '2027-01-19T10:00:00+01:00', minutes: 120, worked: 60, breakMinutes: 15, actions: [...done, 'settle'] });
    // 1 February 00:30 in Amsterdam is still 31 January in UTC: it counts in February
    await workedJob(w, { service: 'schoonmaakdienst', startsAt: '2027-02-01T00:30:00+01:00', minutes: 60, worked: 45, actions: done });
    // March, after the clock change: a cleaning job
    await workedJob(w, { service: 'schoonmaakdienst', startsAt: '2027-03-29T09:00:00+02:00', minutes: 120, worked: 120, actions: done });
    // not counted: waiting for the customer, disputed
    await workedJob(w, { startsAt: '2027-03-30T09:00:00+02:00', minutes: 60, worked: 60, actions: ['check_in', 'finish'] });
    await workedJob(w, { startsAt: '2027-03-31T09:00:00+02:00', minutes: 60, worked: 50, actions: ['check_in', 'finish', 'dispute'] });

    const res = await call('GET', `/workers/${w}/experience`, coached.token);
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json<Experience>();
    expect(e.worker).toMatchObject({ id: w, name: 'Noor Bakkali', startedOn: '2026-09-01', contract: 'volunteer' });
    expect(e.canEdit).toBe(false);
    expect(e.totalMinutes).toBe(97 + 60 + 45 + 120);
    expect(e.months).toEqual([
      { month: '2027-01', minutes: 157, byService: [{ code: 'tuindienst', name: expect.any(Object) as object, minutes: 157, jobs: 2 }] },
      { month: '2027-02', minutes: 45, byService: [{ code: 'schoonmaakdienst', name: expect.any(Object) as object, minutes: 45, jobs: 1 }] },
      { month: '2027-03', minutes: 120, byService: [{ code: 'schoonmaakdienst', name: expect.any(Object) as object, minutes: 120, jobs: 1 }] },
    ]);
    expect(e.services.map(({ code, minutes, jobs }) => ({ code, minutes, jobs }))).toEqual([
      { code: 'schoonmaakdienst', minutes: 165, jobs: 2 },
      { code: 'tuindienst', minutes: 157, jobs: 2 },
    ]);
    expect(e.services[1]!.name).toEqual({ nl: 'Tuindienst', en: expect.any(String) as string });
    expect(e.trajectory).toEqual({ status: 'active', since: null, history: [] });
  });
});

describe('who sees the record', () => {
  it('shows it to the worker self, their coach and admins; another worker, a dispatcher who is not the coach and another programme get 404', async () => {
    const see = async (workerId: string, token: string) => (await call('GET', `/workers/${workerId}/experience`, token)).statusCode;
    expect(await see(coached.id, coached.token)).toBe(200);
    expect(await see(coached.id, tokens.dispatcher)).toBe(200);
    expect(await see(coached.id, tokens.admin)).toBe(200);
    expect(await see(adminsWorker, tokens.admin)).toBe(200);
    expect(await see(adminsWorker, tokens.dispatcher)).toBe(404);
    expect(await see(coached.id, tokens.demoWorker)).toBe(404);
    expect(await see(adminsWorker, coached.token)).toBe(404);
    expect(await see(coached.id, tokens.utrechtAdmin)).toBe(404);
    expect(await see(randomUUID(), tokens.admin)).toBe(404);
    const pdf = await call('GET', `/workers/${adminsWorker}/experience.pdf`, tokens.dispatcher);
    expect(pdf.statusCode).toBe(404);
    const resident = await call('GET', `/workers/${coached.id}/experience`, await ctx.login(ROLE_LOGINS.resident));
    expect(resident.statusCode).toBe(403);
  });

  it('tells the coach and admins they may change it, the worker not', async () => {
    const canEdit = async (token: string) => (await call('GET', `/workers/${coached.id}/experience`, token)).json<Experience>().canEdit;
    expect(await canEdit(tokens.dispatcher)).toBe(true);
    expect(await canEdit(tokens.admin)).toBe(true);
    expect(await canEdit(coached.token)).toBe(false);
  });
});

describe('certificates', () => {
  const audits = (workerId: string, action: string) => ctx.ownerDb.selectFrom('audit_log').select(['actor_user_id', 'details'])
    .where('subject_id', '=', workerId).where('action', '=', action).execute();

  it('are added by the coach once (a retry finds the first), audited, and removed by an admin', async () => {
    const body = { name: 'VCA Basisveiligheid', issuedOn: '2026-10-12', issuer: 'Stichting Samenwerken Voor Veiligheid' };
    const first = await call('POST', `/workers/${coached.id}/certificates`, tokens.dispatcher, body);
    expect(first.statusCode, first.body).toBe(201);
    const cert = first.json<{ id: string }>();
    expect(cert).toEqual({ id: expect.any(String) as string, ...body });
    const again = await call('POST', `/workers/${coached.id}/certificates`, tokens.dispatcher, body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await audits(coached.id, 'worker.certificate_added')).toEqual([{ actor_user_id: breda.dispatcherId, details: { certificateId: cert.id, name: body.name } }]);

    const seen = (await call('GET', `/workers/${coached.id}/experience`, coached.token)).json<Experience>();
    expect(seen.certificates).toEqual([{ id: cert.id, ...body }]);

    expect((await call('DELETE', `/workers/${coached.id}/certificates/${cert.id}`, tokens.admin)).statusCode).toBe(204);
    expect((await call('DELETE', `/workers/${coached.id}/certificates/${cert.id}`, tokens.admin)).statusCode).toBe(404);
    expect(await audits(coached.id, 'worker.certificate_removed')).toEqual([{ actor_user_id: breda.adminId, details: { certificateId: cert.id, name: body.name } }]);
  });

  it('cannot be changed by the worker, nor by a dispatcher who is not the coach; a certificate of another worker is 404', async () => {
    const body = { name: 'Snoeien', issuedOn: '2026-11-01', issuer: 'Groencollege' };
    expect((await call('POST', `/workers/${coached.id}/certificates`, coached.token, body)).statusCode).toBe(403);
    expect((await call('POST', `/workers/${adminsWorker}/certificates`, tokens.dispatcher, body)).statusCode).toBe(404);
    const own = await call('POST', `/workers/${adminsWorker}/certificates`, tokens.admin, body);
    expect(own.statusCode).toBe(201);
    const certId = own.json<{ id: string }>().id;
    // the certificate exists, but not for this worker
    expect((await call('DELETE', `/workers/${coached.id}/certificates/${certId}`, tokens.dispatcher)).statusCode).toBe(404);
    expect((await call('DELETE', `/workers/${adminsWorker}/certificates/${certId}`, tokens.dispatcher)).statusCode).toBe(404);
    const left = (await call('GET', `/workers/${adminsWorker}/experience`, tokens.admin)).json<Experience>().certificates;
    expect(left.map((c) => c.id)).toEqual([certId]);
  });

  it('refuses bad input with a stable code and stores nothing', async () => {
    const before = (await call('GET', `/workers/${coached.id}/experience`, tokens.admin)).json<Experience>().certificates.length;
    for (const [body, code] of [
      [{ name: 'Later', issuedOn: '2099-01-01', issuer: 'Groencollege' }, 'date_invalid'],
      [{ name: ' ', issuedOn: '2026-01-01', issuer: 'Groencollege' }, 'validation_failed'],
      [{ name: 'x'.repeat(201), issuedOn: '2026-01-01', issuer: 'Groencollege' }, 'validation_failed'],
      [{ name: 'Snoeien', issuedOn: '2026-02-30', issuer: 'Groencollege' }, 'validation_failed'],
      [{ name: 'Snoeien', issuedOn: '2026-01-01' }, 'validation_failed'],
      [{ name: 'Snoeien', issuedOn: '2026-01-01', issuer: 'Groencollege', extra: 1 }, 'validation_failed'],
    ] as const) {
      const res = await call('POST', `/workers/${coached.id}/certificates`, tokens.admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    expect((await call('GET', `/workers/${coached.id}/experience`, tokens.admin)).json<Experience>().certificates).toHaveLength(before);
  });
});

describe('the trajectory', () => {
  it('is set by the coach with a note, kept as history, audited; a retry records nothing twice; since moves only with the status', async () => {
    const put = (token: string, body: object) => call('PUT', `/workers/${coached.id}/trajectory`, token, body);
    const first = await put(tokens.dispatcher, { status: 'subsidised_work', note: 'Start bij de groenvoorziening van de gemeente.' });
    expect(first.statusCode, first.body).toBe(200);
    const t1 = first.json<Experience['trajectory']>();
    expect(t1).toMatchObject({ status: 'subsidised_work', history: [{ status: 'subsidised_work', note: 'Start bij de groenvoorziening van de gemeente.', actorName: expect.any(String) as string }] });
    expect(t1.since).toBe(t1.history[0]!.at);

    const retry = await put(tokens.dispatcher, { status: 'subsidised_work', note: 'Start bij de groenvoorziening van de gemeente.' });
    expect(retry.json<Experience['trajectory']>().history).toHaveLength(1);

    const noted = await put(tokens.admin, { status: 'subsidised_work', note: 'Contract verlengd.' });
    const t2 = noted.json<Experience['trajectory']>();
    expect(t2.history.map((h) => h.note)).toEqual(['Contract verlengd.', 'Start bij de groenvoorziening van de gemeente.']);
    expect(t2.since).toBe(t1.since);

    const moved = (await put(tokens.admin, { status: 'regular_work' })).json<Experience['trajectory']>();
    expect(moved).toMatchObject({ status: 'regular_work', since: moved.history[0]!.at });
    expect(moved.history.map((h) => h.status)).toEqual(['regular_work', 'subsidised_work', 'subsidised_work']);

    const audited = await ctx.ownerDb.selectFrom('audit_log').select(['actor_user_id', 'details']).where('subject_id', '=', coached.id).where('action', '=', 'worker.trajectory_set').orderBy('id').execute();
    expect(audited).toEqual([
      { actor_user_id: breda.dispatcherId, details: { status: 'subsidised_work' } },
      { actor_user_id: breda.adminId, details: { status: 'subsidised_work' } },
      { actor_user_id: breda.adminId, details: { status: 'regular_work' } },
    ]);
    const seen = (await call('GET', `/workers/${coached.id}/experience`, coached.token)).json<Experience>();
    expect(seen.trajectory).toEqual(moved);
  });

  it('refuses an unknown status, the worker self and a dispatcher who is not the coach', async () => {
    expect((await call('PUT', `/workers/${coached.id}/trajectory`, tokens.admin, { status: 'retired' })).json<{ code: string }>().code).toBe('validation_failed');
    expect((await call('PUT', `/workers/${coached.id}/trajectory`, coached.token, { status: 'completed' })).statusCode).toBe(403);
    expect((await call('PUT', `/workers/${adminsWorker}/trajectory`, tokens.dispatcher, { status: 'completed' })).statusCode).toBe(404);
    const status = await ctx.ownerDb.selectFrom('workers').select('trajectory_status').where('user_id', '=', adminsWorker).executeTakeFirstOrThrow();
    expect(status.trajectory_status).toBe('active');
  });
});

describe('the statement of work experience (PDF)', () => {
  it('names the worker, the hours per service and month, and the certificates', async () => {
    await call('POST', `/workers/${coached.id}/certificates`, tokens.admin, { name: 'Veilig werken met de heggenschaar', issuedOn: '2026-11-05', issuer: 'Groencollege Breda' });
    const res = await call('GET', `/workers/${coached.id}/experience.pdf`, coached.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="werkervaring-noor-bakkali.pdf"');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Verklaring van werkervaring');
    expect(text).toContain('Noor Bakkali');
    expect(text).toContain('Gewerkte uren in totaal: 5 uur 22 min');
    expect(text).toMatch(/Schoonmaakdienst 2 uur 45 min 2/);
    expect(text).toMatch(/Tuindienst 2 uur 37 min 2/);
    expect(text).toMatch(/januari 2027 2 uur 37 min/);
    expect(text).toContain('Veilig werken met de heggenschaar');
    expect(text).toContain('Groencollege Breda');
    // what is between the worker and their coach stays out
    expect(text).not.toContain('vrijwilliger');
    expect(text).not.toContain('regular_work');
  });
});
