// One deployment, two programmes: Breda Noordoost and Utrecht Overvecht never see or change each
// other's households, organisations, services or tariffs; a resident sees only their own household.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { countRows, expectError, loadWorld, must, ROLE_LOGINS, UTRECHT_ADMIN, UTRECHT_RESIDENT, type DemoWorld } from '../support/world.js';

interface Household { id: string; name: string; postcode: string; houseNumber: number; phone: string | null; buurt: string | null }
interface Organisation { id: string; name: string }
interface Tariff { id: string; category: string; centsPerWorkerHour: number; validFrom: string }

let ctx: TestContext;
let world: DemoWorld;
let utrechtOrganisation: string;
const BREDA_STAFF = [ROLE_LOGINS.dispatcher, ROLE_LOGINS.programme_admin];

beforeAll(async () => {
  ctx = await createTestContext();
  world = await loadWorld(ctx.ownerDb);
  const res = await ctx.app.inject({
    method: 'POST', url: '/organisations', headers: bearer(await ctx.login(UTRECHT_ADMIN)),
    payload: { name: 'Stichting Overvecht Werkt', kvkNumber: '30555444', billingAddress: { street: 'Zamenhofdreef', houseNumber: 1, postcode: '3562 JW', city: 'Utrecht' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  utrechtOrganisation = res.json<Organisation>().id;
});
afterAll(async () => { await ctx?.close(); });

const get = async (email: string, url: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(await ctx.login(email)) });
const programmeOfHouseholds = async (ids: string[]) =>
  ids.length ? (await ctx.ownerDb.selectFrom('households').select('programme_id').where('id', 'in', ids).execute()).map((r) => r.programme_id) : [];

describe('staff of Breda and the households of Utrecht', () => {
  it.each(BREDA_STAFF)('%s cannot read an Utrecht household', async (email) => {
    expectError(await get(email, `/households/${must(world.utrecht.households, 'Fam. Bakker')}`), 404, 'not_found');
    // ... while a Breda household of someone else is theirs to read.
    expect((await get(email, `/households/${must(world.breda.households, 'Fam. Yilmaz')}`)).statusCode).toBe(200);
  });

  it.each(BREDA_STAFF)('%s never finds an Utrecht household, by name, postcode, house number or phone', async (email) => {
    const all = await get(email, '/households?q=Fam');
    expect(all.statusCode).toBe(200);
    const found = all.json<{ households: Household[] }>().households;
    expect(found.map((h) => h.name)).toEqual(expect.arrayContaining(['Fam. Jansen', 'Fam. Yilmaz']));
    expect(new Set(await programmeOfHouseholds(found.map((h) => h.id)))).toEqual(new Set([world.breda.id]));

    for (const q of ['Bakker', '3562JX', '3562 jx', '3562JX 101', '030 261 00 44', '0302610044', 'Zamenhof']) {
      const res = await get(email, `/households?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json<{ households: Household[] }>().households, q).toEqual([]);
    }
  });

  it('and the other way round: Utrecht staff find only Utrecht households', async () => {
    const res = await get(UTRECHT_ADMIN, '/households?q=Fam');
    const found = res.json<{ households: Household[] }>().households;
    expect(found.map((h) => h.id)).toContain(must(world.utrecht.households, 'Fam. Bakker'));
    expect(new Set(await programmeOfHouseholds(found.map((h) => h.id)))).toEqual(new Set([world.utrecht.id]));
    expect((await get(UTRECHT_ADMIN, '/households?q=4823JA 12')).json<{ households: Household[] }>().households).toEqual([]);
    expectError(await get(UTRECHT_ADMIN, `/households/${must(world.breda.households, 'Fam. Jansen')}`), 404, 'not_found');
  });

  it.each(BREDA_STAFF)('%s cannot price a job for an Utrecht household', async (email) => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/quotes', headers: bearer(await ctx.login(email)),
      payload: { serviceId: must(world.breda.services, 'tuindienst'), workers: 1, minutes: 60, householdId: must(world.utrecht.households, 'Fam. Bakker') },
    });
    expectError(res, 404, 'not_found');
  });
});

describe('organisations across programmes', () => {
  it.each(BREDA_STAFF)('%s neither lists nor reads an Utrecht organisation', async (email) => {
    const list = await get(email, '/organisations');
    expect(list.statusCode).toBe(200);
    const ids = list.json<{ organisations: Organisation[] }>().organisations.map((o) => o.id);
    expect(ids).toContain(must(world.breda.organisations, 'Woonstichting Noordoost'));
    expect(ids).not.toContain(utrechtOrganisation);
    expectError(await get(email, `/organisations/${utrechtOrganisation}`), 404, 'not_found');
  });

  it('the Breda admin cannot add a location to an Utrecht organisation', async () => {
    const before = await countRows(ctx.ownerDb, 'organisation_locations', 'audit_log');
    const res = await ctx.app.inject({
      method: 'POST', url: `/organisations/${utrechtOrganisation}/locations`, headers: bearer(await ctx.login(ROLE_LOGINS.programme_admin)),
      payload: { name: 'Sluiproute', street: 'Zamenhofdreef', houseNumber: 2, postcode: '3562 JW', city: 'Utrecht' },
    });
    expectError(res, 404, 'not_found');
    expect(await countRows(ctx.ownerDb, 'organisation_locations', 'audit_log')).toEqual(before);
  });

  it('an organisation member reads their own organisation only', async () => {
    expect((await get(ROLE_LOGINS.organisation_member, `/organisations/${must(world.breda.organisations, 'Woonstichting Noordoost')}`)).statusCode).toBe(200);
    expectError(await get(ROLE_LOGINS.organisation_member, `/organisations/${utrechtOrganisation}`), 404, 'not_found');
  });

  // Were KvK numbers unique across the deployment, a refusal here would tell Breda that Utrecht has this organisation.
  it('the same KvK number may exist once in each programme', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/organisations', headers: bearer(await ctx.login(ROLE_LOGINS.programme_admin)),
      payload: { name: 'Overvecht Werkt, vestiging Breda', kvkNumber: '30555444', billingAddress: { street: 'Haagweg', houseNumber: 4, postcode: '4822 AA', city: 'Breda' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Organisation>().id).not.toBe(utrechtOrganisation);
  });
});

describe('services across programmes', () => {
  it('the Breda admin cannot change an Utrecht service (404), and it stays as it was', async () => {
    const utrechtService = must(world.utrecht.services, 'klussendienst');
    const before = await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', utrechtService).executeTakeFirstOrThrow();
    const res = await ctx.app.inject({
      method: 'PATCH', url: `/services/${utrechtService}`, headers: bearer(await ctx.login(ROLE_LOGINS.programme_admin)),
      payload: { active: false, name: { nl: 'Overgenomen', en: 'Taken over' } },
    });
    expectError(res, 404, 'not_found');
    expect(await ctx.ownerDb.selectFrom('services').selectAll().where('id', '=', utrechtService).executeTakeFirstOrThrow()).toEqual(before);
    const seen = (await get(UTRECHT_RESIDENT, '/services')).json<{ services: { id: string; name: { nl: string } }[] }>().services;
    expect(seen.find((s) => s.id === utrechtService)?.name.nl).toBe('Klussendienst');
  });

  it('each programme lists its own services only', async () => {
    const breda = (await get(ROLE_LOGINS.dispatcher, '/services')).json<{ services: { id: string }[] }>().services.map((s) => s.id);
    const utrecht = (await get(UTRECHT_ADMIN, '/services')).json<{ services: { id: string }[] }>().services.map((s) => s.id);
    expect(new Set(breda)).toEqual(new Set(Object.values(world.breda.services)));
    expect(new Set(utrecht)).toEqual(new Set(Object.values(world.utrecht.services)));
  });

  it('a quote for an Utrecht service by a Breda resident is a 404', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/quotes', headers: bearer(await ctx.login(ROLE_LOGINS.resident)),
      payload: { serviceId: must(world.utrecht.services, 'tuindienst'), workers: 1, minutes: 60 },
    });
    expectError(res, 404, 'not_found');
  });
});

describe('tariffs across programmes', () => {
  it('staff see only the tariffs of their programme', async () => {
    for (const [email, programmeId] of [[ROLE_LOGINS.dispatcher, world.breda.id], [UTRECHT_ADMIN, world.utrecht.id]] as const) {
      const res = await get(email, '/tariffs');
      expect(res.statusCode).toBe(200);
      const ids = res.json<{ tariffs: Tariff[] }>().tariffs.map((t) => t.id);
      const own = (await ctx.ownerDb.selectFrom('tariffs').select('id').where('programme_id', '=', programmeId).execute()).map((t) => t.id);
      expect(new Set(ids)).toEqual(new Set(own));
    }
  });

  it("a new Breda price does not touch Utrecht's prices or quotes", async () => {
    const validFrom = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await ctx.app.inject({
      method: 'POST', url: '/tariffs', headers: bearer(await ctx.login(ROLE_LOGINS.programme_admin)),
      payload: { category: 'resident', centsPerWorkerHour: 1700, validFrom },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = await ctx.ownerDb.selectFrom('tariffs').select('programme_id').where('id', '=', res.json<Tariff>().id).executeTakeFirstOrThrow();
    expect(row.programme_id).toBe(world.breda.id);

    const utrechtTariffs = (await get(UTRECHT_ADMIN, '/tariffs')).json<{ tariffs: Tariff[] }>().tariffs;
    expect(utrechtTariffs.some((t) => t.centsPerWorkerHour === 1700)).toBe(false);
    const quote = await ctx.app.inject({
      method: 'POST', url: '/quotes', headers: bearer(await ctx.login(UTRECHT_RESIDENT)),
      payload: { serviceId: must(world.utrecht.services, 'tuindienst'), workers: 1, minutes: 60, date: validFrom },
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json<{ centsPerWorkerHour: number }>().centsPerWorkerHour).toBe(1000);
  });
});

describe('residents and other households', () => {
  it('a resident reads their own household and no other', async () => {
    const own = await get(ROLE_LOGINS.resident, `/households/${must(world.breda.households, 'Fam. Jansen')}`);
    expect(own.statusCode).toBe(200);
    expect(own.json<Household>().name).toBe('Fam. Jansen');
    for (const other of [must(world.breda.households, 'Fam. Yilmaz'), must(world.breda.households, 'Mevr. De Vries'), must(world.utrecht.households, 'Fam. Bakker')]) {
      expectError(await get(ROLE_LOGINS.resident, `/households/${other}`), 404, 'not_found');
    }
    expectError(await get(UTRECHT_RESIDENT, `/households/${must(world.breda.households, 'Fam. Jansen')}`), 404, 'not_found');
  });

  it('a resident cannot search households', async () => {
    expectError(await get(ROLE_LOGINS.resident, '/households?q=Fam'), 403, 'forbidden');
  });

  it('a resident cannot price a job for another household', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/quotes', headers: bearer(await ctx.login(ROLE_LOGINS.resident)),
      payload: { serviceId: must(world.breda.services, 'tuindienst'), workers: 1, minutes: 60, householdId: must(world.breda.households, 'Fam. Yilmaz') },
    });
    expectError(res, 404, 'not_found');
  });
});

describe('a dispatcher acting for a resident without email', () => {
  let household: Household;
  let dispatcherId: string;

  beforeAll(async () => {
    dispatcherId = (await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', ROLE_LOGINS.dispatcher).executeTakeFirstOrThrow()).id;
    const res = await ctx.app.inject({
      method: 'POST', url: '/households', headers: bearer(await ctx.login(ROLE_LOGINS.dispatcher)),
      payload: { name: 'Mevr. Van Gils', street: 'Geerenweg', houseNumber: 17, postcode: '4825 bc', city: 'Breda', phone: '076 599 88 77', contact: { displayName: 'Truus van Gils' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    household = res.json<Household>();
  });

  it('creates the household and a resident without a login', async () => {
    expect(household).toMatchObject({ name: 'Mevr. Van Gils', postcode: '4825BC', houseNumber: 17, buurt: 'Geeren-Zuid', phone: '076 599 88 77' });
    const row = await ctx.ownerDb.selectFrom('households').select('programme_id').where('id', '=', household.id).executeTakeFirstOrThrow();
    expect(row.programme_id).toBe(world.breda.id);
    const residents = await ctx.ownerDb.selectFrom('users').select(['role', 'email', 'password_hash', 'display_name', 'created_by', 'programme_id']).where('household_id', '=', household.id).execute();
    expect(residents).toEqual([{ role: 'resident', email: null, password_hash: null, display_name: 'Truus van Gils', created_by: dispatcherId, programme_id: world.breda.id }]);
  });

  it.each([['postcode and house number', '4825BC 17'], ['postcode with a space', '4825 bc 17'], ['postcode alone', '4825BC'], ['phone', '0765998877'], ['phone as written', '076-599 88 77'], ['part of the name', 'van gils']])(
    'finds it by %s',
    async (_how, q) => {
      const res = await get(ROLE_LOGINS.dispatcher, `/households?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ households: Household[] }>().households.map((h) => h.id)).toContain(household.id);
    },
  );

  it('does not find it by another house number', async () => {
    const res = await get(ROLE_LOGINS.dispatcher, '/households?q=4825BC%2018');
    expect(res.json<{ households: Household[] }>().households.map((h) => h.id)).not.toContain(household.id);
  });

  it('prices a job on its behalf, and the audit log names the household', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/quotes', headers: bearer(await ctx.login(ROLE_LOGINS.dispatcher)),
      payload: { serviceId: must(world.breda.services, 'tuindienst'), workers: 2, minutes: 180, householdId: household.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ category: 'resident', workerMinutes: 360, totalCents: 6000 });

    const entries = await ctx.ownerDb.selectFrom('audit_log').selectAll().where('on_behalf_of_household_id', '=', household.id).execute();
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries).toContainEqual(expect.objectContaining({
      programme_id: world.breda.id, actor_user_id: dispatcherId, action: 'household.created', subject_type: 'household', subject_id: household.id,
    }));
  });

  it('Utrecht staff cannot see or act for it', async () => {
    expectError(await get(UTRECHT_ADMIN, `/households/${household.id}`), 404, 'not_found');
    expect((await get(UTRECHT_ADMIN, '/households?q=van%20gils')).json<{ households: Household[] }>().households).toEqual([]);
  });
});
