import { expect, test, type Page } from '@playwright/test';
import { DEMO, login } from './support';

async function firstPrice(page: Page) {
  await page.goto('/diensten');
  return page.locator('.price').first();
}

test.describe('prices per customer', () => {
  test('an organisation pays € 15,00 per hour per worker', async ({ page }) => {
    await login(page, DEMO.organisation);
    await expect(await firstPrice(page)).toContainText('€ 15,00 per uur per medewerker');
    await expect(page.locator('.price')).not.toContainText(['€ 10,00']);
  });

  test('a resident with a verified BredaPas pays € 6,00', async ({ page }) => {
    await login(page, DEMO.bredapas);
    await expect(page.getByRole('main')).toContainText('BredaPas');
    await expect(await firstPrice(page)).toContainText('€ 6,00 per uur per medewerker');
  });

  test('staff see the services but no prices', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    await page.goto('/diensten');
    await expect(page.locator('.service').first()).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText('€');
    await expect(page.getByRole('main')).toContainText('Daarom ziet u hier geen prijzen.');
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`the price calculator works ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await login(page, DEMO.resident);
      await page.goto('/diensten');
      const form = page.locator('.calculator form');
      // Any service that takes one worker: 1 worker × 3 hours at € 10,00 = € 30,00.
      const services = await form.getByLabel('Dienst').locator('option').evaluateAll((options) =>
        options.map((option) => (option as unknown as { value: string }).value).filter(Boolean),
      );
      expect(services.length).toBeGreaterThan(0);
      let priced = false;
      for (const serviceId of services) {
        await page.goto('/diensten');
        await form.getByLabel('Dienst').selectOption(serviceId);
        await form.getByLabel('Aantal medewerkers').selectOption('1');
        await form.getByLabel('Aantal uren').selectOption('180');
        await form.getByRole('button', { name: 'Bereken de prijs' }).click();
        const outcome = page.getByTestId('quote-total').or(page.locator('#field-workers-error'));
        await expect(outcome).toBeVisible();
        if (await page.getByTestId('quote-total').isVisible()) {
          await expect(page.getByTestId('quote-total')).toContainText('€ 30,00');
          await expect(page.locator('.quote-result')).toContainText('Dat is 3 uur werk.');
          priced = true;
          break;
        }
        // This service needs more workers: the message says how many.
        await expect(page.locator('#field-workers-error')).toContainText('medewerkers');
      }
      expect(priced, 'no service could be priced for 1 worker').toBe(true);
      await context.close();
    });
  }
});
