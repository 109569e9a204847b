import { expect, test, type Page } from '@playwright/test';
import { DEMO, login } from './support';

/**
 * Someone on a slow phone types before the page's JavaScript has loaded. When it has loaded,
 * Svelte hydrates the page: what was typed must still be there (and be sent), not be replaced by
 * the value the server rendered.
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
});
