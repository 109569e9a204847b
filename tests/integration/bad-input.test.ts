// Whatever a client sends, the answer is a 4xx with `{ code, message }` in the caller's language
// (never a 5xx), and a refused write leaves no row behind.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@buurtservice/db';
import { ERRORS, type ErrorCode } from '@buurtservice/shared';
import { bearer, createTestContext, TEST_JWT_SECRET, type TestContext } from '../support/context.js';
import { craftJwt, decodeJwtPayload } from '../support/tokens.js';
import { countRows, expectError, loadWorld, must, ROLE_LOGINS, type DemoWorld, type ErrorBody } from '../support/world.js';

let ctx: TestContext;
let world: DemoWorld;
const tokens: Record<'resident' | 'dispatcher' | 'admin', string> = { resident: '', dispatcher: '', admin: '' };

beforeAll(async () => {
  ctx = await createTestContext();
  world = await loadWorld(ctx.ownerDb);
  tokens.resident = await ctx.login(ROLE_LOGINS.resident);
  tokens.dispatcher = await ctx.login(ROLE_LOGINS.dispatcher);
  tokens.admin = await ctx.login(ROLE_LOGINS.programme_admin);
});
afterAll(async () => { await ctx?.close(); });

const describeUrl = (options: InjectOptions) => (typeof options.url === 'string' ? options.url : JSON.stringify(options.url));

async function send(options: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await ctx.app.inject(options);
  expect(res.statusCode, `${String(options.method)} ${describeUrl(options)} → ${res.statusCode} ${res.body}`).toBeLessThan(500);
  return res;
}

const TABLES = ['users', 'households', 'organisations', 'organisation_locations', 'tariffs', 'audit_log'] as const;

/** Sends a write that must fail with `code`, and asserts that no row was written anywhere. */
async function refusedWrite(options: InjectOptions, status: number, code: ErrorCode): Promise<ErrorBody> {
  const before = await countRows(ctx.ownerDb, ...TABLES);
  const body = expectError(await send(options), status, code);
  expect(body.message).toBe(ERRORS[code].nl);
  expect(await countRows(ctx.ownerDb, ...TABLES)).toEqual(before);
  return body;
}

const validRegistration = () => ({
  email: `invoer-${Math.random().toString(36).slice(2)}@example.nl`, password: 'zonnige-tuin-2026', displayName: 'Bert Invoer',
  street: 'Wisselaan', houseNumber: 5, postcode: '4823 AB', city: 'Breda',
});
const validHousehold = () => ({ name: 'Mevr. Invoer', street: 'Wisselaan', houseNumber: 8, postcode: '4823 JA', city: 'Breda', contact: { displayName: 'Mien Invoer' } });
const validOrganisation = (kvkNumber: string) => ({ name: 'Sportclub Noordoost', kvkNumber, billingAddress: { street: 'Haagweg', houseNumber: 2, postcode: '4822 AA', city: 'Breda' } });

/** The writes every malformed-body test is tried on, with the caller's token. */
const WRITES = (): { name: string; method: 'POST' | 'PATCH'; url: string; token?: string; valid: () => Record<string, unknown> }[] => [
  { name: 'register', method: 'POST', url: '/auth/register', valid: validRegistration },
  { name: 'login', method: 'POST', url: '/auth/login', valid: () => ({ email: ROLE_LOGINS.resident, password: 'fout-wachtwoord-1' }) },
  { name: 'household', method: 'POST', url: '/households', token: tokens.dispatcher, valid: validHousehold },
  { name: 'organisation', method: 'POST', url: '/organisations', token: tokens.admin, valid: () => validOrganisation('47111111') },
  { name: 'quote', method: 'POST', url: '/quotes', token: tokens.resident, valid: () => ({ serviceId: must(world.breda.services, 'tuindienst'), workers: 2, minutes: 180 }) },
  { name: 'service', method: 'PATCH', url: '', token: tokens.admin, valid: () => ({ active: true }) },
];
const urlOf = (w: ReturnType<typeof WRITES>[number]) => w.url || `/services/${must(world.breda.services, 'klussendienst')}`;
const headersOf = (w: ReturnType<typeof WRITES>[number], extra: Record<string, string> = {}) => ({ ...(w.token ? bearer(w.token) : {}), ...extra });
const WRITE_NAMES = ['register', 'login', 'household', 'organisation', 'quote', 'service'];

describe('malformed bodies', () => {
  it.each(WRITE_NAMES)('%s: broken JSON → 400 invalid_json', async (name) => {
    const w = WRITES().find((x) => x.name === name)!;
    for (const payload of ['{"email": ', '{bad json}', "{'single': 'quotes'}", '{"a":1,}', '']) {
      await refusedWrite({ method: w.method, url: urlOf(w), headers: headersOf(w, { 'content-type': 'application/json' }), payload }, 400, 'invalid_json');
    }
  });

  it.each(WRITE_NAMES)('%s: a body that is not an object → 400 validation_failed', async (name) => {
    const w = WRITES().find((x) => x.name === name)!;
    for (const payload of ['null', '[]', '42', '"tekst"']) {
      await refusedWrite({ method: w.method, url: urlOf(w), headers: headersOf(w, { 'content-type': 'application/json' }), payload }, 400, 'validation_failed');
    }
  });

  it.each(WRITE_NAMES)('%s: an unknown field → 400 validation_failed naming it', async (name) => {
    const w = WRITES().find((x) => x.name === name)!;
    const body = await refusedWrite({ method: w.method, url: urlOf(w), headers: headersOf(w), payload: { ...w.valid(), bijzonderheden: 'x' } }, 400, 'validation_failed');
    expect(body.fields).toEqual([{ field: '/bijzonderheden', code: 'additionalProperties' }]);
  });

  it.each(WRITE_NAMES)('%s: a wrong content type → 415', async (name) => {
    const w = WRITES().find((x) => x.name === name)!;
    const json = JSON.stringify(w.valid());
    for (const [type, payload] of [
      ['text/plain', json], ['application/xml', '<x/>'], ['application/x-www-form-urlencoded', 'email=a%40b.nl'], ['multipart/form-data; boundary=x', '--x--'],
    ] as const) {
      await refusedWrite({ method: w.method, url: urlOf(w), headers: headersOf(w, { 'content-type': type }), payload }, 415, 'unsupported_media_type');
    }
  });

  it('a body over 64 KiB → 413', async () => {
    await refusedWrite({ method: 'POST', url: '/auth/register', payload: { ...validRegistration(), displayName: 'x'.repeat(70_000) } }, 413, 'payload_too_large');
  });

  it('register: missing fields, wrong types and overlong strings are named', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ email: undefined }, '/email', 'required'],
      [{ houseNumber: 'twaalf' }, '/houseNumber', 'type'],
      [{ houseNumber: 12.5 }, '/houseNumber', 'type'],
      [{ houseNumber: 0 }, '/houseNumber', 'minimum'],
      [{ email: { adres: 'a@b.nl' } }, '/email', 'type'],
      [{ email: 'geen-email' }, '/email', 'format'],
      [{ email: `${'a'.repeat(250)}@example.nl` }, '/email', 'maxLength'],
      [{ displayName: 'x'.repeat(101) }, '/displayName', 'maxLength'],
      [{ displayName: '' }, '/displayName', 'minLength'],
      [{ street: ['Wisselaan', 'Haagweg'] }, '/street', 'type'],
      [{ city: 'B'.repeat(61) }, '/city', 'maxLength'],
      [{ phone: '06-1234<script>' }, '/phone', 'pattern'],
      [{ houseNumberSuffix: 'A;B' }, '/houseNumberSuffix', 'pattern'],
      [{ locale: 'de' }, '/locale', 'anyOf'],
      [{ postcode: '4823 ABC' }, '/postcode', 'maxLength'],
      [{ password: 'x'.repeat(1025) }, '/password', 'maxLength'],
    ];
    for (const [change, field, code] of cases) {
      const payload = { ...validRegistration(), ...change };
      const body = await refusedWrite({ method: 'POST', url: '/auth/register', payload }, 400, 'validation_failed');
      // A union (anyOf) also reports each alternative that did not match: all on the same field.
      expect(body.fields, JSON.stringify(change)).toContainEqual({ field, code });
      expect(new Set(body.fields?.map((f) => f.field)), JSON.stringify(change)).toEqual(new Set([field]));
    }
  });

  it('household: nested problems are named by their path', async () => {
    const headers = bearer(tokens.dispatcher);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ contact: 'Anna' }, '/contact', 'type'],
      [{ contact: {} }, '/contact/displayName', 'required'],
      [{ contact: { displayName: 'Anna', bijnaam: 'An' } }, '/contact/bijnaam', 'additionalProperties'],
      [{ contact: { displayName: 'x'.repeat(101) } }, '/contact/displayName', 'maxLength'],
    ];
    for (const [change, field, code] of cases) {
      const body = await refusedWrite({ method: 'POST', url: '/households', headers, payload: { ...validHousehold(), ...change } }, 400, 'validation_failed');
      expect(body.fields, JSON.stringify(change)).toEqual([{ field, code }]);
    }
    // An email without a password (or the other way round) is refused as a whole.
    await refusedWrite({ method: 'POST', url: '/households', headers, payload: { ...validHousehold(), contact: { displayName: 'Anna', email: 'anna.x@example.nl' } } }, 400, 'validation_failed');
  });

  it('quote: wrong numbers are named', async () => {
    const headers = bearer(tokens.resident);
    const serviceId = must(world.breda.services, 'tuindienst');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ workers: 'twee' }, '/workers', 'type'],
      [{ workers: 0 }, '/workers', 'minimum'],
      [{ workers: 21 }, '/workers', 'maximum'],
      [{ minutes: 100 }, '/minutes', 'multipleOf'],
      [{ minutes: 10_000 }, '/minutes', 'maximum'],
      [{ date: '2026-13-45' }, '/date', 'format'],
      [{ date: 'morgen' }, '/date', 'format'],
      [{ serviceId: 'tuindienst' }, '/serviceId', 'format|pattern'],
    ];
    for (const [change, field, code] of cases) {
      const body = expectError(await send({ method: 'POST', url: '/quotes', headers, payload: { serviceId, workers: 2, minutes: 180, ...change } }), 400, 'validation_failed');
      expect(body.fields, JSON.stringify(change)).toHaveLength(1);
      expect(body.fields?.[0]?.field, JSON.stringify(change)).toBe(field);
      expect(body.fields?.[0]?.code, JSON.stringify(change)).toMatch(new RegExp(`^(${code})$`));
    }
  });

  it('search: a query that is too short or too long is named', async () => {
    const headers = bearer(tokens.dispatcher);
    expect(expectError(await send({ method: 'GET', url: '/households', headers }), 400, 'validation_failed').fields).toEqual([{ field: '/q', code: 'required' }]);
    expect(expectError(await send({ method: 'GET', url: '/households?q=a', headers }), 400, 'validation_failed').fields).toEqual([{ field: '/q', code: 'minLength' }]);
    expect(expectError(await send({ method: 'GET', url: `/households?q=${'a'.repeat(61)}`, headers }), 400, 'validation_failed').fields).toEqual([{ field: '/q', code: 'maxLength' }]);
    // Characters with a meaning in SQL LIKE or in a URL are just text.
    for (const q of ['%%', '__', "' or 1=1 --", '\\\\', '4823 AB 12 ; drop']) {
      const res = await send({ method: 'GET', url: '/households', query: { q }, headers });
      expect(res.statusCode, q).toBe(200);
      expect(res.json<{ households: unknown[] }>().households, q).toEqual([]);
    }
  });
});

describe('postcodes and KvK numbers', () => {
  it.each(['4823 SA', '0823 AB', '48 23AB', 'AB 4823'])('a household with the invalid postcode %j → postcode_invalid', async (postcode) => {
    const body = await refusedWrite({ method: 'POST', url: '/households', headers: bearer(tokens.dispatcher), payload: { ...validHousehold(), postcode } }, 400, 'postcode_invalid');
    expect(body.fields).toEqual([{ field: '/postcode', code: 'postcode_invalid' }]);
  });

  it('a household outside the programme (elsewhere, or in Utrecht) → postcode_outside_area', async () => {
    for (const postcode of ['1012 AB', '3562 AB']) {
      await refusedWrite({ method: 'POST', url: '/households', headers: bearer(tokens.dispatcher), payload: { ...validHousehold(), postcode } }, 422, 'postcode_outside_area');
    }
  });

  it('an organisation with an invalid billing postcode → postcode_invalid on that field', async () => {
    const payload = validOrganisation('47222222');
    payload.billingAddress.postcode = '4823 SS';
    const body = await refusedWrite({ method: 'POST', url: '/organisations', headers: bearer(tokens.admin), payload }, 400, 'postcode_invalid');
    expect(body.fields).toEqual([{ field: '/billingAddress/postcode', code: 'postcode_invalid' }]);
  });

  it.each(['1234567', '123456789', '1234567a', '', '12 345 678', '١٢٣٤٥٦٧٨'])('KvK %j → kvk_invalid', async (kvkNumber) => {
    const body = await refusedWrite({ method: 'POST', url: '/organisations', headers: bearer(tokens.admin), payload: validOrganisation(kvkNumber) }, 400, 'kvk_invalid');
    expect(body.fields).toEqual([{ field: '/kvkNumber', code: 'kvk_invalid' }]);
  });

  it('a KvK number already in the programme → kvk_taken, and the member is not created either', async () => {
    const payload = { ...validOrganisation('20123456'), member: { displayName: 'Dubbel Lid', email: 'dubbel.lid@example.nl', password: 'zonnige-tuin-2026' } };
    const body = await refusedWrite({ method: 'POST', url: '/organisations', headers: bearer(tokens.admin), payload }, 409, 'kvk_taken');
    expect(body.fields).toEqual([{ field: '/kvkNumber', code: 'kvk_taken' }]);
    expect(await ctx.ownerDb.selectFrom('users').select('id').where('email', '=', 'dubbel.lid@example.nl').execute()).toEqual([]);
  });

  it('a member email that has an account → email_taken, and the organisation is not created either', async () => {
    const payload = { ...validOrganisation('47333333'), member: { displayName: 'Lid', email: 'BEWONER@example.nl', password: 'zonnige-tuin-2026' } };
    await refusedWrite({ method: 'POST', url: '/organisations', headers: bearer(tokens.admin), payload }, 409, 'email_taken');
    expect(await ctx.ownerDb.selectFrom('organisations').select('id').where('kvk_number', '=', '47333333').execute()).toEqual([]);
  });

  it('a household whose contact email has an account → email_taken, and no household is left behind', async () => {
    const payload = { ...validHousehold(), name: 'Fam. Halfweg', contact: { displayName: 'Half', email: 'coordinator@example.nl', password: 'zonnige-tuin-2026' } };
    await refusedWrite({ method: 'POST', url: '/households', headers: bearer(tokens.dispatcher), payload }, 409, 'email_taken');
    expect(await ctx.ownerDb.selectFrom('households').select('id').where('name', '=', 'Fam. Halfweg').execute()).toEqual([]);
  });
});

describe('ids in paths and queries', () => {
  const BAD_IDS = ['abc', '123', 'null', 'undefined', '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3', '0b4e2d0c8c1a4f7e9a512f2f1e1d9c3a', 'urn:uuid:0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', "1' or '1'='1", '{0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a}'];

  it.each(BAD_IDS)('%j is a 400, for every route with an id', async (id) => {
    const seg = encodeURIComponent(id);
    const requests: InjectOptions[] = [
      { method: 'GET', url: `/households/${seg}`, headers: bearer(tokens.dispatcher) },
      { method: 'GET', url: `/households/${seg}`, headers: bearer(tokens.resident) },
      { method: 'GET', url: `/organisations/${seg}`, headers: bearer(tokens.admin) },
      { method: 'PATCH', url: `/services/${seg}`, headers: bearer(tokens.admin), payload: { active: false } },
      { method: 'POST', url: `/organisations/${seg}/locations`, headers: bearer(tokens.admin), payload: { name: 'Hal', street: 'Haagweg', houseNumber: 3, postcode: '4822 AA', city: 'Breda' } },
      { method: 'GET', url: '/services', query: { householdId: id }, headers: bearer(tokens.dispatcher) },
      { method: 'GET', url: '/services', query: { organisationId: id }, headers: bearer(tokens.admin) },
      { method: 'POST', url: '/quotes', headers: bearer(tokens.dispatcher), payload: { serviceId: must(world.breda.services, 'tuindienst'), workers: 2, minutes: 60, householdId: id } },
    ];
    for (const req of requests) {
      const before = await countRows(ctx.ownerDb, ...TABLES);
      const body = expectError(await send(req), 400, 'validation_failed');
      expect(body.fields?.[0]?.code, `${String(req.method)} ${describeUrl(req)}`).toMatch(/^(format|pattern)$/);
      expect(await countRows(ctx.ownerDb, ...TABLES)).toEqual(before);
    }
  });

  it('an unknown route is a 404 route_not_found, for everyone', async () => {
    expectError(await send({ method: 'GET', url: '/bestaat-niet' }), 404, 'route_not_found');
    expectError(await send({ method: 'GET', url: '/households/x/y', headers: bearer(tokens.dispatcher) }), 404, 'route_not_found');
  });
});

describe('tokens', () => {
  let claims: Record<string, unknown>;
  let deviceToken: string;
  let refreshToken: string;
  beforeAll(async () => {
    claims = decodeJwtPayload(tokens.dispatcher);
    const res = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ROLE_LOGINS.dispatcher, password: DEMO_PASSWORD } });
    ({ deviceToken, refreshToken } = res.json<{ deviceToken: string; refreshToken: string }>());
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('the genuine token works (so the refusals below are about the token)', async () => {
    expect(claims).toMatchObject({ typ: 'access', role: 'dispatcher' });
    expect((await send({ method: 'GET', url: '/households?q=Fam', headers: bearer(tokens.dispatcher) })).statusCode).toBe(200);
    // A token made here with the test key is accepted too: the crafted ones differ in one thing each.
    const selfMade = craftJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now(), exp: now() + 600 }, TEST_JWT_SECRET);
    expect((await send({ method: 'GET', url: '/households?q=Fam', headers: bearer(selfMade) })).statusCode).toBe(200);
  });

  const BAD: [string, () => string][] = [
    ['expired', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now() - 3600, exp: now() - 1800 }, TEST_JWT_SECRET)],
    ['not yet valid', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now(), nbf: now() + 3600, exp: now() + 7200 }, TEST_JWT_SECRET)],
    ['signed with another key', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() + 600 }, 'another-secret-that-is-at-least-32-characters')],
    ['alg none', () => craftJwt({ alg: 'none', typ: 'JWT' }, { ...claims, exp: now() + 600 })],
    ['alg none, role raised', () => craftJwt({ alg: 'none', typ: 'JWT' }, { ...claims, role: 'programme_admin', exp: now() + 600 })],
    ['HS512 with the right key', () => craftJwt({ alg: 'HS512', typ: 'JWT' }, { ...claims, exp: now() + 600 }, TEST_JWT_SECRET)],
    ['payload changed after signing', () => {
      const [h, , s] = tokens.dispatcher.split('.');
      return `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'programme_admin' })).toString('base64url')}.${s}`;
    }],
    ['a device token', () => deviceToken],
    ['a refresh token', () => refreshToken],
    ['garbage', () => 'dit-is-geen-token'],
    ['three empty parts', () => '..'],
    ['base64 nonsense', () => 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl'],
  ];

  it.each(BAD.map(([name]) => name))('%s → 401 token_invalid, in Dutch and in English', async (name) => {
    const token = BAD.find(([n]) => n === name)![1]();
    for (const [lang, locale] of [[undefined, 'nl'], ['en', 'en'], ['en-GB,en;q=0.9', 'en'], ['nl-NL,nl;q=0.9,en;q=0.8', 'nl']] as const) {
      const headers: Record<string, string> = { ...bearer(token), ...(lang ? { 'accept-language': lang } : {}) };
      for (const req of [{ method: 'GET', url: '/me' }, { method: 'GET', url: '/households?q=Fam' }, { method: 'POST', url: '/tariffs', payload: { category: 'resident', centsPerWorkerHour: 1, validFrom: '2099-01-01' } }] as const) {
        const before = await countRows(ctx.ownerDb, ...TABLES);
        const body = expectError(await send({ ...req, headers }), 401, 'token_invalid');
        expect(body.message).toBe(ERRORS.token_invalid[locale]);
        expect(await countRows(ctx.ownerDb, ...TABLES)).toEqual(before);
      }
    }
  });

  it('an Authorization header that is not a bearer token → 401', async () => {
    for (const authorization of ['Basic YTpi', 'Bearer', 'Bearer ', tokens.dispatcher, `Token ${tokens.dispatcher}`]) {
      const res = await send({ method: 'GET', url: '/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(['token_invalid', 'unauthenticated']).toContain(res.json<ErrorBody>().code);
    }
  });
});

describe('error bodies', () => {
  const SAMPLES: [string, () => InjectOptions, ErrorCode][] = [
    ['invalid_json', () => ({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json' }, payload: '{' }), 'invalid_json'],
    ['validation_failed', () => ({ method: 'POST', url: '/auth/login', payload: { email: 'x' } }), 'validation_failed'],
    ['unsupported_media_type', () => ({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'x' }), 'unsupported_media_type'],
    ['unauthenticated', () => ({ method: 'GET', url: '/me' }), 'unauthenticated'],
    ['forbidden', () => ({ method: 'GET', url: '/users', headers: bearer(tokens.resident) }), 'forbidden'],
    ['not_found', () => ({ method: 'GET', url: `/households/${must(world.utrecht.households, 'Fam. Bakker')}`, headers: bearer(tokens.dispatcher) }), 'not_found'],
    ['route_not_found', () => ({ method: 'GET', url: '/nergens' }), 'route_not_found'],
    ['postcode_invalid', () => ({ method: 'GET', url: '/areas/lookup?postcode=4823SS' }), 'postcode_invalid'],
    ['postcode_outside_area', () => ({ method: 'GET', url: '/areas/lookup?postcode=1012AB' }), 'postcode_outside_area'],
  ];

  it.each(SAMPLES.map(([name]) => name))('%s: Dutch by default, English on request', async (name) => {
    const [, make, code] = SAMPLES.find(([n]) => n === name)!;
    const nl = expectError(await send(make()), ERRORS[code].status, code);
    const base = make();
    const en = expectError(await send({ ...base, headers: { ...(base.headers as Record<string, string> | undefined), 'accept-language': 'en' } }), ERRORS[code].status, code);
    expect(nl.message).toBe(ERRORS[code].nl);
    expect(en.message).toBe(ERRORS[code].en);
    expect(en.message).not.toBe(nl.message);
  });
});
