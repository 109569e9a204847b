import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createGardenJob, futureTuesday } from './pages';
import { DEMO, DEMO_PASSWORD, expectAccessible, expectNoHorizontalScroll, login } from './support';

/** The API of the app under test: the disputed job is made straight through it. */
const API_URL = process.env.BROWSER_API_URL ?? `http://127.0.0.1:${process.env.BROWSER_API_PORT ?? 3101}`;

async function staffHeaders(api: APIRequestContext): Promise<Record<string, string>> {
  const signIn = await api.post(`${API_URL}/auth/login`, { data: { email: DEMO.dispatcher, password: DEMO_PASSWORD } });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  return { authorization: `Bearer ${((await signIn.json()) as { accessToken: string }).accessToken}` };
}

/**
 * A one-hour garden job in a week of its own, done by a new worker of its own (so no other test's
 * hours can overlap), whose hours the customer disputes: the dispatcher logs the hour on the
 * worker's behalf (yesterday) and disputes for the customer on the phone.
 */
async function disputedJob(page: Page) {
  const job = await createGardenJob(page, { day: futureTuesday(), start: '10:00', minutes: 60, workers: 1 });
  const api = page.request;
  const headers = await staffHeaders(api);
  const name = `Wim Weektest ${Math.random().toString(36).slice(2, 7)}`;
  const worker = await api.post(`${API_URL}/workers`, {
    headers, data: { displayName: name, contract: 'paid', startedOn: '2026-01-01', skills: [{ skill: 'tuin', level: 'lead' }] },
  });
  expect(worker.status(), await worker.text()).toBe(201);
  const workerId = ((await worker.json()) as { id: string }).id;
  const assigned = await api.post(`${API_URL}/bookings/${job.id}/assignments`, { headers, data: { workerId, leads: true } });
  expect(assigned.ok(), await assigned.text()).toBe(true);
  const yesterday = Date.now() - 24 * 3_600_000;
  const entry = await api.post(`${API_URL}/time-entries`, {
    headers,
    data: {
      id: randomUUID(), bookingId: job.id, workerId, source: 'entered_after',
      startsAt: new Date(yesterday).toISOString(), endsAt: new Date(yesterday + 3_600_000).toISOString(),
    },
  });
  expect(entry.status(), await entry.text()).toBe(201);
  const reason = 'De tuinman was er maar een half uur.';
  const dispute = await api.post(`${API_URL}/bookings/${job.id}/dispute-hours`, { headers, data: { reason } });
  expect(dispute.ok(), await dispute.text()).toBe(true);
  const loggedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(yesterday));
  return { ...job, worker: name, reason, loggedOn };
}

test.describe("the dispatcher's week", () => {
  test('shows a disputed job among the exceptions with a link to the job, and the hours per worker; by keyboard, on a phone and a desktop', async ({ page }, testInfo) => {
    await login(page, DEMO.dispatcher);
    const job = await disputedJob(page);

    // From the planning board of the job's week to its hours.
    await page.goto(`/planning?datum=${job.day}&weergave=week`);
    await page.getByRole('link', { name: 'Uren van deze week' }).click();
    // (the board of a week is addressed by its Monday)
    await expect(page).toHaveURL(/\/planning\/uren\?datum=\d{4}-\d{2}-\d{2}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/^Uren van week \d+:/);

    const exception = page.getByTestId('exceptions').getByRole('listitem').filter({ hasText: job.household }).first();
    await expect(exception.getByRole('heading')).toHaveText('Klant is het niet eens met de uren');
    await expect(exception).toContainText(`De klant zegt: "${job.reason}"`);
    await expect(exception).toContainText('10:00–11:00');

    // scheduled in the job's week; the hour was logged yesterday, so it counts in yesterday's week
    const row = page.getByTestId('hours-table').getByRole('row').filter({ hasText: job.worker });
    await expect(row.getByRole('cell')).toHaveText(['1 uur', '0 uur', '0 uur']);

    // Keyboard: the skip link moves the focus to the exceptions; Tab reaches the job's link; Enter opens the job.
    await page.getByRole('link', { name: 'Naar wat u moet nakijken' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#nakijken')).toBeFocused();
    const link = exception.getByRole('link', { name: `Naar de klus bij ${job.household}` });
    await link.focus();
    await expect(link).toBeFocused();

    await expectAccessible(page, "dispatcher's week");
    await page.screenshot({ path: testInfo.outputPath('hours-week-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    await expectNoHorizontalScroll(page, "dispatcher's week at 360 px");
    // a phone gets a card per worker instead of the table
    await expect(page.getByTestId('hours-table')).toBeHidden();
    const card = page.getByTestId('hours-cards').getByRole('listitem').filter({ has: page.getByRole('heading', { name: job.worker }) });
    await expect(card.locator('dd')).toHaveText(['1 uur', '0 uur', '0 uur']);
    await expectAccessible(page, "dispatcher's week at 360 px");
    await page.screenshot({ path: testInfo.outputPath('hours-week-360.png') });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('hours-week-360-workers.png') });

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/planning/klus/${job.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tuindienst bij ${job.household}`);

    // the hour was logged yesterday: it counts in yesterday's week (still a phone: the cards)
    await page.goto(`/planning/uren?datum=${job.loggedOn}`);
    await expect(card.locator('dd')).toHaveText(['0 uur', '1 uur', '0 uur']);
  });

  test('moves from week to week', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    await page.goto('/planning/uren?week=2026-W53');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Uren van week 53: maandag 28 december tot en met zondag 3 januari 2027$/);
    await page.getByTestId('week-next').click();
    await expect(page).toHaveURL(/week=2027-W01$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Uren van week 1: maandag 4 januari tot en met zondag 10 januari 2027$/);
    await page.getByTestId('week-previous').click();
    await expect(page).toHaveURL(/week=2026-W53$/);
    await page.getByTestId('week-previous').click();
    await expect(page).toHaveURL(/week=2026-W52$/);
    // a week that does not exist: the current week instead
    await page.goto('/planning/uren?week=2027-W53');
    await expect(page.getByRole('link', { name: 'Deze week' })).toHaveAttribute('aria-current', 'page');
  });
});
