// Services and prices: a quote is workers × minutes × the tariff of the customer's category on the
// job's date (DOMAIN.md: € 10 / € 6 with BredaPas / € 15 per worker-hour in the demo).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsterdamDate } from '@buurtservice/shared';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { CITY_PASS_RESIDENT, countRows, expectError, loadWorld, must, ROLE_LOGINS, type DemoWorld } from '../support/world.js';

interface Service { id: string; code: string; name: { nl: string; en: string }; description: { nl: string; en: string }; defaultDurationMinutes: number; minWorkers: number; maxWorkers: number; active: boolean; centsPerWorkerHour: number | null }
interface Quote { category: string; centsPerWorkerHour: number; workerMinutes: number; totalCents: number; tariffValidFrom: string }

let ctx: TestContext;
let world: DemoWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await loadWorld(ctx.ownerDb);
});
afterAll(async () => { await ctx?.close(); });

const today = () => amsterdamDate();
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const quote = async (email: string, body: Record<string, unknown>) =>
  ctx.app.inject({ method: 'POST', url: '/quotes', headers: bearer(await ctx.login(email)), payload: body });
const services = async (email: string, query = '') => {
  const res = await ctx.app.inject({ method: 'GET', url: `/services${query}`, headers: bearer(await ctx.login(email)) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ services: Service[] }>().services;
};
const patchService = async (email: string, serviceId: string, body: object) =>
  ctx.app.inject({ method: 'PATCH', url: `/services/${serviceId}`, headers: bearer(await ctx.login(email)), payload: body });
const postTariff = async (body: object, email: string = ROLE_LOGINS.programme_admin) =>
  ctx.app.inject({ method: 'POST', url: '/tariffs', headers: bearer(await ctx.login(email)), payload: body });
const service = (code: string) => must(world.breda.services, code);
const okQuote = async (email: string, body: Record<string, unknown>) => {
  const res = await quote(email, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Quote>();
};

describe('quotes: 2 workers for 3 hours are 6 worker-hours', () => {
  const job = () => ({ serviceId: service('tuindienst'), workers: 2, minutes: 180 });

  it.each([
    ['a resident', ROLE_LOGINS.resident, 'resident', 1000, 6000],
    ['a resident with a verified BredaPas', CITY_PASS_RESIDENT, 'resident_city_pass', 600, 3600],
    ['an organisation', ROLE_LOGINS.organisation_member, 'organisation', 1500, 9000],
  ])('%s pays the own tariff', async (_who, email, category, cents, total) => {
    expect(await okQuote(email, job())).toEqual({ category, centsPerWorkerHour: cents, workerMinutes: 360, totalCents: total, tariffValidFrom: '2026-01-01' });
  });

  it('staff price on behalf of a household or organisation with its tariff', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ householdId: must(world.breda.households, 'Fam. Jansen') }, 6000],
      [{ householdId: must(world.breda.households, 'Fam. Yilmaz') }, 3600],
      [{ organisationId: must(world.breda.organisations, 'Woonstichting Noordoost') }, 9000],
    ];
    for (const email of [ROLE_LOGINS.dispatcher, ROLE_LOGINS.programme_admin]) {
      for (const [customer, total] of cases) expect((await okQuote(email, { ...job(), ...customer })).totalCents).toBe(total);
    }
  });

  it('staff must say for whom; naming both a household and an organisation is refused too', async () => {
    expectError(await quote(ROLE_LOGINS.dispatcher, job()), 422, 'customer_required');
    expectError(await quote(ROLE_LOGINS.dispatcher, { ...job(), householdId: must(world.breda.households, 'Fam. Jansen'), organisationId: must(world.breda.organisations, 'Woonstichting Noordoost') }), 422, 'customer_required');
  });

  it('a worker may not ask for quotes', async () => {
    expectError(await quote(ROLE_LOGINS.worker, job()), 403, 'forbidden');
  });

  it('the BredaPas tariff holds through the expiry date of the pass, not after', async () => {
    const pass = await ctx.ownerDb.selectFrom('city_passes').select('expires_on').where('household_id', '=', must(world.breda.households, 'Fam. Yilmaz')).executeTakeFirstOrThrow();
    const onLastDay = await okQuote(CITY_PASS_RESIDENT, { ...job(), date: pass.expires_on });
    const dayAfter = await okQuote(CITY_PASS_RESIDENT, { ...job(), date: addDays(pass.expires_on, 1) });
    expect([onLastDay.category, onLastDay.totalCents]).toEqual(['resident_city_pass', 3600]);
    expect([dayAfter.category, dayAfter.totalCents]).toEqual(['resident', 6000]);
  });
});

describe('workers per service', () => {
  it('a quote with fewer or more workers than the service takes is refused; the bounds themselves are fine', async () => {
    const list = await services(ROLE_LOGINS.resident);
    let refused = 0;
    for (const s of list) {
      for (const workers of [s.minWorkers, s.maxWorkers]) {
        expect((await quote(ROLE_LOGINS.resident, { serviceId: s.id, workers, minutes: 60 })).statusCode, `${s.code} × ${workers}`).toBe(200);
      }
      for (const workers of [s.minWorkers - 1, s.maxWorkers + 1].filter((w) => w >= 1 && w <= 20)) {
        const body = expectError(await quote(ROLE_LOGINS.resident, { serviceId: s.id, workers, minutes: 60 }), 422, 'workers_out_of_range');
        expect(body.fields).toEqual([{ field: '/workers', code: 'workers_out_of_range' }]);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(list.length);
  });
});

describe('services', () => {
  it('staff see no price without a customer, and the price of the customer they name', async () => {
    for (const email of [ROLE_LOGINS.dispatcher, ROLE_LOGINS.programme_admin]) {
      expect(new Set((await services(email)).map((s) => s.centsPerWorkerHour))).toEqual(new Set([null]));
      expect(new Set((await services(email, `?householdId=${must(world.breda.households, 'Fam. Yilmaz')}`)).map((s) => s.centsPerWorkerHour))).toEqual(new Set([600]));
      expect(new Set((await services(email, `?householdId=${must(world.breda.households, 'Fam. Jansen')}`)).map((s) => s.centsPerWorkerHour))).toEqual(new Set([1000]));
      expect(new Set((await services(email, `?organisationId=${must(world.breda.organisations, 'Woonstichting Noordoost')}`)).map((s) => s.centsPerWorkerHour))).toEqual(new Set([1500]));
    }
    expect(new Set((await services(ROLE_LOGINS.worker)).map((s) => s.centsPerWorkerHour))).toEqual(new Set([null]));
  });

  it('an admin edit shows in GET /services at once, for everyone', async () => {
    const id = service('klussendienst');
    const edit = {
      name: { nl: 'Klushulp', en: 'Handyman help' }, description: { nl: 'Kleine klussen in huis.', en: 'Small jobs at home.' },
      defaultDurationMinutes: 90, minWorkers: 1, maxWorkers: 3,
    };
    const res = await patchService(ROLE_LOGINS.programme_admin, id, edit);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Service>()).toMatchObject({ id, ...edit });
    for (const email of [ROLE_LOGINS.resident, ROLE_LOGINS.dispatcher, ROLE_LOGINS.worker]) {
      expect((await services(email)).find((s) => s.id === id)).toMatchObject(edit);
    }
    // The new maximum counts for quotes at once as well.
    expect((await quote(ROLE_LOGINS.resident, { serviceId: id, workers: 3, minutes: 90 })).statusCode).toBe(200);
    expectError(await quote(ROLE_LOGINS.resident, { serviceId: id, workers: 4, minutes: 90 }), 422, 'workers_out_of_range');
    const audit = await ctx.ownerDb.selectFrom('audit_log').select(['action', 'subject_id']).where('subject_id', '=', id).execute();
    expect(audit).toContainEqual({ action: 'service.updated', subject_id: id });
  });

  it('a minimum above the maximum is refused and nothing changes', async () => {
    const id = service('schoonmaakdienst');
    const before = await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expectError(await patchService(ROLE_LOGINS.programme_admin, id, { minWorkers: before.max_workers + 1 }), 422, 'workers_out_of_range');
    expectError(await patchService(ROLE_LOGINS.programme_admin, id, { minWorkers: 3, maxWorkers: 2 }), 422, 'workers_out_of_range');
    expect(await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it.each([ROLE_LOGINS.dispatcher, ROLE_LOGINS.worker, ROLE_LOGINS.resident, ROLE_LOGINS.organisation_member])('%s may not edit a service', async (email) => {
    const id = service('tuindienst');
    const before = await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expectError(await patchService(email, id, { active: false }), 403, 'forbidden');
    expect(await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('an inactive service cannot be quoted, is hidden from the list, and admins still see it with ?all=true', async () => {
    const id = service('vrouwenstudio');
    expect((await patchService(ROLE_LOGINS.programme_admin, id, { active: false })).statusCode).toBe(200);
    expectError(await quote(ROLE_LOGINS.resident, { serviceId: id, workers: 1, minutes: 60 }), 422, 'service_inactive');
    expect((await services(ROLE_LOGINS.resident)).map((s) => s.id)).not.toContain(id);
    expect((await services(ROLE_LOGINS.dispatcher, '?all=true')).map((s) => s.id)).not.toContain(id);
    expect((await services(ROLE_LOGINS.programme_admin, '?all=true')).find((s) => s.id === id)).toMatchObject({ active: false });
    expect((await patchService(ROLE_LOGINS.programme_admin, id, { active: true })).statusCode).toBe(200);
    expect((await quote(ROLE_LOGINS.resident, { serviceId: id, workers: 1, minutes: 60 })).statusCode).toBe(200);
  });
});

describe('tariffs', () => {
  const job = (date?: string) => ({ serviceId: service('tuindienst'), workers: 2, minutes: 180, ...(date ? { date } : {}) });

  it('a new price from a future date changes quotes from that date on, not before', async () => {
    const from = addDays(today(), 14);
    const res = await postTariff({ category: 'resident', centsPerWorkerHour: 1200, validFrom: from });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ category: 'resident', centsPerWorkerHour: 1200, validFrom: from });

    expect(await okQuote(ROLE_LOGINS.resident, job())).toMatchObject({ centsPerWorkerHour: 1000, totalCents: 6000, tariffValidFrom: '2026-01-01' });
    expect(await okQuote(ROLE_LOGINS.resident, job(addDays(from, -1)))).toMatchObject({ centsPerWorkerHour: 1000, totalCents: 6000 });
    expect(await okQuote(ROLE_LOGINS.resident, job(from))).toMatchObject({ centsPerWorkerHour: 1200, totalCents: 7200, tariffValidFrom: from });
    expect(await okQuote(ROLE_LOGINS.resident, job(addDays(from, 200)))).toMatchObject({ centsPerWorkerHour: 1200, totalCents: 7200 });
    // Other categories keep their price on that date.
    expect(await okQuote(CITY_PASS_RESIDENT, job(from))).toMatchObject({ centsPerWorkerHour: 600, totalCents: 3600 });
    expect(await okQuote(ROLE_LOGINS.organisation_member, job(from))).toMatchObject({ centsPerWorkerHour: 1500, totalCents: 9000 });

    const listed = await ctx.app.inject({ method: 'GET', url: '/tariffs', headers: bearer(await ctx.login(ROLE_LOGINS.dispatcher)) });
    expect(listed.json<{ tariffs: { category: string; centsPerWorkerHour: number; validFrom: string }[] }>().tariffs)
      .toContainEqual(expect.objectContaining({ category: 'resident', centsPerWorkerHour: 1200, validFrom: from }));
  });

  it('a price cannot start in the past', async () => {
    const before = await countRows(ctx.ownerDb, 'tariffs', 'audit_log');
    for (const validFrom of [addDays(today(), -1), '2026-01-01', '2000-02-29']) {
      const body = expectError(await postTariff({ category: 'resident', centsPerWorkerHour: 900, validFrom }), 422, 'tariff_in_past');
      expect(body.fields).toEqual([{ field: '/validFrom', code: 'tariff_in_past' }]);
    }
    expect(await countRows(ctx.ownerDb, 'tariffs', 'audit_log')).toEqual(before);
  });

  it('a second price for the same category and date is refused; another category on that date is fine', async () => {
    const from = addDays(today(), 40);
    expect((await postTariff({ category: 'resident_city_pass', centsPerWorkerHour: 650, validFrom: from })).statusCode).toBe(201);
    const before = await countRows(ctx.ownerDb, 'tariffs', 'audit_log');
    expectError(await postTariff({ category: 'resident_city_pass', centsPerWorkerHour: 700, validFrom: from }), 409, 'tariff_exists');
    expect(await countRows(ctx.ownerDb, 'tariffs', 'audit_log')).toEqual(before);
    expect((await okQuote(CITY_PASS_RESIDENT, job(from))).centsPerWorkerHour).toBe(650);
    expect((await postTariff({ category: 'organisation', centsPerWorkerHour: 1600, validFrom: from })).statusCode).toBe(201);
  });

  it('only the admin sets prices', async () => {
    for (const email of [ROLE_LOGINS.dispatcher, ROLE_LOGINS.resident, ROLE_LOGINS.worker, ROLE_LOGINS.organisation_member]) {
      expectError(await postTariff({ category: 'resident', centsPerWorkerHour: 1, validFrom: addDays(today(), 60) }, email), 403, 'forbidden');
    }
  });

  // Last: it changes today's organisation price for the rest of this file.
  it('a price from today holds at once', async () => {
    expect((await postTariff({ category: 'organisation', centsPerWorkerHour: 1550, validFrom: today() })).statusCode).toBe(201);
    expect(await okQuote(ROLE_LOGINS.organisation_member, job())).toMatchObject({ centsPerWorkerHour: 1550, totalCents: 9300, tariffValidFrom: today() });
  });
});
