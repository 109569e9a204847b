import { expect, test } from '@playwright/test';
import { DEMO, htmlLang, login } from './support';

test('the site starts in Dutch and the language switch changes it to English and back', async ({ page }) => {
  await page.goto('/');
  expect(await htmlLang(page)).toBe('nl');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(await htmlLang(page)).toBe('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help in and around your home, by people from the neighbourhood');

  // The choice sticks on the next page.
  await page.getByRole('navigation').getByRole('link', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/inloggen$/);
  expect(await htmlLang(page)).toBe('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in');

  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page).toHaveURL(/\/inloggen$/);
  expect(await htmlLang(page)).toBe('nl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
});

test('signed in, the catalogue and API messages follow the chosen language', async ({ page }) => {
  await login(page, DEMO.resident);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await page.getByRole('navigation').getByRole('link', { name: 'Services' }).click();
  await expect(page.getByRole('main')).toContainText('Price per hour per worker. 1 service voucher = 1 hour of 1 worker.');
  await expect(page.locator('.price').first()).toContainText('€10.00 per hour per worker');
});

test('the language switch works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/registreren');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/registreren$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create account');
  expect(await htmlLang(page)).toBe('en');
  await context.close();
});
