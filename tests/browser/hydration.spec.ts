import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { amsterdamIso } from './pages';
import { amsterdamDay, API_URL, DEMO, idempotencyKey as key, login, newResidentWithCheques, signIn } from './support';

/**
 * Someone on a slow phone types or chooses before the page's JavaScript has loaded. When it has loaded,
 * Svelte hydrates the page: what was typed or chosen (a radio, a box, an option) must still be
 * there (and be sent), not be replaced by the value the server rendered.
 */

/** Marks `window.__routerStarted` once SvelteKit's router listens for form submits: the last step of its start, after hydration. */
const MARK_ROUTER_START = `
  (() => {
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, options) {
      if (type === 'submit' && this === document.documentElement) window.__routerStarted = true;
      return add.call(this, type, listener, options);
    };
  })();
`;

/**
 * Holds back the app's JavaScript until `release()`. `held` resolves once the page has asked for
 * it (so the page is there, without scripts).
 */
async function holdScripts(page: Page): Promise<{ held: Promise<void>; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  await page.addInitScript(MARK_ROUTER_START);
  await page.route('**/_app/immutable/**/*.js', async (route) => {
    markHeld();
    await released;
    await route.continue();
  });
  return { held, release };
}

/** Opens `path` with its JavaScript held back (see holdScripts): the server's page, not hydrated. */
async function openWithoutScripts(page: Page, path: string): Promise<{ release: () => void }> {
  const scripts = await holdScripts(page);
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  await scripts.held;
  return scripts;
}

async function expectNotStarted(page: Page): Promise<void> {
  expect(await page.evaluate('window.__routerStarted === true')).toBe(false);
}

async function loadScriptsAndHydrate(page: Page, release: () => void): Promise<void> {
  release();
  await page.waitForFunction('window.__routerStarted === true');
}


/** A new resident with cheques and a garden job of theirs in ten days at 10:00: the resident can move it. */
async function residentWithBooking(api: APIRequestContext): Promise<{ email: string; password: string; bookingId: string }> {
  const dispatcher = await signIn(api, DEMO.dispatcher);
  const tag = Math.random().toString(36).slice(2, 7);
  const resident = { email: `bewoner.hydratie.${tag}.${Date.now().toString(36)}@example.nl`, password: 'appelboom-gras-17' };
  const { householdId, headers: residentHeaders, gardenId } = await newResidentWithCheques(api, dispatcher, { ...resident, displayName: `Fam. Traag ${tag}`, cheques: 5 });
  const day = amsterdamDay(new Date(Date.now() + 10 * 24 * 60 * 60_000));
  const booking = await api.post(`${API_URL}/bookings`, {
    headers: { ...residentHeaders, 'idempotency-key': key() },
    data: { householdId, serviceId: gardenId, place: 'home', startsAt: amsterdamIso(day, '10:00'), durationMinutes: 120, workersNeeded: 1, contactPhone: '06 12345678' },
  });
  expect(booking.status(), await booking.text()).toBe(201);
  return { ...resident, bookingId: ((await booking.json()) as { booking: { id: string } }).booking.id };
}

test.describe('typing before the page has loaded its JavaScript', () => {
  // A first visit: no service worker that already keeps the scripts (it would also bypass `page.route`).
  test.use({ serviceWorkers: 'block' });

  test('the counter search keeps what the dispatcher typed and finds the household', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    const scripts = await openWithoutScripts(page, '/balie');

    const search = page.getByLabel('Zoek een huishouden');
    await search.focus();
    await page.keyboard.type('Vries');
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(search).toHaveValue('Vries');
    await expect(search).toBeFocused();

    await page.keyboard.press('Enter');
    // Focus on the results heading: the search went through the app's own (client-side) navigation.
    await expect(page.getByRole('heading', { name: 'Zoekresultaten' })).toBeFocused();
    await expect(page).toHaveURL(/\/balie\?q=Vries$/);
    await expect(page.getByTestId('household-results').getByRole('link', { name: 'Mevr. De Vries' })).toBeVisible();
  });

  test('the dispatch board date keeps what was typed', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    const scripts = await openWithoutScripts(page, '/planning');

    const date = page.locator('#field-datum');
    const shown = await date.inputValue();
    const typed = shown === '2030-01-07' ? '2030-01-14' : '2030-01-07';
    await date.fill(typed);
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(date).toHaveValue(typed);
  });

  test('the registration form keeps the address typed', async ({ page }) => {
    const scripts = await openWithoutScripts(page, '/registreren');

    await page.getByLabel('Straat').fill('Dr. Struyckenstraat');
    await page.getByLabel('Postcode').fill('4823 AB');
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(page.getByLabel('Straat')).toHaveValue('Dr. Struyckenstraat');
    await expect(page.getByLabel('Postcode')).toHaveValue('4823 AB');
  });

  test('moving a booking keeps the kind of time and the start time chosen', async ({ page, request }) => {
    const resident = await residentWithBooking(request);
    await login(page, resident.email, resident.password);
    const scripts = await openWithoutScripts(page, `/boekingen/${resident.bookingId}`);

    const time = page.getByLabel('Hoe laat beginnen?');
    await expect(page.getByLabel('Op een vaste dag en tijd')).toBeChecked();
    await expect(time).toHaveValue('10:00');
    await time.selectOption('13:00');
    await page.getByLabel('Het maakt niet uit, ergens in een week').check();
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(page.getByLabel('Het maakt niet uit, ergens in een week')).toBeChecked();
    await expect(page.getByLabel('Op een vaste dag en tijd')).not.toBeChecked();
    await expect(time).toHaveValue('13:00');
  });

  test('the counter keeps the way of paying, the pass check and the time to pay for', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    await page.goto('/balie?q=Vries');
    const household = new URL(
      (await page.getByTestId('household-results').getByRole('link', { name: 'Mevr. De Vries' }).getAttribute('href'))!,
      page.url(),
    ).pathname;
    const scripts = await openWithoutScripts(page, household);

    const cash = page.getByLabel('Contant', { exact: true });
    const pin = page.getByLabel('Pin', { exact: true });
    const verify = page.getByLabel('Ik heb de pas gezien en hij klopt');
    const minutes = page.getByLabel('Hoeveel tijd?');
    await expect(cash).not.toBeChecked();
    await expect(pin).not.toBeChecked();
    await expect(verify).not.toBeChecked();
    const shown = await minutes.inputValue();
    const options = await minutes.locator('option').evaluateAll((all) => all.map((option) => (option as unknown as { value: string }).value));
    const chosen = options.find((value) => value !== shown)!;

    await pin.check();
    await verify.check();
    await minutes.selectOption(chosen);
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(pin).toBeChecked();
    await expect(cash).not.toBeChecked();
    await expect(verify).toBeChecked();
    await expect(minutes).toHaveValue(chosen);
  });

  test("a worker's page keeps the active box and the kind of absence chosen", async ({ page }) => {
    await login(page, DEMO.dispatcher);
    await page.goto('/medewerkers');
    const worker = (await page.getByRole('main').getByRole('heading', { level: 2 }).getByRole('link').first().getAttribute('href'))!;
    const scripts = await openWithoutScripts(page, worker);

    const active = page.getByLabel('Actief: kan worden ingepland');
    const sick = page.getByLabel('Ziek', { exact: true });
    const wasActive = await active.isChecked();
    await expect(sick).not.toBeChecked();
    await active.setChecked(!wasActive);
    await sick.check();
    await expectNotStarted(page);

    await loadScriptsAndHydrate(page, scripts.release);
    await expect(active).toBeChecked({ checked: !wasActive });
    await expect(sick).toBeChecked();
  });
});
