import { expect, test } from '@playwright/test';
import { PAGES, visit } from './pages';
import { expectNoHorizontalScroll } from './support';

test.describe('at 360 × 740 nothing scrolls sideways', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const target of PAGES) {
    test(target.name, async ({ page }) => {
      await visit(page, target);
      await expectNoHorizontalScroll(page, target.name);
    });
  }
});

test('landmarks, a skip link and large tap targets', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();

  // The first Tab lands on the skip link, which moves focus to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Ga naar de inhoud' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#inhoud$/);

  // Every link and button in the header and main content is at least 44 px high.
  const targets = page.locator('header a, header button, main a.button, main button');
  const count = await targets.count();
  expect(count).toBeGreaterThan(3);
  for (let i = 0; i < count; i++) {
    const box = await targets.nth(i).boundingBox();
    if (!box) continue;
    expect(box.height, `tap target ${i} (${await targets.nth(i).textContent()})`).toBeGreaterThanOrEqual(44);
  }
});

test('the base text size is at least 18 px', async ({ page }) => {
  await page.goto('/');
  const size = await page.locator('main p').first().evaluate((element) => Number.parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(element).fontSize));
  expect(size).toBeGreaterThanOrEqual(18);
});

test('with the real Content-Security-Policy the pages run without errors', async ({ browser }) => {
  const context = await browser.newContext({ bypassCSP: false });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));

  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.goto('/registreren');
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill('bewoner@example.nl');
  await page.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
  await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(/\/home$/);
  // A client-side navigation and an enhanced form: both need the app's JavaScript to run.
  await page.getByRole('navigation').getByRole('link', { name: 'Diensten' }).click();
  await expect(page).toHaveURL(/\/diensten$/);
  const form = page.locator('.calculator form');
  await form.getByLabel('Dienst').selectOption({ index: 1 });
  await form.getByRole('button').click();
  await expect(page.getByTestId('quote-total')).toBeVisible();
  await expect(page).toHaveURL(/\/diensten$/); // enhanced: no full page load to "?/bereken"
  expect(problems).toEqual([]);
  await context.close();
});
