import { expect, test, type Browser, type Page } from '@playwright/test';
import { pdfText } from '../support/pdf';
import { createGardenJob, futureTuesday } from './pages';
import { DEMO, DEMO_PASSWORD, expectAccessible, expectNoHorizontalScroll, login } from './support';

/** The API of the app under test: the worker is made straight through it. */
const API_URL = process.env.BROWSER_API_URL ?? `http://127.0.0.1:${process.env.BROWSER_API_PORT ?? 3101}`;
const PASSWORD = 'zonnebloem-tuin-42';

/** A worker of their own per test (with a login), coached by the demo dispatcher. */
async function newCoachedWorker(page: Page): Promise<{ id: string; name: string; email: string }> {
  const signIn = await page.request.post(`${API_URL}/auth/login`, { data: { email: DEMO.dispatcher, password: DEMO_PASSWORD } });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  const headers = { authorization: `Bearer ${((await signIn.json()) as { accessToken: string }).accessToken}` };
  const me = (await (await page.request.get(`${API_URL}/me`, { headers })).json()) as { id: string };
  const suffix = Math.random().toString(36).slice(2, 7);
  const name = `Noor Ervaring ${suffix}`;
  const email = `ervaring.${suffix}.${Date.now().toString(36)}@example.nl`;
  const res = await page.request.post(`${API_URL}/workers`, {
    headers, data: { displayName: name, email, password: PASSWORD, contract: 'volunteer', startedOn: '2026-09-01', coachId: me.id, skills: [{ skill: 'tuin', level: 'learning' }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { id: ((await res.json()) as { id: string }).id, name, email };
}

async function signedIn(browser: Browser, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await login(page, email, password);
  return page;
}

test('a coach adds a certificate and sets the trajectory; the worker sees them and downloads the statement', async ({ browser }, testInfo) => {
  // two people, two accessibility scans and a PDF: more than the default 30 s on a busy machine
  test.setTimeout(90_000);
  const coach = await signedIn(browser, DEMO.dispatcher);
  const worker = await newCoachedWorker(coach);

  // The coach finds the record from the worker's page.
  await coach.goto(`/medewerkers/${worker.id}`);
  await coach.getByTestId('worker-experience-link').click();
  await expect(coach.getByRole('heading', { level: 1 })).toHaveText(`Werkervaring van ${worker.name}`);
  await expect(coach.getByText('Nog geen bevestigde uren.')).toBeVisible();

  // A certificate: an empty form says what is missing, then it is added.
  await coach.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(coach.getByRole('alert')).toContainText('Vul de naam van het certificaat in.');
  await coach.getByLabel('Naam van het certificaat').fill('VCA Basisveiligheid');
  await coach.getByLabel('Uitgegeven door').fill('Groencollege Breda');
  await coach.getByLabel('Datum').fill('2026-10-12');
  await coach.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(coach.getByTestId('saved')).toHaveText('Het certificaat is toegevoegd.');
  await expect(coach.getByTestId('experience-certificates')).toContainText('VCA Basisveiligheid');
  await expect(coach.getByTestId('experience-certificates')).toContainText('Van Groencollege Breda, 12 oktober 2026');

  await coach.getByLabel('Aan het werk met loonsubsidie').check();
  await coach.getByLabel('Toelichting').fill('Start bij de groenvoorziening.');
  await coach.getByRole('button', { name: 'Opslaan' }).click();
  await expect(coach.getByTestId('experience-status')).toHaveText('Aan het werk met loonsubsidie');
  await expectAccessible(coach, 'work experience (coach)');
  await coach.setViewportSize({ width: 360, height: 780 });
  await expectNoHorizontalScroll(coach, 'work experience (coach) at 360 px');
  await coach.screenshot({ path: testInfo.outputPath('experience-coach-360.png'), fullPage: true });

  // The worker sees the same record and downloads the statement.
  const own = await signedIn(browser, worker.email, PASSWORD);
  await own.setViewportSize({ width: 360, height: 780 });
  await own.goto('/home');
  await own.getByRole('link', { name: /Mijn ontwikkeling/ }).click();
  await expect(own).toHaveURL(/\/werk\/ervaring$/);
  await expect(own.getByRole('heading', { level: 1 })).toHaveText('Mijn werkervaring');
  await expect(own.getByTestId('experience-certificates')).toContainText('VCA Basisveiligheid');
  await expect(own.getByTestId('experience-status')).toHaveText('Aan het werk met loonsubsidie');
  await expect(own.getByText('Start bij de groenvoorziening.')).toBeVisible();
  // a worker cannot change it: no forms
  await expect(own.getByRole('button', { name: 'Toevoegen' })).toHaveCount(0);
  await expectNoHorizontalScroll(own, 'my work experience at 360 px');
  await expectAccessible(own, 'my work experience');
  await own.screenshot({ path: testInfo.outputPath('experience-worker-360.png'), fullPage: true });

  const [download] = await Promise.all([own.waitForEvent('download'), own.getByTestId('experience-pdf').click()]);
  expect(download.suggestedFilename()).toMatch(/^werkervaring-noor-ervaring-[a-z0-9]+\.pdf$/);
  const text = await pdfText(Buffer.from(await (await own.request.get('/werk/ervaring/verklaring.pdf')).body()));
  expect(text).toContain('Verklaring van werkervaring');
  expect(text).toContain(worker.name);
  expect(text).toContain('Gewerkte uren in totaal: 0 uur');
  expect(text).toContain('VCA Basisveiligheid');
});

test('a worker makes a private calendar link, the calendar app reads it without login, and stopping it ends it', async ({ browser }) => {
  const coach = await signedIn(browser, DEMO.dispatcher);
  const worker = await newCoachedWorker(coach);
  const own = await signedIn(browser, worker.email, PASSWORD);
  await own.goto('/werk/ervaring');
  await expect(own.getByTestId('feed-status')).toHaveText('U heeft nog geen agenda-link.');
  await own.getByRole('button', { name: 'Agenda-link maken' }).click();
  await expect(own.getByTestId('feed-made')).toBeVisible();
  const feedUrl = await own.getByTestId('feed-url').inputValue();
  expect(feedUrl).toMatch(/\/agenda\/[A-Za-z0-9_-]{43}\.ics$/);
  expect(new URL(feedUrl).origin).toBe(new URL(own.url()).origin);
  await expectAccessible(own, 'my work experience with a calendar link');

  // A calendar app: no cookies.
  const app = await browser.newContext();
  const feed = await app.request.get(feedUrl);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');

  await own.goto('/werk/ervaring');
  await own.getByRole('button', { name: 'Agenda-link stoppen' }).click();
  await expect(own.getByTestId('feed-revoked')).toHaveText('De agenda-link werkt niet meer.');
  expect((await app.request.get(feedUrl)).status()).toBe(404);
  await app.close();
});

test('a booking page offers it as an .ics file for a calendar', async ({ browser }) => {
  // A job of a fresh household, opened by the dispatcher who booked it by phone (the customer's own
  // access to the file is tested against the API).
  const dispatcher = await signedIn(browser, DEMO.dispatcher);
  const job = await createGardenJob(dispatcher, { day: futureTuesday(), start: '13:00', minutes: 60, workers: 1 });
  await dispatcher.goto(`/boekingen/${job.id}`);
  const link = dispatcher.getByTestId('booking-ics');
  await expect(link).toHaveText('Zet in mijn agenda');
  const [download] = await Promise.all([dispatcher.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(`klus-${job.id.slice(0, 8)}.ics`);
  const ics = await (await dispatcher.request.get(`/boekingen/${job.id}/agenda.ics`)).text();
  expect(ics).toContain('BEGIN:VTIMEZONE');
  expect(ics).toContain(`DTSTART;TZID=Europe/Amsterdam:${job.day.replace(/-/g, '')}T130000`);
});
