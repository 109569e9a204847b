import { expect, test } from '@playwright/test';
import { htmlLang, logout, uniqueEmail } from './support';

test.describe('account', () => {
  test('a new Breda Noordoost resident registers, lands on home in Dutch, sees € 10,00 and logs out', async ({ page }) => {
    const email = uniqueEmail();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Hulp in en om uw huis');
    await page.getByRole('main').getByRole('link', { name: 'Account maken' }).click();
    await expect(page).toHaveURL(/\/registreren$/);

    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('Tuinbank-Zonnebloem-42');
    await page.getByLabel('Uw naam').fill('Fatima Bakker');
    await page.getByLabel('Telefoonnummer').fill('06 12345678');
    await page.getByLabel('Straat').fill('Dr. Struyckenstraat');
    await page.getByLabel('Huisnummer').fill('12');
    await page.getByLabel('Postcode').fill('4823 AB');
    await page.getByLabel('Plaats').fill('Breda');
    await page.getByRole('button', { name: 'Account maken' }).click();

    await expect(page).toHaveURL(/\/home$/);
    expect(await htmlLang(page)).toBe('nl');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hallo Fatima Bakker');
    await expect(page.getByRole('main')).toContainText('Breda Noordoost');
    await expect(page.getByRole('main').getByRole('link', { name: 'Een klus aanvragen' })).toHaveAttribute('href', '/boeken');

    await page.getByRole('navigation').getByRole('link', { name: 'Diensten' }).click();
    await expect(page).toHaveURL(/\/diensten$/);
    await expect(page.getByRole('main')).toContainText('Prijs per uur per medewerker. 1 dienstencheque = 1 uur van 1 medewerker.');
    await expect(page.locator('.price').first()).toContainText('€ 10,00');

    await logout(page);
    await expect(page.getByRole('status')).toHaveText('U bent uitgelogd.');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Inloggen' })).toBeVisible();
    // The session is really gone: a signed-in page sends us to the login page.
    await page.goto('/home');
    await expect(page).toHaveURL(/\/inloggen\?next=%2Fhome$/);
  });

  test('registering with a postcode outside the area shows a clear message and keeps what was typed', async ({ page }) => {
    const email = uniqueEmail('buiten');
    await page.goto('/registreren');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('Tuinbank-Zonnebloem-42');
    await page.getByLabel('Uw naam').fill('Jan Jansen');
    await page.getByLabel('Straat').fill('Damrak');
    await page.getByLabel('Huisnummer').fill('1');
    await page.getByLabel('Postcode').fill('1012 LG');
    await page.getByLabel('Plaats').fill('Amsterdam');
    await page.getByRole('button', { name: 'Account maken' }).click();

    const message = 'Uw postcode valt buiten het gebied van de Buurtservice.';
    await expect(page.locator('#field-postcode-error')).toContainText(message);
    await expect(page.getByRole('alert')).toContainText(message);
    await expect(page.getByLabel('Postcode')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('E-mailadres')).toHaveValue(email);
    await expect(page.getByLabel('Uw naam')).toHaveValue('Jan Jansen');
    await expect(page.getByLabel('Plaats')).toHaveValue('Amsterdam');
    await expect(page).toHaveURL(/\/registreren/);
  });

  test('the API\'s messages for a taken email address and a common password appear next to the field', async ({ page }) => {
    await page.goto('/registreren');
    await page.getByLabel('E-mailadres').fill('bewoner@example.nl');
    await page.getByLabel('Wachtwoord').fill('Tuinbank-Zonnebloem-42');
    await page.getByLabel('Uw naam').fill('Marja Jansen');
    await page.getByLabel('Straat').fill('Dr. Struyckenstraat');
    await page.getByLabel('Huisnummer').fill('12');
    await page.getByLabel('Postcode').fill('4823 AB');
    await page.getByLabel('Plaats').fill('Breda');
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect(page.locator('#field-email-error')).toContainText('Er is al een account met dit e-mailadres.');

    await page.getByLabel('E-mailadres').fill(uniqueEmail());
    await page.getByLabel('Wachtwoord').fill('wachtwoord123');
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect(page.locator('#field-password-error')).toContainText('Dit wachtwoord is te bekend.');
    await expect(page.locator('#field-email-error')).toHaveCount(0);
  });

  test('the form explains what is missing, without JavaScript too', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/registreren');
    await page.getByLabel('E-mailadres').fill('niet-een-adres');
    await page.getByLabel('Wachtwoord').fill('kort');
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect(page.locator('#field-password-error')).toContainText('minstens 8 tekens');
    await expect(page.locator('#field-email-error')).toContainText('Vul een goed e-mailadres in');
    await expect(page.locator('#field-displayName-error')).toContainText('Vul uw naam in.');
    await expect(page.getByLabel('E-mailadres')).toHaveValue('niet-een-adres');
    await expect(page).toHaveTitle(/^Fout: /);
    await context.close();
  });

  test('a wrong password gets a clear message', async ({ page }) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill('niemand@example.nl');
    await page.getByLabel('Wachtwoord').fill('verkeerd-wachtwoord');
    await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByRole('alert')).toContainText('E-mailadres of wachtwoord klopt niet.');
    await expect(page.getByLabel('E-mailadres')).toHaveValue('niemand@example.nl');
  });

  test('logging in and out works without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill('bewoner@example.nl');
    await page.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
    await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/home$/);
    await page.getByRole('navigation').getByRole('button', { name: 'Uitloggen' }).click();
    await expect(page).toHaveURL(/\/\?uitgelogd=1$/);
    await context.close();
  });

  test('the session cookies are httpOnly and SameSite=Lax', async ({ page, context }) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill('bewoner@example.nl');
    await page.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
    await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/home$/);
    const cookies = (await context.cookies()).filter((cookie) => cookie.name.startsWith('bs_'));
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['bs_access', 'bs_device', 'bs_refresh']);
    for (const cookie of cookies) {
      expect(cookie.httpOnly, cookie.name).toBe(true);
      expect(cookie.sameSite, cookie.name).toBe('Lax');
    }
  });

  test('after the access token is gone, the refresh token keeps the person signed in', async ({ page, context }) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill('bewoner@example.nl');
    await page.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
    await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/home$/);
    const before = await context.cookies();
    const refreshBefore = before.find((cookie) => cookie.name === 'bs_refresh')?.value;
    await context.clearCookies({ name: 'bs_access' });
    await page.goto('/diensten');
    await expect(page).toHaveURL(/\/diensten$/);
    const after = await context.cookies();
    expect(after.find((cookie) => cookie.name === 'bs_access')).toBeDefined();
    expect(after.find((cookie) => cookie.name === 'bs_refresh')?.value).not.toBe(refreshBefore);
  });

  test('two requests that refresh at the same moment do not end the session', async ({ page, context }) => {
    await page.goto('/inloggen');
    await page.getByLabel('E-mailadres').fill('bredapas@example.nl');
    await page.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
    await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/home$/);
    await context.clearCookies({ name: 'bs_access' });
    // Both carry the same single-use refresh token; reusing it would revoke the whole session.
    const [first, second] = await Promise.all([
      context.request.get('/home', { maxRedirects: 0 }),
      context.request.get('/diensten', { maxRedirects: 0 }),
    ]);
    expect([first.status(), second.status()]).toEqual([200, 200]);
    await page.goto('/diensten');
    await expect(page).toHaveURL(/\/diensten$/);
    await expect(page.locator('.price').first()).toContainText('€ 6,00');
  });
});
