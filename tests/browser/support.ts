/** Helpers shared by the browser specs. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';

export const DEMO_PASSWORD = 'demo-wachtwoord-2026';

export const DEMO = {
  resident: 'bewoner@example.nl',
  bredapas: 'bredapas@example.nl',
  organisation: 'organisatie@example.nl',
  dispatcher: 'coordinator@example.nl',
  worker: 'medewerker@example.nl',
  admin: 'beheer@example.nl',
} as const;

// What the browser-side callbacks below use; declared here because tests/ compiles without the DOM lib.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number; lang: string } };
declare const window: { innerWidth: number };
declare const axe: { run(context: unknown, options: unknown): Promise<AxeResults> };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The API of the app under test: set-up that is not the point of a test goes straight through it. */
export const API_URL = process.env.BROWSER_API_URL ?? `http://127.0.0.1:${process.env.BROWSER_API_PORT ?? 3101}`;

/** A small phone. */
export const PHONE = { width: 360, height: 740 };

/** Signs in through the API: the headers of that session. */
export async function signIn(api: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<Record<string, string>> {
  const response = await api.post(`${API_URL}/auth/login`, { data: { email, password } });
  expect(response.ok(), await response.text()).toBe(true);
  return { authorization: `Bearer ${((await response.json()) as { accessToken: string }).accessToken}` };
}

/** A fresh Idempotency-Key. */
export const idempotencyKey = (): string => `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * A new resident, registered through the API in Breda (Wisselaan, a house number of its own), whose
 * household a dispatcher sold `cheques` at the counter: their session headers, household and the
 * garden service's id, for booking a job through the API.
 */
export async function newResidentWithCheques(
  api: APIRequestContext, dispatcher: Record<string, string>, r: { email: string; password: string; displayName: string; cheques: number },
): Promise<{ householdId: string; headers: Record<string, string>; gardenId: string }> {
  const registered = await api.post(`${API_URL}/auth/register`, {
    data: { email: r.email, password: r.password, displayName: r.displayName, street: 'Wisselaan', houseNumber: 10 + Math.floor(Math.random() * 800), postcode: '4823 JA', city: 'Breda' },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const session = (await registered.json()) as { accessToken: string; user: { household: { id: string } } };
  const householdId = session.user.household.id;
  const headers = { authorization: `Bearer ${session.accessToken}` };
  const sale = await api.post(`${API_URL}/households/${householdId}/counter-sales`, { headers: { ...dispatcher, 'idempotency-key': idempotencyKey() }, data: { cheques: r.cheques, paymentMethod: 'cash' } });
  expect(sale.ok(), await sale.text()).toBe(true);
  const { services } = (await (await api.get(`${API_URL}/services`, { headers })).json()) as { services: { id: string; code: string }[] };
  const garden = services.find((s) => s.code === 'tuindienst');
  expect(garden).toBeDefined();
  return { householdId, headers, gardenId: garden!.id };
}

/** "HH:MM" in Amsterdam of an instant. */
export function amsterdamClock(instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/** "YYYY-MM-DD" in Amsterdam of an instant. */
export function amsterdamDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(instant);
}

/** A page in a context of its own with the size and touch of a small phone. */
export async function phone(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, ...options });
  return context.newPage();
}

/** A new address every run, so registrations never collide. */
export function uniqueEmail(prefix = 'bewoner'): string {
  return `${prefix}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.nl`;
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/inloggen');
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(password);
  await page.locator('main').getByRole('button').click();
  await expect(page).toHaveURL(/\/home$/);
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button').click();
  await expect(page).toHaveURL(/\/\?uitgelogd=1$/);
}

export async function htmlLang(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

/** The page is not wider than the viewport (no sideways scrolling). */
export async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, viewport } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(scrollWidth, `${label}: page is ${scrollWidth}px wide in a ${viewport}px viewport`).toBeLessThanOrEqual(viewport);
}

function describeViolation(violation: Result): string {
  const nodes = violation.nodes.map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`).join('\n');
  return `  [${violation.impact ?? 'n/a'}] ${violation.id}: ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
}

/** Runs axe-core for WCAG 2.1 A and AA on the current page; fails with every violation listed. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() =>
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }),
  );
  const report = results.violations.map(describeViolation).join('\n');
  if (results.violations.length > 0) console.log(`axe violations on ${label} (${page.url()}):\n${report}`);
  expect(results.violations, `axe violations on ${label}:\n${report}`).toHaveLength(0);
}

/**
 * A dispatcher makes a new Breda household at the counter (`/balie/nieuw`) and lands on its page.
 * Works with and without JavaScript.
 */
export async function newHouseholdAtCounter(page: Page, h: { name: string; resident: string; houseNumber: number }): Promise<void> {
  await page.goto('/balie/nieuw');
  await page.getByLabel('Naam van het huishouden').fill(h.name);
  await page.getByLabel('Naam van de bewoner').fill(h.resident);
  await page.getByLabel('Straat').fill('Wisselaan');
  await page.getByLabel('Huisnummer').fill(String(h.houseNumber));
  await page.getByLabel('Postcode').fill('4823 JA');
  await page.getByLabel('Plaats').fill('Breda');
  await page.getByRole('button', { name: 'Huishouden aanmaken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(h.name);
}
