// The log (at its most talkative level) never holds a password, a token or a city-pass number.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '@buurtservice/api';
import { DEMO_PASSWORD } from '@buurtservice/db';
import { bearer, createTestContext, type TestContext } from '../support/context.js';
import { CITY_PASS_RESIDENT, loadWorld, must, ROLE_LOGINS, type DemoWorld } from '../support/world.js';

const PASS_NUMBER = 'BP-2026-004711';

interface Session { accessToken: string; refreshToken: string; deviceToken: string }

let ctx: TestContext;
let world: DemoWorld;
const lines: string[] = [];
/** Everything secret that went over the wire in these tests. */
const secrets = new Set<string>([DEMO_PASSWORD, PASS_NUMBER]);

function remember(session: Session) {
  for (const token of [session.accessToken, session.refreshToken, session.deviceToken]) {
    secrets.add(token);
    // A JWT's signature alone is enough to be a problem if it is logged in pieces.
    const signature = token.split('.')[2];
    if (signature) secrets.add(signature);
  }
}

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  ctx = await createTestContext({}, { level: 'trace', stream, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
  world = await loadWorld(ctx.ownerDb);
});
afterAll(async () => { await ctx?.close(); });

async function post(url: string, payload: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url, payload, headers });
}

describe('the log', () => {
  beforeAll(async () => {
    // Register, with a password and a phone number.
    const password = 'zomer-in-noordoost-77';
    secrets.add(password);
    const email = 'logboek.bewoner@example.nl';
    const registered = await post('/auth/register', {
      email, password, displayName: 'Lotte Logboek', street: 'Wisselaan', houseNumber: 30, postcode: '4823 AB', city: 'Breda', phone: '076 511 22 33',
    });
    expect(registered.statusCode, registered.body).toBe(201);
    remember(registered.json<Session>());

    // A refused registration that carries secrets in its body.
    const common = 'welkom123';
    secrets.add(common);
    expect((await post('/auth/register', { email: 'ander@example.nl', password: common, displayName: 'X', street: 'Wisselaan', houseNumber: 1, postcode: '4823 AB', city: 'Breda' })).statusCode).toBe(400);
    expect((await post('/auth/register', { email: 'ander@example.nl', password, passNumber: PASS_NUMBER, displayName: 'X', street: 'Wisselaan', houseNumber: 1, postcode: '4823 AB', city: 'Breda' })).statusCode).toBe(400);

    // A failed login with a wrong password, then the right one, then with the device token.
    const wrong = 'bijna-goed-wachtwoord-78';
    secrets.add(wrong);
    expect((await post('/auth/login', { email, password: wrong })).statusCode).toBe(401);
    const login = await post('/auth/login', { email, password });
    expect(login.statusCode).toBe(200);
    const session = login.json<Session>();
    remember(session);
    const again = await post('/auth/login', { email, password }, { 'x-device-token': session.deviceToken });
    expect(again.statusCode).toBe(200);
    remember(again.json<Session>());

    // Refresh, then a replay of the spent token (logged as a warning).
    const refreshed = await post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    remember(refreshed.json<Session>());
    expect((await post('/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/me', headers: bearer(refreshed.json<Session>().accessToken) })).statusCode).toBe(200);
    expect((await post('/auth/logout', { refreshToken: refreshed.json<Session>().refreshToken })).statusCode).toBe(204);

    // The BredaPas household signs in and looks at its prices.
    const pass = await post('/auth/login', { email: CITY_PASS_RESIDENT, password: DEMO_PASSWORD });
    expect(pass.statusCode).toBe(200);
    remember(pass.json<Session>());
    expect((await ctx.app.inject({ method: 'GET', url: '/services', headers: bearer(pass.json<Session>().accessToken) })).statusCode).toBe(200);

    // Staff at work for the BredaPas household, and creating a household with a login.
    const staff = await post('/auth/login', { email: ROLE_LOGINS.dispatcher, password: DEMO_PASSWORD });
    remember(staff.json<Session>());
    const auth = bearer(staff.json<Session>().accessToken);
    const yilmaz = must(world.breda.households, 'Fam. Yilmaz');
    expect((await ctx.app.inject({ method: 'GET', url: `/households/${yilmaz}`, headers: auth })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: `/services?householdId=${yilmaz}`, headers: auth })).statusCode).toBe(200);
    expect((await post('/quotes', { serviceId: must(world.breda.services, 'tuindienst'), workers: 2, minutes: 180, householdId: yilmaz }, auth)).statusCode).toBe(200);
    // The counter looks at the BredaPas (its number is in the answer) and enters a new one.
    const passView = await ctx.app.inject({ method: 'GET', url: `/households/${yilmaz}/city-pass`, headers: auth });
    expect(passView.statusCode, passView.body).toBe(200);
    expect(passView.json<{ passNumber: string }>().passNumber).toBe(PASS_NUMBER);
    const newPass = 'BP-2027-008822';
    secrets.add(newPass);
    const jansen = must(world.breda.households, 'Fam. Jansen');
    const entered = await ctx.app.inject({ method: 'PUT', url: `/households/${jansen}/city-pass`, headers: auth, payload: { passNumber: newPass, expiresOn: '2030-12-31', verify: true } });
    expect(entered.statusCode, entered.body).toBe(200);
    // ... and the resident reads her own.
    const own = await ctx.app.inject({ method: 'GET', url: `/households/${yilmaz}/city-pass`, headers: bearer(pass.json<Session>().accessToken) });
    expect(own.json<{ passNumber: string }>().passNumber).toBe(PASS_NUMBER);
    const contactPassword = 'balie-aangemaakt-2026';
    secrets.add(contactPassword);
    const created = await post('/households', {
      name: 'Fam. Logboek', street: 'Geerenweg', houseNumber: 3, postcode: '4824 AB', city: 'Breda',
      contact: { displayName: 'Piet Logboek', email: 'piet.logboek@example.nl', password: contactPassword },
    }, auth);
    expect(created.statusCode, created.body).toBe(201);
    // A request with a broken token.
    expect((await ctx.app.inject({ method: 'GET', url: '/me', headers: bearer(`${staff.json<Session>().accessToken}x`) })).statusCode).toBe(401);
  });

  it('was written, as JSON lines, at trace level, with the requests in it', () => {
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(text).toContain('"url":"/auth/login"');
    expect(text).toContain('"url":"/auth/refresh"');
    expect(text).toContain('"url":"/quotes"');
    expect(text).toContain('/city-pass"');
    expect(text).toContain('"event":"login_failed"');
    expect(text).toContain('"event":"refresh_token_reused"');
    expect(text).toContain('"reqId"');
  });

  it('is the logger at trace level that the app logs through', () => {
    expect(ctx.app.log.level).toBe('trace');
  });

  it('censors secrets when code logs a request, a body or a record with them', () => {
    const [token] = [...secrets].filter((s) => s.split('.').length === 3);
    expect(token).toBeDefined();
    const before = lines.length;
    ctx.app.log.trace({ req: { headers: { authorization: `Bearer ${token}`, 'x-device-token': token, cookie: `sid=${token}` } } }, 'request with secrets');
    ctx.app.log.trace({ body: { email: 'x@example.nl', password: DEMO_PASSWORD, refreshToken: token } }, 'a login body');
    ctx.app.log.trace({ session: { accessToken: token, deviceToken: token } }, 'a session');
    ctx.app.log.trace({ cityPass: { passNumber: PASS_NUMBER } }, 'a city pass');
    ctx.app.log.trace({ row: { pass_number: PASS_NUMBER, password_hash: '$argon2id$v=19$geheim' } }, 'a database row');
    ctx.app.log.trace({ body: { contact: { displayName: 'A', password: DEMO_PASSWORD } } }, 'a nested body');
    ctx.app.log.trace({ request: { settings: { stripeSecretKey: 'sk_test_verygeheim123', stripeWebhookSecret: 'whsec_verygeheim123' } } }, 'payment settings');
    const written = lines.slice(before).join('');
    expect(lines.length - before).toBe(7);
    for (const secret of ['sk_test_verygeheim123', 'whsec_verygeheim123']) expect(written).not.toContain(secret);
    expect(written).toContain('[redacted]');
    expect(written).toContain('x@example.nl');
    for (const secret of [token!, DEMO_PASSWORD, PASS_NUMBER, '$argon2id$v=19$geheim']) expect(written).not.toContain(secret);
  });

  it('holds no password, access, refresh or device token, nor the BredaPas number', () => {
    const text = lines.join('');
    expect(secrets.size).toBeGreaterThan(20);
    const found = [...secrets].filter((secret) => text.includes(secret));
    expect(found).toEqual([]);
  });
});
