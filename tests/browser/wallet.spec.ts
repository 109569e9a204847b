import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, login, uniqueEmail, newHouseholdAtCounter } from './support';

/** A signed-in page in a browser context of its own (two people at once). */
async function signedIn(browser: Browser, email: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await login(page, email);
  return page;
}

/** The counter: search a household and open its page. */
async function openAtCounter(page: Page, query: string, name: string): Promise<void> {
  await page.goto('/balie');
  await page.getByLabel('Zoek een huishouden').fill(query);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/** Free minutes as the wallet summary shows them. */
async function freeMinutes(page: Page): Promise<number> {
  return Number(await page.getByTestId('balance-hours').getAttribute('data-minutes'));
}

function hoursText(minutes: number): string {
  return `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2 }).format(minutes / 60)} uur`;
}

async function sell(page: Page, cheques: number, method: 'Contant' | 'Pin'): Promise<void> {
  await page.getByLabel('Aantal dienstencheques').fill(String(cheques));
  await page.getByLabel(method, { exact: true }).check();
  await page.getByRole('button', { name: 'Verkopen', exact: true }).click();
}

async function expectPdf(page: Page, href: string | null): Promise<void> {
  expect(href).toBeTruthy();
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
}

test.describe('selling vouchers at the counter', () => {
  for (const { resident, household, query, total } of [
    { resident: DEMO.resident, household: 'Fam. Jansen', query: 'Jansen', total: '€ 50,00' },
    { resident: DEMO.bredapas, household: 'Fam. Yilmaz', query: '4824 AB 40', total: '€ 30,00' },
  ]) {
    test(`a dispatcher sells 5 cheques for cash to ${household} (${total}); the resident sees them in the wallet`, async ({ browser }) => {
      const dispatcher = await signedIn(browser, DEMO.dispatcher);
      await dispatcher.getByRole('link', { name: 'Cheques verkopen' }).click();
      await expect(dispatcher).toHaveURL(/\/balie$/);
      await openAtCounter(dispatcher, query, household);
      const before = await freeMinutes(dispatcher);

      await sell(dispatcher, 5, 'Contant');
      const done = dispatcher.getByTestId('sale-done');
      await expect(done).toContainText(`Verkocht: 5 dienstencheques voor ${total}, contant betaald.`);
      await expect(done).toBeFocused();
      await expect(dispatcher.getByTestId('receipt-number')).toHaveText(/^BN-\d{4}-\d{6}$/);
      await expect(dispatcher.getByTestId('balance-hours')).toHaveText(hoursText(before + 300));
      await expectPdf(dispatcher, await dispatcher.getByTestId('receipt-link').getAttribute('href'));
      // The form is empty again: the last sale is not sold twice by a second click.
      await expect(dispatcher.getByLabel('Aantal dienstencheques')).toHaveValue('');

      const page = await signedIn(browser, resident);
      await page.getByRole('link', { name: 'Mijn dienstencheques' }).click();
      await expect(page).toHaveURL(/\/portemonnee$/);
      await expect(page.getByTestId('balance-hours')).toHaveText(hoursText(before + 300));
      if (before === 0) await expect(page.getByTestId('balance-hours')).toHaveText('5 uur');
      await expect(page.getByTestId('balance-value')).toContainText('Waarde:');
      const latest = page.getByTestId('wallet-history').getByRole('listitem').first();
      await expect(latest).toHaveAttribute('data-kind', 'purchase');
      await expect(latest).toContainText('Gekocht');
      await expect(latest).toContainText('Vrij te gebruiken: +5 uur');
      await expect(latest).toContainText(`Bedrag: ${total}`);
      await expect(page.locator('.lot').first()).toContainText('Gekocht aan de balie');
    });
  }

  test('a sale made by mistake is undone with a reason, and a service is paid from the wallet — all without JavaScript', async ({ browser }) => {
    const page = await signedIn(browser, DEMO.dispatcher, { javaScriptEnabled: false });
    const name = `Mevr. Zonder-Js ${Date.now().toString(36)}`;
    await newHouseholdAtCounter(page, { name, resident: 'Anna Zonder-Js', houseNumber: 3 });
    await expect(page.getByRole('main')).toContainText(`${name} is aangemaakt.`);

    await sell(page, 3, 'Pin');
    await expect(page.getByTestId('sale-done')).toContainText('Verkocht: 3 dienstencheques voor € 30,00, met pin betaald.');
    await page.getByText('Verkeerd aangeslagen?').click();
    await page.getByLabel('Reden').fill('Verkeerd aantal aangeslagen');
    await page.getByRole('button', { name: 'Verkoop terugdraaien' }).click();
    await expect(page.getByTestId('sale-undone')).toContainText('Reden: Verkeerd aantal aangeslagen');
    await expect(page.getByTestId('balance-hours')).toHaveText('0 uur');

    await sell(page, 2, 'Contant');
    await expect(page.getByTestId('balance-hours')).toHaveText('2 uur');
    // Today's sales stay listed: the undone one says so, the new one can still be opened to undo.
    const today = page.getByTestId('sales-today').getByRole('listitem');
    await expect(today).toHaveCount(2);
    await expect(today.nth(0)).toContainText('2 dienstencheques voor € 20,00');
    await expect(today.nth(0)).toContainText('Klik op het bonnummer om dit terug te draaien.');
    await expect(today.nth(1)).toContainText('Teruggedraaid.');
    await page.getByLabel('Hoeveel tijd?').selectOption({ label: '1,5 uur' });
    await page.getByLabel('Welke dienst?').fill('Strijkservice');
    await page.getByRole('button', { name: 'Afrekenen' }).click();
    await expect(page.getByTestId('redeem-done')).toContainText('Afgerekend: 1,5 uur van de dienstencheques (€ 15,00).');
    await expect(page.getByTestId('balance-hours')).toHaveText('0,5 uur');

    // More than is left: all or nothing, with a clear message.
    await page.getByLabel('Hoeveel tijd?').selectOption({ label: '1 uur' });
    await page.getByRole('button', { name: 'Afrekenen' }).click();
    await expect(page.getByRole('alert')).toContainText('Er staan niet genoeg dienstencheques in de portemonnee.');
    await page.goto(page.url().split('?')[0]!);
    await expect(page.getByTestId('balance-hours')).toHaveText('0,5 uur');
    await page.context().close();
  });

  test('the same form sent twice (a double click, a retry) sells once', async ({ browser, baseURL }) => {
    const page = await signedIn(browser, DEMO.dispatcher, { javaScriptEnabled: false });
    const name = `Fam. Dubbelklik ${Date.now().toString(36)}`;
    await newHouseholdAtCounter(page, { name, resident: 'Dirk Dubbelklik', houseNumber: 5 });
    const householdUrl = page.url().split('?')[0]!;

    const form = page.locator('form[action="?/verkopen"]');
    const key = await form.locator('input[name="idempotencyKey"]').inputValue();
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,}$/);
    const post = () =>
      page.request.post(`${householdUrl}?/verkopen`, {
        form: { idempotencyKey: key, cheques: '4', paymentMethod: 'cash' },
        // As a browser without JavaScript sends it (with `*/*`, SvelteKit would answer as to `use:enhance`).
        headers: { origin: new URL(baseURL!).origin, accept: 'text/html' },
        maxRedirects: 0,
      });
    const [first, second] = await Promise.all([post(), post()]);
    expect([first.status(), second.status()]).toEqual([303, 303]);
    // Both answers lead to the same sale.
    expect(first.headers().location).toBe(second.headers().location);
    await page.goto(householdUrl);
    await expect(page.getByTestId('balance-hours')).toHaveText('4 uur');
    await page.context().close();
  });

  test('the counter is usable with the keyboard alone', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    await page.goto('/balie');
    await page.getByLabel('Zoek een huishouden').focus();
    await page.keyboard.type('Vries');
    await page.keyboard.press('Enter');
    // The results are announced and read first; the first household is the next Tab stop.
    await expect(page.getByRole('heading', { name: 'Zoekresultaten' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Mevr. De Vries' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mevr. De Vries');

    // The in-page links jump to the sale form.
    await page.getByRole('navigation', { name: 'Op deze pagina' }).getByRole('link', { name: 'Cheques verkopen' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Cheques verkopen', level: 2 })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Aantal dienstencheques')).toBeFocused();
    await page.keyboard.type('2');
    await expect(page.getByTestId('live-total').first()).toContainText('2 × € 10,00 = € 20,00');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Contant', { exact: true })).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Verkopen', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sale-done')).toBeFocused();
    await expect(page.getByTestId('sale-done')).toContainText('Verkocht: 2 dienstencheques voor € 20,00, contant betaald.');
  });
});

test('an organisation orders 20 hours (€ 363,00 with 21% VAT); after the admin records the payment its wallet has 20 hours', async ({ browser }) => {
  const member = await signedIn(browser, DEMO.organisation);
  await member.getByRole('link', { name: 'Uren inkopen' }).click();
  await expect(member).toHaveURL(/\/organisatie\/bestellen$/);
  await member.getByLabel('Hoeveel uren wilt u inkopen?').fill('20');
  await member.getByRole('button', { name: 'Bekijk de bestelling' }).click();
  await expect(member.getByTestId('order-net')).toHaveText('€ 300,00');
  await expect(member.getByTestId('order-vat')).toHaveText('€ 63,00');
  await expect(member.getByTestId('order-total')).toHaveText('€ 363,00');
  await expect(member.getByTestId('order-preview')).toContainText('Btw 21%');
  await member.getByRole('button', { name: 'Bestelling plaatsen' }).click();

  const placed = member.getByTestId('order-placed');
  await expect(placed).toContainText('Uw bestelling is geplaatst.');
  await expect(placed).toContainText('€ 363,00');
  const number = (await placed.innerText()).match(/F\d{4}-\d{5}/)?.[0];
  expect(number).toBeTruthy();
  const invoice = member.locator(`[data-testid="invoice"][data-number="${number}"]`);
  await expect(invoice).toHaveAttribute('data-status', 'open');
  await expect(invoice.getByTestId('invoice-total')).toHaveText('€ 363,00');
  await expectPdf(member, await invoice.getByTestId('invoice-pdf').getAttribute('href'));
  await member.goto('/portemonnee');
  const before = await freeMinutes(member);

  const admin = await signedIn(browser, DEMO.admin);
  await admin.getByRole('link', { name: 'Facturen van organisaties' }).click();
  await expect(admin).toHaveURL(/\/beheer\/facturen$/);
  await admin.getByRole('button', { name: `Betaling ontvangen voor factuur ${number}` }).click();
  await expect(admin.getByTestId('payment-recorded')).toHaveText(`Factuur ${number} is betaald. 20 uur staat nu in de portemonnee van Woonstichting Noordoost.`);
  await expect(admin.locator(`[data-testid="invoice"][data-number="${number}"]`)).toHaveAttribute('data-status', 'paid');

  await member.reload();
  await expect(member.getByTestId('balance-hours')).toHaveText(hoursText(before + 1200));
  if (before === 0) await expect(member.getByTestId('balance-hours')).toHaveText('20 uur');
  await expect(member.getByTestId('wallet-history').getByRole('listitem').first()).toContainText('Vrij te gebruiken: +20 uur');
  await member.goto('/organisatie/facturen');
  await expect(member.locator(`[data-testid="invoice"][data-number="${number}"]`)).toHaveAttribute('data-status', 'paid');
});

test('without online payment the buy page says where to buy at the counter', async ({ page }) => {
  await login(page, DEMO.resident);
  await page.goto('/portemonnee');
  await page.getByRole('link', { name: 'Cheques kopen' }).click();
  await expect(page).toHaveURL(/\/portemonnee\/kopen$/);
  await expect(page.getByTestId('price-per-cheque')).toHaveText('U betaalt € 10,00 per dienstencheque.');
  await expect(page.getByTestId('online-unavailable')).toHaveText('Online betalen kan hier nog niet.');
  await expect(page.getByTestId('service-point')).toContainText('Werk aan de Wijk, Wisselaan 4, 4823 JA Breda');
  await expect(page.getByRole('button', { name: 'Naar betalen' })).toHaveCount(0);
  // A page of older history with a broken cursor: an empty page with the way back, not an error.
  await page.goto('/portemonnee?eerder=onzin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn dienstencheques');
  await expect(page.getByRole('link', { name: 'Naar de nieuwste bewegingen' })).toBeVisible();
  await expect(page.getByTestId('history-older')).toHaveCount(0);
});

test('a resident registers a city pass; a dispatcher checks it; then the resident pays the low price', async ({ browser }) => {
  const name = `Pas Houder ${Date.now().toString(36)}`;
  const resident = await browser.newContext().then((c) => c.newPage());
  await resident.goto('/registreren');
  await resident.getByLabel('E-mailadres').fill(uniqueEmail('pas'));
  await resident.getByLabel('Wachtwoord').fill('Tuinbank-Zonnebloem-42');
  await resident.getByLabel('Uw naam').fill(name);
  await resident.getByLabel('Straat').fill('Geerenweg');
  await resident.getByLabel('Huisnummer').fill('9');
  await resident.getByLabel('Postcode').fill('4824 AB');
  await resident.getByLabel('Plaats').fill('Breda');
  await resident.getByRole('button', { name: 'Account maken' }).click();
  await expect(resident).toHaveURL(/\/home$/);

  await resident.getByRole('link', { name: 'Mijn stadspas' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Mijn BredaPas');
  await expect(resident.getByTestId('pass-status')).toHaveAttribute('data-state', 'none');
  await resident.getByLabel('Nummer van uw pas').fill('BP-2027-123456');
  await resident.getByLabel('Geldig tot en met').fill('31-12-2030');
  await resident.getByRole('button', { name: 'Opslaan' }).click();
  await expect(resident.getByTestId('pass-saved')).toContainText('Uw BredaPas is opgeslagen.');
  await expect(resident.getByTestId('pass-status')).toHaveAttribute('data-state', 'waiting');
  await expect(resident.getByTestId('pass-status')).toContainText('Wij moeten uw BredaPas nog controleren.');
  await expect(resident.getByTestId('pass-status')).toContainText('Wisselaan 4');

  const dispatcher = await signedIn(browser, DEMO.dispatcher);
  await openAtCounter(dispatcher, name, name);
  await expect(dispatcher.getByTestId('counter-pass')).toContainText('BredaPas BP-2027-123456 is ingevuld, maar nog niet gecontroleerd.');
  await expect(dispatcher.getByTestId('counter-price')).toHaveText('Prijs: € 10,00 per dienstencheque.');
  await dispatcher.getByRole('button', { name: 'De pas klopt: controle gedaan' }).click();
  await expect(dispatcher.getByTestId('pass-done')).toContainText('Dit huishouden betaalt nu het lage tarief.');
  await expect(dispatcher.getByTestId('counter-pass')).toContainText('is gecontroleerd. Geldig tot en met 31 december 2030.');
  await expect(dispatcher.getByTestId('counter-price')).toHaveText('Prijs: € 6,00 per dienstencheque (tarief met BredaPas).');

  await resident.reload();
  await expect(resident.getByTestId('pass-status')).toHaveAttribute('data-state', 'verified');
  await expect(resident.getByTestId('pass-status')).toContainText('U betaalt het lage tarief tot en met 31 december 2030.');
});

test('staff enter and verify a city pass in one step; a date in the past is refused', async ({ page }) => {
  await login(page, DEMO.dispatcher);
  const name = `Fam. Balie ${Date.now().toString(36)}`;
  await newHouseholdAtCounter(page, { name, resident: 'Bea Balie', houseNumber: 7 });

  await page.getByLabel('Nummer van de pas').fill('BP-2026-000777');
  await page.getByLabel('Geldig tot en met').fill('01-01-2020');
  await page.getByRole('button', { name: 'Pas opslaan' }).click();
  await expect(page.locator('#field-expiresOn-error')).toContainText('Deze stadspas is verlopen.');
  await page.getByLabel('Geldig tot en met').fill('30-06-2031');
  await page.getByLabel('Ik heb de pas gezien en hij klopt').check();
  await page.getByRole('button', { name: 'Pas opslaan' }).click();
  await expect(page.getByTestId('pass-done')).toContainText('Dit huishouden betaalt nu het lage tarief.');
  await expect(page.getByTestId('counter-pass')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('counter-price')).toContainText('€ 6,00');
});

test('a payment that does not exist is "not found", and other people\'s pages are closed', async ({ page }) => {
  await login(page, DEMO.resident);
  const missing = await page.goto('/portemonnee/betaling/00000000-0000-4000-8000-000000000000');
  expect(missing?.status()).toBe(404);
  const counter = await page.goto('/balie');
  expect(counter?.status()).toBe(403);
  const invoices = await page.goto('/beheer/facturen');
  expect(invoices?.status()).toBe(403);
  const receipt = await page.request.get('/balie/kassabon/00000000-0000-4000-8000-000000000000');
  expect(receipt.status()).toBe(403);
});
