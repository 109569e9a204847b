import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext(); });
afterAll(async () => { await ctx?.close(); });

describe('catalogue prices per customer', () => {
  it.each([
    ['bewoner@example.nl', 1000],
    ['bredapas@example.nl', 600],
    ['organisatie@example.nl', 1500],
  ])('%s sees %i cents per worker-hour', async (email, cents) => {
    const token = await ctx.login(email);
    const res = await ctx.app.inject({ method: 'GET', url: '/services', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const { services } = res.json<{ services: { centsPerWorkerHour: number }[] }>();
    expect(services).toHaveLength(10);
    expect(services.every((s) => s.centsPerWorkerHour === cents)).toBe(true);
  });
});

describe('security headers', () => {
  it('are on every answer, public or not, success or error', async () => {
    for (const res of [
      await ctx.app.inject({ method: 'GET', url: '/health/live' }),
      await ctx.app.inject({ method: 'GET', url: '/me' }),
      await ctx.app.inject({ method: 'GET', url: '/nothing-here' }),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });
});
