import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@buurtservice/db';
import { ERRORS } from '@buurtservice/shared';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { countRows, expectError, ROLE_LOGINS } from '../support/world.js';

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  deviceToken: string;
  user: { id: string; role: string; email: string | null; programme: { name: string }; household: { postcode: string; buurt: string | null } | null; customerCategory: string | null };
}

let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext(); });
afterAll(async () => { await ctx?.close(); });

const uniqueEmail = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.nl`;
const registration = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail('nieuw'),
  password: 'zonnige-tuin-2026',
  displayName: 'Anna de Wit',
  street: 'Wisselaan',
  houseNumber: 21,
  postcode: '4823 AB',
  city: 'Breda',
  ...overrides,
});
const register = (body: object) => ctx.app.inject({ method: 'POST', url: '/auth/register', payload: body });
const login = (email: string, password: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
  ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, headers, ...(remoteAddress ? { remoteAddress } : {}) });
const refresh = (refreshToken: string) => ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const me = (accessToken: string) => ctx.app.inject({ method: 'GET', url: '/me', headers: bearer(accessToken) });

async function signIn(email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await login(email, password);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Session>();
}

async function usersWithEmail(email: string) {
  return ctx.ownerDb.selectFrom('users').select(['id', 'email', 'password_hash', 'household_id', 'role']).where('email', '=', email.toLowerCase()).execute();
}

describe('POST /auth/register', () => {
  it('creates the household and its resident and signs them in', async () => {
    const body = registration({ email: uniqueEmail('Nieuw.Bewoner').toUpperCase(), postcode: '4823 ab', phone: '076 555 12 34' });
    const res = await register(body);
    expect(res.statusCode, res.body).toBe(201);
    const session = res.json<Session>();
    expect(session.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(session.refreshToken.length).toBeGreaterThanOrEqual(10);
    expect(session.deviceToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(session.expiresIn).toBeGreaterThan(0);
    expect(session.user).toMatchObject({
      role: 'resident', email: body.email.toLowerCase(), programme: { name: 'Breda Noordoost' },
      household: { postcode: '4823AB', buurt: 'Hoge Vucht' }, customerCategory: 'resident',
    });

    const [user] = await usersWithEmail(body.email);
    expect(user).toBeDefined();
    expect(user!.id).toBe(session.user.id);
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
    expect(user!.password_hash).not.toContain(body.password);
    const household = await ctx.ownerDb.selectFrom('households').selectAll().where('id', '=', user!.household_id!).executeTakeFirstOrThrow();
    expect(household).toMatchObject({ postcode: '4823AB', house_number: 21, phone: '076 555 12 34' });

    const who = await me(session.accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json<{ id: string }>().id).toBe(session.user.id);
  });

  it('places a postcode of Utrecht Overvecht in that programme', async () => {
    const res = await register(registration({ postcode: '3562 AB', city: 'Utrecht' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Session>().user.programme.name).toBe('Utrecht Overvecht');
  });

  it('refuses a postcode outside every programme area, and writes nothing', async () => {
    const before = await countRows(ctx.ownerDb, 'users', 'households');
    const body = expectError(await register(registration({ postcode: '1012 AB', city: 'Amsterdam' })), 422, 'postcode_outside_area');
    expect(body.message).toBe(ERRORS.postcode_outside_area.nl);
    expect(body.fields).toEqual([{ field: '/postcode', code: 'postcode_outside_area' }]);
    expect(await countRows(ctx.ownerDb, 'users', 'households')).toEqual(before);
  });

  it.each(['4823 SA', '0823 AB', '4823-AB', '48231A'])('refuses the invalid postcode %j', async (postcode) => {
    const before = await countRows(ctx.ownerDb, 'users', 'households');
    const body = expectError(await register(registration({ postcode })), 400, 'postcode_invalid');
    expect(body.fields).toEqual([{ field: '/postcode', code: 'postcode_invalid' }]);
    expect(await countRows(ctx.ownerDb, 'users', 'households')).toEqual(before);
  });

  it('refuses a postcode of the wrong length as a validation error on /postcode', async () => {
    const body = expectError(await register(registration({ postcode: '4823' })), 400, 'validation_failed');
    expect(body.fields).toEqual([{ field: '/postcode', code: 'minLength' }]);
  });

  it('refuses a password shorter than 8 characters', async () => {
    const body = expectError(await register(registration({ password: 'kort-12' })), 400, 'password_too_short');
    expect(body.fields).toEqual([{ field: '/password', code: 'password_too_short' }]);
  });

  it('counts characters, not bytes: 8 emoji are long enough, 7 are not', async () => {
    expectError(await register(registration({ password: '🌻'.repeat(7) })), 400, 'password_too_short');
    expect((await register(registration({ password: '🌻'.repeat(8) }))).statusCode).toBe(201);
  });

  it('accepts a 64-character password, and signs in with it', async () => {
    const password = 'lang-wachtwoord-'.padEnd(64, 'abcdefgh');
    expect(password).toHaveLength(64);
    const email = uniqueEmail('lang');
    const res = await register(registration({ email, password }));
    expect(res.statusCode, res.body).toBe(201);
    expect((await login(email, password)).statusCode).toBe(200);
  });

  it('refuses a password longer than 128 characters', async () => {
    expectError(await register(registration({ password: 'x1'.repeat(65) })), 400, 'password_too_long');
  });

  it.each(['password123', 'welkom123', 'Welkom123', 'WACHTWOORD'])('refuses the common password %j', async (password) => {
    const before = await countRows(ctx.ownerDb, 'users', 'households');
    const body = expectError(await register(registration({ password })), 400, 'password_common');
    expect(body.fields).toEqual([{ field: '/password', code: 'password_common' }]);
    expect(await countRows(ctx.ownerDb, 'users', 'households')).toEqual(before);
  });

  it.each(['bewoner@example.nl', 'BEWONER@Example.NL'])('refuses an email that has an account: %s', async (email) => {
    const before = await countRows(ctx.ownerDb, 'users', 'households');
    const body = expectError(await register(registration({ email })), 409, 'email_taken');
    expect(body.fields).toEqual([{ field: '/email', code: 'email_taken' }]);
    expect(await countRows(ctx.ownerDb, 'users', 'households')).toEqual(before);
  });

  it('lets exactly one of 10 simultaneous registrations with one email through', async () => {
    const email = uniqueEmail('tegelijk');
    const name = `Fam. Tegelijk ${randomBytes(3).toString('hex')}`;
    const before = await countRows(ctx.ownerDb, 'users', 'households');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register(registration({ email: i % 2 ? email : email.toUpperCase(), displayName: name }))),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    for (const r of results.filter((r) => r.statusCode === 409)) expect(r.json<{ code: string }>().code).toBe('email_taken');
    expect(await usersWithEmail(email)).toHaveLength(1);
    const households = await ctx.ownerDb.selectFrom('households').select('id').where('name', '=', name).execute();
    expect(households).toHaveLength(1);
    expect(await countRows(ctx.ownerDb, 'users', 'households')).toEqual({ users: before.users! + 1, households: before.households! + 1 });
  });
});

describe('POST /auth/login', () => {
  it('signs a demo user in, whatever the case of the email', async () => {
    const res = await login('Coordinator@Example.NL', DEMO_PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const session = res.json<Session>();
    expect(session.user).toMatchObject({ role: 'dispatcher', email: 'coordinator@example.nl', household: null, customerCategory: null });
    expect((await me(session.accessToken)).statusCode).toBe(200);
  });

  it('gives the same answer for a wrong password and an unknown email, in both languages', async () => {
    for (const locale of ['nl', 'en'] as const) {
      const headers = { 'accept-language': locale };
      const wrong = expectError(await login(ROLE_LOGINS.worker, 'niet-het-wachtwoord', headers), 401, 'invalid_credentials');
      const unknown = expectError(await login(uniqueEmail('onbekend'), 'niet-het-wachtwoord', headers), 401, 'invalid_credentials');
      expect(unknown).toEqual(wrong);
      expect(wrong.message).toBe(ERRORS.invalid_credentials[locale]);
    }
  });

  it('refuses a disabled account even with the right password', async () => {
    const email = uniqueEmail('uitgeschakeld');
    expect((await register(registration({ email }))).statusCode).toBe(201);
    await ctx.ownerDb.updateTable('users').set({ disabled_at: new Date() }).where('email', '=', email).execute();
    expectError(await login(email, 'zonnige-tuin-2026'), 401, 'invalid_credentials');
  });
});

describe('refresh tokens', () => {
  it('rotate: the new token works, a spent one revokes the whole family, the newest included', async () => {
    const first = await signIn(ROLE_LOGINS.resident);
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode, r1.body).toBe(200);
    const second = r1.json<Session>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(first.user.id);
    expect((await me(second.accessToken)).statusCode).toBe(200);

    const r2 = await refresh(second.refreshToken);
    expect(r2.statusCode, r2.body).toBe(200);
    const third = r2.json<Session>();

    // The first token is spent: presenting it again is theft or a replay.
    expectError(await refresh(first.refreshToken), 401, 'refresh_reused');
    // ... and the thief's (or owner's) newest token of that family is dead too.
    expect((await refresh(third.refreshToken)).statusCode).toBe(401);
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
  });

  it('reuse revokes only the family it belongs to, not other sessions of the user', async () => {
    const phone = await signIn(ROLE_LOGINS.organisation_member);
    const laptop = await signIn(ROLE_LOGINS.organisation_member);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(200);
    expectError(await refresh(phone.refreshToken), 401, 'refresh_reused');
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(200);
  });

  it('refuses a token it never issued', async () => {
    expectError(await refresh(randomBytes(32).toString('base64url')), 401, 'refresh_invalid');
  });

  it('logout revokes the session: its refresh token no longer works', async () => {
    const session = await signIn(ROLE_LOGINS.resident);
    const other = await signIn(ROLE_LOGINS.resident);
    const out = await ctx.app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: session.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expectError(await refresh(session.refreshToken), 401, 'refresh_invalid');
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('a disabled user cannot refresh', async () => {
    const email = uniqueEmail('later-uit');
    const res = await register(registration({ email }));
    expect(res.statusCode).toBe(201);
    const session = res.json<Session>();
    await ctx.ownerDb.updateTable('users').set({ disabled_at: new Date() }).where('email', '=', email).execute();
    expectError(await refresh(session.refreshToken), 401, 'refresh_invalid');
  });
});

describe('sign-in throttling', () => {
  // Low limits; every attacker attempt comes from a new address, so only the per-account counter grows.
  let limited: TestContext;
  const LIMITS = {
    perAddress: { maxFailures: 4, windowSeconds: 900, blockSeconds: 600 },
    perAccount: { maxFailures: 3, windowSeconds: 900, blockSeconds: 900 },
    perDevice: { maxFailures: 3, windowSeconds: 900, blockSeconds: 300 },
  };
  beforeAll(async () => { limited = await createTestContext({ loginLimits: LIMITS }); });
  afterAll(async () => { await limited?.close(); });

  const attempt = (email: string, password: string, remoteAddress: string, deviceToken?: string) =>
    limited.app.inject({
      method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress,
      headers: deviceToken ? { 'x-device-token': deviceToken } : {},
    });
  let address = 0;
  const freshAddress = () => `10.1.0.${++address}`;

  function expectBlocked(res: Awaited<ReturnType<typeof attempt>>, maxSeconds: number) {
    expectError(res, 429, 'too_many_attempts');
    const retryAfter = res.headers['retry-after'];
    expect(typeof retryAfter).toBe('string');
    expect(String(retryAfter)).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
  }

  it('blocks an account after N failures, even with the right password, and says when to retry', async () => {
    const email = ROLE_LOGINS.worker;
    for (let i = 0; i < LIMITS.perAccount.maxFailures; i++) {
      expectError(await attempt(email, `fout-${i}-wachtwoord`, freshAddress()), 401, 'invalid_credentials');
    }
    expectBlocked(await attempt(email, DEMO_PASSWORD, freshAddress()), LIMITS.perAccount.blockSeconds);
    // Other accounts are not affected.
    expect((await attempt(ROLE_LOGINS.dispatcher, DEMO_PASSWORD, freshAddress())).statusCode).toBe(200);
  });

  it("does not let an attacker lock out the resident who signs in from her own device", async () => {
    const email = ROLE_LOGINS.resident;
    const earlier = await attempt(email, DEMO_PASSWORD, '192.168.1.20');
    expect(earlier.statusCode).toBe(200);
    const deviceToken = earlier.json<Session>().deviceToken;
    const strangersDevice = (await attempt(ROLE_LOGINS.programme_admin, DEMO_PASSWORD, freshAddress())).json<Session>().deviceToken;

    for (let i = 0; i < LIMITS.perAccount.maxFailures + 2; i++) await attempt(email, `raden-${i}-wachtwoord`, freshAddress());

    // Without her device token (the attacker, or anyone else): blocked.
    expectBlocked(await attempt(email, DEMO_PASSWORD, freshAddress()), LIMITS.perAccount.blockSeconds);
    // A device token of another account does not count as hers.
    expectBlocked(await attempt(email, DEMO_PASSWORD, freshAddress(), strangersDevice), LIMITS.perAccount.blockSeconds);
    // Her own phone, which signed in before: she gets in.
    const hers = await attempt(email, DEMO_PASSWORD, '192.168.1.20', deviceToken);
    expect(hers.statusCode, hers.body).toBe(200);
    expect(hers.json<Session>().user.email).toBe(email);
  });

  it('blocks an address after N failures over any accounts, and only that address', async () => {
    const attacker = '10.66.0.1';
    for (let i = 0; i < LIMITS.perAddress.maxFailures; i++) {
      expectError(await attempt(uniqueEmail(`gok-${i}`), 'raden-wachtwoord', attacker), 401, 'invalid_credentials');
    }
    expectBlocked(await attempt(ROLE_LOGINS.organisation_member, DEMO_PASSWORD, attacker), LIMITS.perAddress.blockSeconds);
    expect((await attempt(ROLE_LOGINS.organisation_member, DEMO_PASSWORD, freshAddress())).statusCode).toBe(200);
  });

  it('counts the visitor behind the web server, not the web server, and believes X-Forwarded-For only from it', async () => {
    const viaWeb = (email: string, password: string, visitor: string, peer = '127.0.0.1') =>
      limited.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: peer, headers: { 'x-forwarded-for': visitor } });
    const guesser = '10.77.0.1';
    for (let i = 0; i < LIMITS.perAddress.maxFailures; i++) await viaWeb(uniqueEmail(`web-${i}`), 'raden-wachtwoord', guesser);
    expectBlocked(await viaWeb(ROLE_LOGINS.dispatcher, DEMO_PASSWORD, guesser), LIMITS.perAddress.blockSeconds);
    // Another visitor through the same web server is not affected.
    expect((await viaWeb(ROLE_LOGINS.dispatcher, DEMO_PASSWORD, '10.77.0.2')).statusCode).toBe(200);
    // A peer that is not the web server cannot pick its address by header: its own address counts.
    const outsider = '10.88.0.1';
    for (let i = 0; i < LIMITS.perAddress.maxFailures; i++) await viaWeb(uniqueEmail(`spoof-${i}`), 'raden-wachtwoord', `10.99.0.${i}`, outsider);
    expectBlocked(await viaWeb(ROLE_LOGINS.dispatcher, DEMO_PASSWORD, '10.99.1.1', outsider), LIMITS.perAddress.blockSeconds);
  });
});
