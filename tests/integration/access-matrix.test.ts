// Every route of the API × every role, generated from `app.routeTable`: nobody gets past the
// guard without a token, a role outside the route's `access` is refused, and an allowed role that
// names someone else's object (another household or organisation of its programme, or anything of
// the other programme) is told it does not exist. Routes without path parameters must answer an
// allowed role with 2xx and nothing of the other programme in the body.
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, calendarFeeds, confirmation, DEMO_PASSWORD, series, timeEntries, wallet, workers } from '@buurtservice/db';
import { amsterdamDate as today, DEFAULT_SETTINGS, isStaff, ROLES, type Role } from '@buurtservice/shared';
import { bearer, createTestContext } from '../support/context.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { sampleFromSchema, type JsonSchema } from '../support/schema-sample.js';
import {
  countRows, DEMO_EMAILS, leaksIn, loadWorld, must, programmeFingerprint, ROLE_LOGINS, UTRECHT_ADMIN, type DemoWorld,
} from '../support/world.js';

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];

interface RouteEntry { method: string; url: string; access: 'public' | readonly Role[] }
interface OpenApiParameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema; example?: unknown }
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown; examples?: Record<string, { value: unknown }> }> };
}
interface OpenApiDocument { paths: Record<string, Record<string, OpenApiOperation>> }

interface IdSlot { where: 'path' | 'query' | 'body'; name: string; required: boolean }
interface RouteSpec extends RouteEntry {
  pathParams: string[];
  query: OpenApiParameter[];
  body: { schema: JsonSchema; example: unknown } | null;
  idSlots: IdSlot[];
}

// Online checkout talks to Stripe: a local stand-in answers instead.
const stripeFake = new FakeStripe();
await stripeFake.start();
const ctx = await createTestContext({ stripeApiUrl: stripeFake.url });
afterAll(async () => {
  await ctx.close();
  await stripeFake.stop();
});

const isIdName = (name: string) => /Id$/.test(name);

function describeRoutes(): RouteSpec[] {
  const doc = ctx.app.swagger() as unknown as OpenApiDocument;
  return ctx.app.routeTable.map((route): RouteSpec => {
    const pathParams = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    const op = doc.paths[route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
    if (!op) throw new Error(`${route.method} ${route.url} is missing from the OpenAPI document`);
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    const media = op.requestBody?.content['application/json'];
    const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value ?? media?.schema.examples?.[0];
    const body = media ? { schema: media.schema, example } : null;
    const bodyProps = body?.schema.properties ?? {};
    const idSlots: IdSlot[] = [
      ...pathParams.map((name) => ({ where: 'path' as const, name, required: true })),
      ...query.filter((p) => isIdName(p.name)).map((p) => ({ where: 'query' as const, name: p.name, required: Boolean(p.required) })),
      ...Object.keys(bodyProps).filter(isIdName).map((name) => ({ where: 'body' as const, name, required: (body?.schema.required ?? []).includes(name) })),
    ];
    return { ...route, pathParams, query, body, idSlots };
  });
}

const ROUTES = describeRoutes();

let world: DemoWorld;
let utrechtFingerprint: string[];
let bredaOtherOrganisation: string;
let ownCoach: string;
const buurten = { breda: '', utrecht: '' };
let utrechtCoach: string;
let utrechtOrganisation: string;
/** A counter sale of a Breda household per staff role (each may undo its own), and one of Utrecht. */
const bredaSales: Partial<Record<Role, string>> = {};
let utrechtSale: string;
/** A message of each programme that reached no one: on its call list. */
const calls = { breda: '', utrecht: '' };
/** Invoices of Woonstichting (its member's own), of the other Breda organisation, and of Utrecht. */
let ownInvoice: string;
let bredaOtherInvoice: string;
let utrechtInvoice: string;
/** Lots (purchases) of Jansen in Breda and of Bakker in Utrecht; online payments of several owners. */
let bredaLot: string;
let utrechtLot: string;
const payments: Record<'jansen' | 'yilmaz' | 'woonstichting' | 'bakker', string> = { jansen: '', yilmaz: '', woonstichting: '', bakker: '' };
/** Bookings: one per role to see, reschedule and cancel (the worker's is assigned to the demo worker), and others'. */
const ownBookings: Partial<Record<Role, string>> = {};
/** Routes that need the role's own object in a certain state, by route and id name (confirmation: a job that is done, or disputed to resolve). */
const ownForRoute: Record<string, Record<string, Partial<Record<Role, string>>>> = {};
const otherBookings = { yilmaz: '', utrecht: '' };
/** Recurring series (and their first occurrence): one per customer role and staff role, Yilmaz's, and one of Utrecht. */
const ownSeries: Partial<Record<Role, { id: string; first: string }>> = {};
const otherSeries = { yilmaz: { id: '', first: '' }, utrecht: { id: '', first: '' } };
/** A fresh worker per staff role (each changes its own), one in Utrecht; an absence of each. */
const ownWorkers: Partial<Record<Role, string>> = {};
const ownAbsences: Partial<Record<Role, string>> = {};
const utrechtWorker = { id: '', absence: '' };
/** Certificates of each staff role's worker and of the Utrecht worker; the secret of a worker's calendar feed. */
const ownCertificates: Partial<Record<Role, string>> = {};
let utrechtCertificate: string;
let feedToken: string;
/** Logged hours: per role a job with a worker on it (the demo worker's own job; for staff a worker of their own). */
const hoursJobs: Partial<Record<Role, { bookingId: string; workerId: string }>> = {};
let utrechtCheckIn: string;
/** Locations: Woonstichting's Flat Wisselaan, one of the other Breda organisation, one of Utrecht. */
const locations = { own: '', bredaOther: '', utrecht: '' };
// The same secret as the example body of PUT /programme/payment-settings, which the matrix sends as admin.
const WEBHOOK_SECRET = 'whsec_example0123456789';

interface KnownId {
  /** The id of an object that belongs to (or may be used by) this role, if any. */
  own(role: Role): string | undefined;
  /** For an optional id: the one this role sends on its own requests (e.g. the location an organisation books at). */
  send?(role: Role): string | undefined;
  /** Objects that are not this role's: every one must be refused with 404 (or 403). */
  foreign(role: Role): { label: string; id: string }[];
}

/**
 * Every path parameter and `…Id` field the API has, with whose objects they are. A route with a
 * name missing here fails the matrix: add the name with its own and foreign objects.
 */
function knownIds(): Record<string, KnownId> {
  const jansen = must(world.breda.households, 'Fam. Jansen');
  const yilmaz = must(world.breda.households, 'Fam. Yilmaz');
  const bakker = must(world.utrecht.households, 'Fam. Bakker');
  const woonstichting = must(world.breda.organisations, 'Woonstichting Noordoost');
  const missing = randomUUID();
  return {
    householdId: {
      own: (role) => (role === 'resident' || isStaff(role) ? jansen : undefined),
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: 'another household of Breda', id: yilmaz }]),
        { label: 'a household of Utrecht', id: bakker },
        { label: 'a household that does not exist', id: missing },
      ],
    },
    organisationId: {
      own: (role) => (role === 'organisation_member' || isStaff(role) ? woonstichting : undefined),
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: 'another organisation of Breda', id: bredaOtherOrganisation }]),
        { label: 'an organisation of Utrecht', id: utrechtOrganisation },
        { label: 'an organisation that does not exist', id: missing },
      ],
    },
    invoiceId: {
      own: (role) => (role === 'organisation_member' || isStaff(role) ? ownInvoice : undefined),
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: 'an invoice of another Breda organisation', id: bredaOtherInvoice }]),
        { label: 'an invoice of Utrecht', id: utrechtInvoice },
        { label: 'an invoice that does not exist', id: missing },
      ],
    },
    saleId: {
      own: (role) => bredaSales[role],
      foreign: () => [
        { label: 'a counter sale of Utrecht', id: utrechtSale },
        { label: 'a counter sale that does not exist', id: missing },
      ],
    },
    lotId: {
      // only admins refund; a lot is a purchase of some household of the programme
      own: (role) => (role === 'programme_admin' ? bredaLot : undefined),
      foreign: () => [
        { label: 'a lot of Utrecht', id: utrechtLot },
        { label: 'a lot that does not exist', id: missing },
      ],
    },
    paymentId: {
      own: (role) => (role === 'organisation_member' ? payments.woonstichting : role === 'resident' || isStaff(role) ? payments.jansen : undefined),
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: 'a payment of another Breda household', id: payments.yilmaz }]),
        ...(role === 'resident' ? [{ label: 'a payment of an organisation', id: payments.woonstichting }] : []),
        { label: 'a payment of Utrecht', id: payments.bakker },
        { label: 'a payment that does not exist', id: missing },
      ],
    },
    programmeId: {
      // only the public Stripe webhook names a programme
      own: () => world.breda.id,
      foreign: () => [{ label: 'the other programme', id: world.utrecht.id }],
    },
    bookingId: {
      own: (role) => ownBookings[role],
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: role === 'resident' ? 'a booking of another Breda household' : 'a booking of a Breda household', id: role === 'resident' ? otherBookings.yilmaz : ownBookings.resident! }]),
        { label: 'a booking of Utrecht', id: otherBookings.utrecht },
        { label: 'a booking that does not exist', id: missing },
      ],
    },
    workerId: {
      own: (role) => ownWorkers[role],
      foreign: () => [{ label: 'a worker of Utrecht', id: utrechtWorker.id }, { label: 'a worker that does not exist', id: missing }],
    },
    certificateId: {
      own: (role) => ownCertificates[role],
      foreign: () => [{ label: 'a certificate of a worker of Utrecht', id: utrechtCertificate }, { label: 'a certificate that does not exist', id: missing }],
    },
    token: {
      // only the public calendar feed has it: the secret of a live feed
      own: () => feedToken,
      foreign: () => [],
    },
    absenceId: {
      own: (role) => ownAbsences[role],
      foreign: () => [{ label: 'an absence of a worker of Utrecht', id: utrechtWorker.absence }, { label: 'an absence that does not exist', id: missing }],
    },
    locationId: {
      own: (role) => (role === 'organisation_member' || isStaff(role) ? locations.own : undefined),
      send: (role) => (role === 'organisation_member' ? locations.own : undefined),
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: role === 'resident' ? 'a location of an organisation' : 'a location of another Breda organisation', id: role === 'resident' ? locations.own : locations.bredaOther }]),
        { label: 'a location of Utrecht', id: locations.utrecht },
        { label: 'a location that does not exist', id: missing },
      ],
    },
    homeBuurtId: {
      own: () => buurten.breda,
      foreign: () => [{ label: 'a buurt of Utrecht', id: buurten.utrecht }, { label: 'a buurt that does not exist', id: missing }],
    },
    coachId: {
      own: () => ownCoach,
      foreign: () => [{ label: 'the admin of Utrecht', id: utrechtCoach }, { label: 'a user that does not exist', id: missing }],
    },
    seriesId: {
      own: (role) => ownSeries[role]?.id,
      foreign: (role) => [
        ...(isStaff(role) ? [] : [{ label: role === 'resident' ? 'a series of another Breda household' : 'a series of a Breda household', id: role === 'resident' ? otherSeries.yilmaz.id : ownSeries.resident!.id }]),
        { label: 'a series of Utrecht', id: otherSeries.utrecht.id },
        { label: 'a series that does not exist', id: missing },
      ],
    },
    fromBookingId: {
      // an occurrence of the caller's own series; anything else is not one of its occurrences
      own: (role) => ownSeries[role]?.first,
      foreign: () => [
        { label: 'an occurrence of another Breda series', id: otherSeries.yilmaz.first },
        { label: 'a booking of Utrecht', id: otherBookings.utrecht },
        { label: 'a booking that does not exist', id: missing },
      ],
    },
    checkInId: {
      // optional: the own entry is logged without one
      own: () => undefined,
      foreign: () => [{ label: 'a check-in of Utrecht', id: utrechtCheckIn }, { label: 'a check-in that does not exist', id: missing }],
    },
    messageId: {
      // a message on the call list: staff of its programme tick it off
      own: (role) => (isStaff(role) ? calls.breda : undefined),
      foreign: () => [{ label: 'a message of Utrecht', id: calls.utrecht }, { label: 'a message that does not exist', id: missing }],
    },
    serviceId: {
      // tuindienst takes 1–4 workers: the quote examples (2 workers) fit it.
      own: () => must(world.breda.services, 'tuindienst'),
      foreign: () => [
        { label: 'a service of Utrecht', id: must(world.utrecht.services, 'tuindienst') },
        { label: 'a service that does not exist', id: missing },
      ],
    },
  };
}

/** Which optional `…Id` field names the customer a role acts for (at most one is sent). */
const CUSTOMER_FIELD: Record<Role, string | null> = {
  resident: 'householdId',
  organisation_member: 'organisationId',
  dispatcher: 'householdId',
  programme_admin: 'householdId',
  worker: null,
};

/** Values for required query parameters that make a search meaningful ('Fam' matches households of both programmes). */
const QUERY_VALUES: Record<string, string> = { q: 'Fam', postcode: '4823 AB' };

/** Public routes whose valid body cannot come from the schema: real credentials and live refresh tokens. */
const PUBLIC_BODIES: Record<string, () => Promise<unknown>> = {
  'POST /webhooks/stripe/:programmeId': async () => ({ id: `evt_${randomUUID()}`, object: 'event', type: 'payment_intent.created', created: Math.floor(Date.now() / 1000), data: { object: {} } }),
  'POST /auth/login': async () => ({ email: ROLE_LOGINS.resident, password: DEMO_PASSWORD }),
  'POST /auth/refresh': freshRefreshToken,
  'POST /auth/logout': freshRefreshToken,
};

async function freshRefreshToken() {
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ROLE_LOGINS.resident, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return { refreshToken: res.json<{ refreshToken: string }>().refreshToken };
}

const slotKey = (s: IdSlot) => `${s.where}:${s.name}`;

/**
 * The request of `role` on `route`; `foreign` puts someone else's id in one slot. Required ids
 * are the role's own; optional ids name a customer, so only one is sent: the one under test, or
 * else the role's own customer. Returns null when the role has no own object for a required slot.
 */
async function buildRequest(route: RouteSpec, caller: Caller, foreign?: { slot: IdSlot; id: string }): Promise<InjectOptions | null> {
  const ids = knownIds();
  const role = caller === 'anonymous' ? null : caller;
  const idFor = (slot: IdSlot): string | undefined | null => {
    if (foreign && slotKey(foreign.slot) === slotKey(slot)) return foreign.id;
    const known = ids[slot.name];
    if (!known) throw new Error(`${route.method} ${route.url}: the access matrix does not know the id '${slot.name}' (${slot.where}); add it to knownIds()`);
    if (!role) return slot.required ? (route.access === 'public' ? known.own('resident') : randomUUID()) : undefined;
    if (slot.required) return ownForRoute[label(route)]?.[slot.name]?.[role] ?? known.own(role) ?? null;
    if (known.send) return known.send(role);
    if (foreign && !foreign.slot.required) return undefined;
    return CUSTOMER_FIELD[role] === slot.name ? known.own(role) : undefined;
  };

  let url = route.url;
  for (const slot of route.idSlots.filter((s) => s.where === 'path')) {
    const id = idFor(slot);
    if (!id) return null;
    url = url.replace(`:${slot.name}`, id);
  }
  const query: Record<string, string> = {};
  for (const p of route.query) {
    if (isIdName(p.name)) {
      const id = idFor({ where: 'query', name: p.name, required: Boolean(p.required) });
      if (id === null) return null;
      if (id) query[p.name] = id;
    } else if (p.required) {
      query[p.name] = String(QUERY_VALUES[p.name] ?? p.example ?? sampleFromSchema(p.schema));
    }
  }
  const options: InjectOptions = { method: route.method, url, query, headers: {} };
  const fixture = PUBLIC_BODIES[`${route.method} ${route.url}`];
  if (fixture) {
    options.payload = (await fixture()) as object;
    if (route.url.startsWith('/webhooks/stripe/')) {
      // Stripe signs the exact bytes it sends.
      options.payload = JSON.stringify(options.payload);
      options.headers = { 'content-type': 'application/json', 'stripe-signature': new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: options.payload, secret: WEBHOOK_SECRET }) };
    }
  } else if (route.body) {
    const base = structuredClone(route.body.example ?? sampleFromSchema(route.body.schema)) as Record<string, unknown>;
    // An organisation books at one of its locations, not at home.
    if (role === 'organisation_member' && base.place === 'home') base.place = 'organisation_location';
    for (const slot of route.idSlots.filter((s) => s.where === 'body')) {
      delete base[slot.name];
      const id = idFor(slot);
      if (id === null) return null;
      if (id) base[slot.name] = id;
    }
    if (role && HOURS_ROUTES.includes(label(route))) Object.assign(base, hoursFields(role, foreign?.slot.name));
    options.payload = base;
  }
  if (role) options.headers = { ...options.headers, ...bearer(await ctx.login(ROLE_LOGINS[role])) };
  return options;
}

const label = (r: RouteEntry) => `${r.method} ${r.url}`;

/** Check-ins and entries: a new id (made on the phone) per request, on the role's hours job; staff name the job's worker. */
const HOURS_ROUTES = ['POST /check-ins', 'POST /time-entries'];
function hoursFields(role: Role, foreignSlot: string | undefined): Record<string, string> {
  const job = hoursJobs[role];
  const fields: Record<string, string> = { id: randomUUID() };
  if (job && foreignSlot !== 'bookingId') fields.bookingId = job.bookingId;
  if (job && isStaff(role) && foreignSlot !== 'workerId') fields.workerId = job.workerId;
  return fields;
}
const allows = (route: RouteEntry, role: Role) => route.access === 'public' || route.access.includes(role);
const describeResponse = (res: { statusCode: number; body: string }) => `${res.statusCode} ${res.body.slice(0, 300)}`;

beforeAll(async () => {
  world = await loadWorld(ctx.ownerDb);
  // A second organisation in Breda and one in Utrecht, made the way admins make them.
  const make = async (adminEmail: string, body: object) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/organisations', headers: bearer(await ctx.login(adminEmail)), payload: body });
    expect(res.statusCode, describeResponse(res)).toBe(201);
    return res.json<{ id: string }>().id;
  };
  bredaOtherOrganisation = await make(ROLE_LOGINS.programme_admin, {
    name: 'Basisschool De Regenboog', kvkNumber: '30111222', billingAddress: { street: 'Haagweg', houseNumber: 9, postcode: '4822 AB', city: 'Breda' },
  });
  utrechtOrganisation = await make(UTRECHT_ADMIN, {
    name: 'Buurthuis De Dreef', kvkNumber: '30999888', email: 'info@dedreef.example.nl',
    billingAddress: { street: 'Zamenhofdreef', houseNumber: 30, postcode: '3562 JW', city: 'Utrecht' },
  });
  await ctx.app.inject({
    method: 'POST', url: `/organisations/${utrechtOrganisation}/locations`, headers: bearer(await ctx.login(UTRECHT_ADMIN)),
    payload: { name: 'Buurthuis De Dreef, zaal', street: 'Zamenhofdreef', houseNumber: 32, postcode: '3562 JW', city: 'Utrecht' },
  });
  // Counter sales: on Yilmaz's household for the sale routes (undoing them leaves Jansen's wallet
  // alone), and cheques in Jansen's wallet for the redemption routes.
  const sell = async (email: string, householdId: string) => {
    const res = await ctx.app.inject({
      method: 'POST', url: `/households/${householdId}/counter-sales`, headers: bearer(await ctx.login(email)), payload: { cheques: 5, paymentMethod: 'pin' },
    });
    expect(res.statusCode, describeResponse(res)).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const yilmaz = must(world.breda.households, 'Fam. Yilmaz');
  bredaSales.dispatcher = await sell(ROLE_LOGINS.dispatcher, yilmaz);
  bredaSales.programme_admin = await sell(ROLE_LOGINS.programme_admin, yilmaz);
  await sell(ROLE_LOGINS.dispatcher, must(world.breda.households, 'Fam. Jansen'));
  utrechtSale = await sell(UTRECHT_ADMIN, must(world.utrecht.households, 'Fam. Bakker'));
  const givenUp = async (programmeId: string, householdId: string) => (await ctx.db.insertInto('outbox')
    .values({ programme_id: programmeId, household_id: householdId, kind: 'city_pass_expiring', dedupe_key: `matrix:${randomUUID()}`, payload: JSON.stringify({ expiresOn: '2027-07-01' }), given_up_at: new Date(), last_error: 'no recipient with an e-mail address' })
    .returning('id').executeTakeFirstOrThrow()).id;
  calls.breda = await givenUp(world.breda.id, yilmaz);
  calls.utrecht = await givenUp(world.utrecht.id, must(world.utrecht.households, 'Fam. Bakker'));
  // City passes: Jansen enters one (not verified, so her tariff stays), Bakker's is verified in Utrecht.
  const enterPass = async (email: string, householdId: string, passNumber: string, verify: boolean) => {
    const res = await ctx.app.inject({
      method: 'PUT', url: `/households/${householdId}/city-pass`, headers: bearer(await ctx.login(email)),
      payload: { passNumber, expiresOn: `${Number(today().slice(0, 4)) + 1}-12-31`, ...(verify ? { verify } : {}) },
    });
    expect(res.statusCode, describeResponse(res)).toBe(200);
  };
  await enterPass(ROLE_LOGINS.resident, must(world.breda.households, 'Fam. Jansen'), 'BP-2026-777001', false);
  await enterPass(UTRECHT_ADMIN, must(world.utrecht.households, 'Fam. Bakker'), 'UP-2026-555123', true);

  // Bulk orders make invoices.
  const order = async (email: string, organisationId: string) => {
    const res = await ctx.app.inject({ method: 'POST', url: `/organisations/${organisationId}/orders`, headers: bearer(await ctx.login(email)), payload: { cheques: 20 } });
    expect(res.statusCode, describeResponse(res)).toBe(201);
    return res.json<{ id: string }>().id;
  };
  ownInvoice = await order(ROLE_LOGINS.organisation_member, must(world.breda.organisations, 'Woonstichting Noordoost'));
  bredaOtherInvoice = await order(ROLE_LOGINS.programme_admin, bredaOtherOrganisation);
  utrechtInvoice = await order(UTRECHT_ADMIN, utrechtOrganisation);

  // Lots and online payments (made in the database: online checkout needs Stripe, tested elsewhere).
  const lotOf = async (householdId: string) => (await ctx.ownerDb.selectFrom('cheque_lots as l').innerJoin('ledger_accounts as a', 'a.id', 'l.wallet_account_id')
    .select('l.id').where('a.household_id', '=', householdId).orderBy('l.purchased_at').executeTakeFirstOrThrow()).id;
  bredaLot = await lotOf(must(world.breda.households, 'Fam. Jansen'));
  utrechtLot = await lotOf(must(world.utrecht.households, 'Fam. Bakker'));
  const pay = async (programmeId: string, owner: { household_id?: string; organisation_id?: string }, email: string) => {
    const user = await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return (await ctx.ownerDb.insertInto('online_payments').values({
      programme_id: programmeId, ...owner, cheques: 1, category: 'resident', cents_per_hour: 1000, amount_cents: 1000, created_by: user.id,
    }).returning('id').executeTakeFirstOrThrow()).id;
  };
  payments.jansen = await pay(world.breda.id, { household_id: must(world.breda.households, 'Fam. Jansen') }, ROLE_LOGINS.resident);
  payments.yilmaz = await pay(world.breda.id, { household_id: must(world.breda.households, 'Fam. Yilmaz') }, ROLE_LOGINS.dispatcher);
  payments.woonstichting = await pay(world.breda.id, { organisation_id: must(world.breda.organisations, 'Woonstichting Noordoost') }, ROLE_LOGINS.organisation_member);
  payments.bakker = await pay(world.utrecht.id, { household_id: must(world.utrecht.households, 'Fam. Bakker') }, UTRECHT_ADMIN);
  await ctx.ownerDb.insertInto('payment_providers').values({ programme_id: world.breda.id, stripe_secret_key: 'sk_test_example0123456789', stripe_webhook_secret: WEBHOOK_SECRET }).execute();

  // Bookings, workers and locations (issue 4).
  const buurtOf = async (programmeId: string) => (await ctx.ownerDb.selectFrom('buurten').select('id').where('programme_id', '=', programmeId).orderBy('name').executeTakeFirstOrThrow()).id;
  buurten.breda = await buurtOf(world.breda.id);
  buurten.utrecht = await buurtOf(world.utrecht.id);
  const userId = async (email: string) => (await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  ownCoach = await userId(ROLE_LOGINS.dispatcher);
  utrechtCoach = await userId(UTRECHT_ADMIN);
  const jansen = must(world.breda.households, 'Fam. Jansen');
  const woonstichting = must(world.breda.organisations, 'Woonstichting Noordoost');
  const bakker = must(world.utrecht.households, 'Fam. Bakker');
  const locationOf = async (organisationId: string) => (await ctx.ownerDb.selectFrom('organisation_locations').select('id').where('organisation_id', '=', organisationId).orderBy('name').executeTakeFirstOrThrow()).id;
  locations.own = await locationOf(woonstichting);
  locations.utrecht = await locationOf(utrechtOrganisation);
  locations.bredaOther = (await ctx.ownerDb.insertInto('organisation_locations').values({
    programme_id: world.breda.id, organisation_id: bredaOtherOrganisation, name: 'Regenboog, lokaal 3', street: 'Haagweg', house_number: 9, postcode: '4822AB', city: 'Breda',
  }).returning('id').executeTakeFirstOrThrow()).id;
  // Cheques for the bookings' holds, expiring first so the holds take them (and leave the lots and
  // sales above, which other routes undo or refund, untouched).
  for (const [programmeId, owner] of [[world.breda.id, { householdId: jansen }], [world.breda.id, { householdId: yilmaz }], [world.breda.id, { organisationId: woonstichting }], [world.utrecht.id, { householdId: bakker }]] as const) {
    await ctx.ownerDb.transaction().execute((tx) => wallet.buyCheques(tx, {
      programmeId, owner, cheques: 50, source: 'counter', category: 'resident', centsPerHour: 1000, expiresAt: new Date(Date.now() + 2 * 86_400_000),
      reference: `matrix-${randomUUID()}`, idempotencyKey: `matrix-${randomUUID()}`,
    }));
  }
  const bookAt = async (programmeId: string, customer: bookings.Customer, startsAt: string, createdBy: string) => {
    const place: bookings.BookingPlace = customer.organisationId ? { kind: 'organisation_location', locationId: locations.own } : { kind: 'home' };
    const serviceId = must(programmeId === world.breda.id ? world.breda.services : world.utrecht.services, 'tuindienst');
    return (await ctx.ownerDb.transaction().execute((tx) => bookings.createBooking(tx, {
      programmeId, customer, serviceId, place, timing: { startsAt: new Date(startsAt) }, durationMinutes: 60, workersNeeded: 1,
      tariff: { category: customer.organisationId ? 'organisation' : 'resident', centsPerWorkerHour: 1000 }, createdBy, onBehalf: false,
    }))).booking.id;
  };
  const resident = await userId(ROLE_LOGINS.resident);
  ownBookings.resident = await bookAt(world.breda.id, { householdId: jansen }, '2030-05-06T09:00:00+02:00', resident);
  ownBookings.organisation_member = await bookAt(world.breda.id, { organisationId: woonstichting }, '2030-05-06T09:00:00+02:00', await userId(ROLE_LOGINS.organisation_member));
  ownBookings.dispatcher = await bookAt(world.breda.id, { householdId: jansen }, '2030-05-07T09:00:00+02:00', ownCoach);
  ownBookings.programme_admin = await bookAt(world.breda.id, { householdId: jansen }, '2030-05-08T09:00:00+02:00', ownCoach);
  ownBookings.worker = await bookAt(world.breda.id, { householdId: jansen }, '2030-05-09T09:00:00+02:00', ownCoach);
  const sanne = await userId(ROLE_LOGINS.worker);
  await ctx.ownerDb.transaction().execute((tx) => bookings.assignWorker(tx, { programmeId: world.breda.id, bookingId: ownBookings.worker!, workerId: sanne, actorUserId: ownCoach }));
  otherBookings.yilmaz = await bookAt(world.breda.id, { householdId: yilmaz }, '2030-05-06T11:00:00+02:00', ownCoach);
  otherBookings.utrecht = await bookAt(world.utrecht.id, { householdId: bakker }, '2030-05-06T09:00:00+02:00', utrechtCoach);
  const seriesAt = async (programmeId: string, customer: bookings.Customer, startsAt: string, createdBy: string) => {
    const place: bookings.BookingPlace = customer.organisationId ? { kind: 'organisation_location', locationId: locations.own } : { kind: 'home' };
    const serviceId = must(programmeId === world.breda.id ? world.breda.services : world.utrecht.services, 'tuindienst');
    const made = await ctx.ownerDb.transaction().execute((tx) => series.createSeries(tx, {
      programmeId, customer, serviceId, place, startsAt: new Date(startsAt), frequency: 'weekly', durationMinutes: 60, workersNeeded: 1,
      tariff: { category: customer.organisationId ? 'organisation' : 'resident', centsPerWorkerHour: 1000 }, createdBy, onBehalf: false,
    }));
    return { id: made.series.id, first: made.occurrences[0]!.booking.id };
  };
  ownSeries.resident = await seriesAt(world.breda.id, { householdId: jansen }, '2030-06-03T10:00:00+02:00', resident);
  ownSeries.organisation_member = await seriesAt(world.breda.id, { organisationId: woonstichting }, '2030-06-03T10:00:00+02:00', await userId(ROLE_LOGINS.organisation_member));
  ownSeries.dispatcher = await seriesAt(world.breda.id, { householdId: jansen }, '2030-06-04T10:00:00+02:00', ownCoach);
  ownSeries.programme_admin = await seriesAt(world.breda.id, { householdId: jansen }, '2030-06-05T10:00:00+02:00', ownCoach);
  otherSeries.yilmaz = await seriesAt(world.breda.id, { householdId: yilmaz }, '2030-06-03T13:00:00+02:00', ownCoach);
  otherSeries.utrecht = await seriesAt(world.utrecht.id, { householdId: bakker }, '2030-06-03T10:00:00+02:00', utrechtCoach);

  const newWorker = async (programmeId: string, name: string, coachId: string | null = null) => {
    const user = await ctx.ownerDb.insertInto('users').values({ programme_id: programmeId, role: 'worker', display_name: name }).returning('id').executeTakeFirstOrThrow();
    await workers.createWorker(ctx.ownerDb, { programmeId, userId: user.id, contract: 'paid', startedOn: '2026-01-01', coachId });
    // the garden skill: the dispatch routes assign this worker to the staff's own (garden) booking
    await ctx.ownerDb.transaction().execute((tx) => workers.setSkills(tx, programmeId, user.id, [{ skill: 'tuin', level: 'lead' }]));
    const absence = await workers.addAbsence(ctx.ownerDb, { programmeId, workerId: user.id, kind: 'leave', startsAt: new Date('2031-01-05T00:00:00+01:00'), endsAt: new Date('2031-01-06T00:00:00+01:00') });
    return { id: user.id, absence: absence.id };
  };
  const certificateOf = async (programmeId: string, workerId: string) => (await ctx.ownerDb.insertInto('worker_certificates')
    .values({ programme_id: programmeId, worker_id: workerId, name: 'EHBO', issued_on: '2026-03-01', issuer: 'Rode Kruis' }).returning('id').executeTakeFirstOrThrow()).id;
  for (const role of ['dispatcher', 'programme_admin'] as const) {
    // coached by the dispatcher: only the coach (and admins) see and change a worker's experience
    const w = await newWorker(world.breda.id, `Werker van ${role}`, ownCoach);
    ownWorkers[role] = w.id;
    ownAbsences[role] = w.absence;
    ownCertificates[role] = await certificateOf(world.breda.id, w.id);
  }
  // the demo worker's own record and calendar feed
  ownWorkers.worker = sanne;
  Object.assign(utrechtWorker, await newWorker(world.utrecht.id, 'Werker Utrecht'));
  utrechtCertificate = await certificateOf(world.utrecht.id, utrechtWorker.id);
  // a worker nobody else touches, so the feed stays live while other routes make and revoke feeds
  feedToken = (await calendarFeeds.createFeed(ctx.ownerDb, { programmeId: world.breda.id, workerId: (await newWorker(world.breda.id, 'Werker met agenda')).id })).token;
  hoursJobs.worker = { bookingId: ownBookings.worker, workerId: sanne };
  for (const role of ['dispatcher', 'programme_admin'] as const) {
    const w = await newWorker(world.breda.id, `Werker uren van ${role}`);
    const bookingId = await bookAt(world.breda.id, { householdId: jansen }, '2030-05-10T09:00:00+02:00', ownCoach);
    await ctx.ownerDb.transaction().execute((tx) => bookings.assignWorker(tx, { programmeId: world.breda.id, bookingId, workerId: w.id, actorUserId: ownCoach }));
    hoursJobs[role] = { bookingId, workerId: w.id };
  }
  utrechtCheckIn = (await ctx.ownerDb.insertInto('time_check_ins').values({
    id: randomUUID(), programme_id: world.utrecht.id, booking_id: otherBookings.utrecht, worker_id: utrechtWorker.id, started_at: new Date('2030-05-06T09:00:00+02:00'),
  }).returning('id').executeTakeFirstOrThrow()).id;

  // Confirmation (issue 5): per role a job worked and done, to confirm and to dispute; for staff a disputed one to resolve.
  const hoursWorker = (await newWorker(world.breda.id, 'Werker bevestiging')).id;
  let jobs = 0;
  const doneJob = async (customer: bookings.Customer) => {
    const startsAt = new Date(`2030-07-${String(++jobs).padStart(2, '0')}T09:00:00+02:00`);
    const bookingId = await bookAt(world.breda.id, customer, startsAt.toISOString(), ownCoach);
    await ctx.ownerDb.transaction().execute(async (tx) => {
      await bookings.assignWorker(tx, { programmeId: world.breda.id, bookingId, workerId: hoursWorker, actorUserId: ownCoach });
      await timeEntries.recordEntry(tx, {
        programmeId: world.breda.id, id: randomUUID(), bookingId, workerId: hoursWorker, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000),
        breakMinutes: 0, source: 'entered_after', settings: DEFAULT_SETTINGS,
      });
      for (const action of ['check_in', 'finish'] as const) await bookings.transitionBooking(tx, { programmeId: world.breda.id, bookingId, action, actorUserId: hoursWorker });
    });
    return bookingId;
  };
  for (const action of ['confirm-hours', 'dispute-hours', 'resolve-hours'] as const) {
    const byRole: Partial<Record<Role, string>> = {};
    for (const role of action === 'resolve-hours' ? (['dispatcher', 'programme_admin'] as const) : (['resident', 'organisation_member', 'dispatcher', 'programme_admin'] as const)) {
      const bookingId = await doneJob(role === 'organisation_member' ? { organisationId: woonstichting } : { householdId: jansen });
      if (action === 'resolve-hours') {
        await ctx.ownerDb.transaction().execute((tx) => confirmation.disputeHours(tx, { programmeId: world.breda.id, bookingId, by: { userId: resident, staff: false }, reason: 'Klopt niet' }));
      }
      byRole[role] = bookingId;
    }
    ownForRoute[`POST /bookings/:bookingId/${action}`] = { bookingId: byRole };
  }

  utrechtFingerprint = await programmeFingerprint(ctx.ownerDb, world.utrecht.id);
});

describe('the route table', () => {
  it('lists the routes with who may call them, and every role it names exists', () => {
    expect(ROUTES.length).toBeGreaterThan(10);
    for (const route of ROUTES) {
      if (route.access === 'public') continue;
      expect(route.access.length, label(route)).toBeGreaterThan(0);
      for (const role of route.access) expect(ROLES, label(route)).toContain(role);
    }
  });

  it('has no route with an id the matrix cannot fill', () => {
    const known = Object.keys(knownIds());
    const unknown = ROUTES.flatMap((r) => r.idSlots.filter((s) => !known.includes(s.name)).map((s) => `${label(r)} ${s.where}:${s.name}`));
    expect(unknown).toEqual([]);
    const unknownParams = ROUTES.flatMap((r) => r.pathParams.filter((p) => !known.includes(p)).map((p) => `${label(r)} :${p}`));
    expect(unknownParams).toEqual([]);
  });

  it('plays every role with a demo user of that role', async () => {
    for (const role of ROLES) {
      expect(DEMO_EMAILS).toContain(ROLE_LOGINS[role]);
      const user = await ctx.ownerDb.selectFrom('users').select(['role', 'programme_id']).where('email', '=', ROLE_LOGINS[role]).executeTakeFirstOrThrow();
      expect(user).toEqual({ role, programme_id: world.breda.id });
    }
  });

  it('has a fingerprint of Utrecht that the scan finds in an Utrecht answer', async () => {
    expect(utrechtFingerprint).toEqual(expect.arrayContaining(['Utrecht Overvecht', 'Fam. Bakker', 'UP-2026-555123', utrechtOrganisation, utrechtSale, must(world.utrecht.services, 'tuindienst')]));
    const res = await ctx.app.inject({ method: 'GET', url: '/households?q=Fam', headers: bearer(await ctx.login(UTRECHT_ADMIN)) });
    expect(res.statusCode).toBe(200);
    expect(leaksIn(res.body, utrechtFingerprint)).toContain('Fam. Bakker');
  });
});

describe.each(ROUTES.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it.each(CALLERS)('as %s', async (caller) => {
    if (route.access === 'public') {
      // Everyone may call it: a token, if any, changes nothing.
      const req = await buildRequest(route, caller);
      if (!req) throw new Error('could not build a request');
      const res = await ctx.app.inject(req);
      expect(res.statusCode, describeResponse(res)).toBeGreaterThanOrEqual(200);
      expect(res.statusCode, describeResponse(res)).toBeLessThan(300);
      expect(leaksIn(res.body, utrechtFingerprint)).toEqual([]);
      return;
    }

    if (caller === 'anonymous') {
      const req = await buildRequest(route, caller);
      if (!req) throw new Error('could not build a request');
      const res = await ctx.app.inject(req);
      expect(res.statusCode, describeResponse(res)).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('unauthenticated');
      return;
    }

    if (!allows(route, caller)) {
      const res = await ctx.app.inject((await buildRequest(route, caller)) ?? { method: route.method, url: route.url.replace(/:[A-Za-z0-9_]+/g, randomUUID()), headers: bearer(await ctx.login(ROLE_LOGINS[caller])) });
      expect(res.statusCode, describeResponse(res)).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('forbidden');
      return;
    }

    // Allowed role, someone else's object in each id slot in turn: it does not exist for this caller.
    const ids = knownIds();
    let tried = 0;
    for (const slot of route.idSlots) {
      const known = ids[slot.name];
      if (!known) throw new Error(`${label(route)}: the access matrix does not know the id '${slot.name}'; add it to knownIds()`);
      for (const foreign of known.foreign(caller)) {
        const req = await buildRequest(route, caller, { slot, id: foreign.id });
        if (!req) throw new Error(`${label(route)}: ${caller} has no own object for the other ids`);
        const before = await countRows(ctx.ownerDb, 'users', 'households', 'organisations', 'organisation_locations', 'tariffs', 'audit_log');
        const res = await ctx.app.inject(req);
        const what = `${slot.where}:${slot.name} = ${foreign.label} → ${describeResponse(res)}`;
        expect([403, 404], what).toContain(res.statusCode);
        // `not_found`, or a more precise "… does not exist" (service_not_found, location_not_found, buurt_not_found).
        expect(res.json<{ code: string }>().code, what).toMatch(/^(forbidden|not_found|[a-z_]+_not_found|time_entry_not_assigned)$/);
        expect(await countRows(ctx.ownerDb, 'users', 'households', 'organisations', 'organisation_locations', 'tariffs', 'audit_log'), what).toEqual(before);
        tried++;
      }
    }
    if (route.pathParams.length > 0) {
      expect(tried).toBeGreaterThan(0);
      return;
    }

    // No path parameters: the role's own request succeeds and shows nothing of Utrecht.
    const req = await buildRequest(route, caller);
    if (!req) throw new Error(`${label(route)}: ${caller} has no own object for a required id`);
    const res = await ctx.app.inject(req);
    expect(res.statusCode, describeResponse(res)).toBeGreaterThanOrEqual(200);
    expect(res.statusCode, describeResponse(res)).toBeLessThan(300);
    expect(leaksIn(res.body, utrechtFingerprint)).toEqual([]);
  });
});

// Last, because some of these change data (a service made inactive, a location added): with their
// own object, the allowed roles get 2xx, so the 404s above are about ownership, not a broken route.
describe('routes with path parameters, with the caller\'s own object', () => {
  const withParams = ROUTES.filter((r) => r.pathParams.length > 0 && r.access !== 'public');
  // Cancelling ends a booking: those go last, so the routes that plan the same booking find it open.
  const cases = withParams.flatMap((r) => ROLES.filter((role) => allows(r, role)).map((role) => [label(r), role, r] as const))
    .sort((x, y) => Number(x[2].url.endsWith('/cancel')) - Number(y[2].url.endsWith('/cancel')));
  it('exist', () => { expect(cases.length).toBeGreaterThan(0); });
  it.each(cases)('%s as %s → 2xx', async (_name, role, route) => {
    const req = await buildRequest(route, role);
    if (!req) throw new Error(`${label(route)}: ${role} is allowed but has no own object; add one to knownIds()`);
    const res = await ctx.app.inject(req);
    expect(res.statusCode, describeResponse(res)).toBeGreaterThanOrEqual(200);
    expect(res.statusCode, describeResponse(res)).toBeLessThan(300);
    expect(leaksIn(res.body, utrechtFingerprint)).toEqual([]);
  });
});
