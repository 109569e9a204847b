/**
 * Booking a job (issue 4): the wizard, my bookings, a weekly series, booking on behalf, cancelling.
 *
 * The demo wallets of Fam. Jansen and Fam. Yilmaz are counted by wallet.spec.ts, which sells them
 * 5 cheques (300 minutes) at the same time as these tests run. Every job booked for them here
 * needs 6 cheques (2 workers × 3 hours), and the organisation's job more than the 20 hours it
 * orders there, so a purchase there never pays for a job here (that would change the balance that
 * test checks); every test cancels what it booked.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, login, newHouseholdAtCounter } from './support';

async function signedIn(browser: Browser, email: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await login(page, email);
  return page;
}

/** A day `days` from now as YYYY-MM-DD (the date picker's value). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** Euro as the site writes it, with any kind of space after the sign. */
function euro(amount: string): RegExp {
  return new RegExp(`€\\s${amount}`);
}

interface Job {
  service: RegExp;
  date: string;
  time: string;
  repeat?: 'Eén keer' | 'Elke week' | 'Elke 2 weken' | 'Elke 4 weken';
  workers: number;
  hours: number;
  notes?: string;
}

/** Steps 1 to 3 of the wizard, ending on the price (step 4). */
async function chooseJob(page: Page, job: Job): Promise<void> {
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 1 van 5: Dienst');
  await page.getByRole('radio', { name: job.service }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();

  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 2 van 5: Wanneer');
  await page.getByLabel('Op een vaste dag en tijd').check();
  await page.getByLabel('Welke dag?', { exact: true }).fill(job.date);
  await page.getByLabel('Hoe laat beginnen?').selectOption(job.time);
  await page.getByLabel(job.repeat ?? 'Eén keer', { exact: true }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();

  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 3 van 5: De klus');
  await page.getByLabel('Hoe lang duurt de klus?').selectOption(String(job.hours * 60));
  await page.getByRole('group', { name: 'Hoeveel medewerkers zijn nodig?' }).getByLabel(String(job.workers), { exact: true }).check();
  if (job.notes) await page.getByLabel('Wat moeten de medewerkers weten?').fill(job.notes);
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 4 van 5: Prijs');
}

/** From the price (step 4) over the summary (step 5) to "booked"; the new booking's id. */
async function confirmJob(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 5 van 5: Controleren');
  await page.getByRole('button', { name: 'Klus aanvragen' }).click();
  await expect(page).toHaveURL(/\/boeken\/klaar\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('booking-done')).toBeVisible();
  return page.url().split('/').pop()!;
}

/** Cancels a booking from its page (only this time, or this and every later one of its series). */
/** On a booking's page: moves the job to a fixed day and time, and sees that it was moved. */
async function moveJob(page: Page, date: string, time: string): Promise<void> {
  await page.getByLabel('Op een vaste dag en tijd').check();
  await page.getByLabel('Welke dag?', { exact: true }).fill(date);
  await page.getByLabel('Hoe laat beginnen?').selectOption(time);
  await page.getByRole('button', { name: 'Klus verzetten' }).click();
  await expect(page.getByTestId('booking-rescheduled')).toBeVisible();
}

async function cancel(page: Page, bookingId: string, scope?: 'Alleen deze keer' | 'Deze keer en alle keren hierna'): Promise<void> {
  await page.goto(`/boekingen/${bookingId}`);
  await page.getByTestId('cancel-start').click();
  await expect(page.getByRole('heading', { name: 'Weet u zeker dat u wilt afzeggen?' })).toBeVisible();
  if (scope) await page.getByLabel(scope).check();
  await page.getByRole('button', { name: 'Ja, klus afzeggen' }).click();
  await expect(page.getByTestId('booking-cancelled')).toBeVisible();
  await expect(page.getByTestId('booking-state')).toHaveText('Afgezegd');
}

test('a resident books a garden job for 2 workers for 3 hours, sees € 60 before confirming, and finds it in my bookings', async ({ page }) => {
  await login(page, DEMO.resident);
  await page.getByRole('link', { name: 'Een klus aanvragen' }).click();
  await expect(page).toHaveURL(/\/boeken$/);
  const date = dayFromNow(20);
  await chooseJob(page, { service: /^Tuindienst/, date, time: '10:00', workers: 2, hours: 3, notes: 'De poort zit aan de achterkant. Wij hebben een hond.' });

  await expect(page.getByTestId('price-sum')).toContainText(/2 medewerkers × 3 uur × €\s10,00 = €\s60,00/);
  await expect(page.getByTestId('price-total')).toHaveText(euro('60,00'));
  await expect(page.getByTestId('price-reserve')).toContainText('6 dienstencheques');
  await expect(page.getByTestId('price-balance')).toContainText('U heeft nu');

  // The back link keeps what was chosen.
  await page.getByTestId('wizard-back').click();
  await expect(page.getByLabel('Hoe lang duurt de klus?')).toHaveValue('180');
  await expect(page.getByRole('group', { name: 'Hoeveel medewerkers zijn nodig?' }).getByLabel('2', { exact: true })).toBeChecked();
  await page.getByRole('button', { name: 'Volgende stap' }).click();

  await page.getByRole('link', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('summary-service')).toHaveText('Tuindienst');
  await expect(page.getByTestId('summary-when')).toContainText('10:00–13:00');
  await expect(page.getByTestId('summary-workers')).toHaveText('2 medewerkers');
  await expect(page.getByTestId('summary-place')).toContainText('Wisselaan 12');
  await expect(page.getByTestId('summary-price')).toHaveText(euro('60,00'));
  await page.getByRole('button', { name: 'Klus aanvragen' }).click();
  await expect(page).toHaveURL(/\/boeken\/klaar\/[0-9a-f-]{36}$/);
  const bookingId = page.url().split('/').pop()!;
  await expect(page.getByTestId('booking-done')).toContainText('Tuindienst');
  await expect(page.getByRole('heading', { name: 'Wat gebeurt er nu?' })).toBeVisible();
  // The demo household has fewer than 6 cheques: the job waits, and the page says what to do.
  await expect(page.getByTestId('done-short')).toBeVisible();
  await expect(page.getByTestId('done-short').getByRole('link', { name: 'Dienstencheques kopen' })).toHaveAttribute('href', '/portemonnee/kopen');

  await page.getByRole('link', { name: 'Naar mijn klussen' }).click();
  const card = page.locator(`[data-booking-id="${bookingId}"]`);
  await expect(card).toBeVisible();
  await expect(page.getByTestId('bookings-komend').locator(`[data-booking-id="${bookingId}"]`)).toBeVisible();
  await expect(card).toContainText('10:00–13:00');
  await expect(card.getByTestId('booking-state')).toHaveText('Wacht op dienstencheques');
  await expect(card.getByTestId('booking-team')).toHaveText('Nog niet bekend');

  // The detail page explains what changing and cancelling cost before anything is done.
  await card.getByRole('link').click();
  await expect(page.getByTestId('free-until')).toContainText('kosten wijzigen en afzeggen niets. Daarna kost afzeggen 1 uur per medewerker.');
  await cancel(page, bookingId);
  await expect(page.getByTestId('booking-cancelled')).toContainText('Het afzeggen kostte niets.');
});

test('a resident with a verified BredaPas pays the low rate: € 36 for the same job, without JavaScript', async ({ browser }) => {
  const page = await signedIn(browser, DEMO.bredapas, { javaScriptEnabled: false });
  await page.goto('/boeken');
  await chooseJob(page, { service: /^Tuindienst/, date: dayFromNow(21), time: '13:30', workers: 2, hours: 3 });
  await expect(page.getByTestId('price-sum')).toContainText(/2 medewerkers × 3 uur × €\s6,00 = €\s36,00/);
  await expect(page.getByTestId('price-total')).toHaveText(euro('36,00'));
  await expect(page.getByRole('main')).toContainText('lage tarief');
  const bookingId = await confirmJob(page);

  // A second post of the same form (a double click, the back button) books nothing new.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/boeken/klaar/${bookingId}$`));

  await page.goto('/boekingen');
  await expect(page.locator(`[data-booking-id="${bookingId}"]`)).toHaveCount(1);
  await cancel(page, bookingId);
});

test('a weekly job makes a series; cancelling "this and all later times" ends it', async ({ page }) => {
  await login(page, DEMO.resident);
  await page.goto('/boeken?opnieuw=1');
  await chooseJob(page, { service: /^Tuindienst/, date: dayFromNow(22), time: '09:00', repeat: 'Elke week', workers: 2, hours: 3 });
  await expect(page.getByRole('main')).toContainText('Dit is de prijs voor 1 keer.');
  await expect(page.getByTestId('price-reserve')).toContainText('Voor elke keer');
  await page.getByRole('link', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('summary-often')).toHaveText('Elke week');
  await expect(page.getByTestId('summary-price')).toContainText('per keer');
  await page.getByRole('button', { name: 'Klus aanvragen' }).click();
  await expect(page).toHaveURL(/\/boeken\/klaar\/[0-9a-f-]{36}$/);
  const firstId = page.url().split('/').pop()!;
  await expect(page.getByTestId('done-series')).toContainText('Elke week');

  await page.goto('/boekingen');
  const series = page.getByTestId('bookings-komend').locator('[data-testid=booking-card]', { has: page.getByTestId('booking-series') });
  expect(await series.count()).toBeGreaterThan(1);
  await expect(page.locator(`[data-booking-id="${firstId}"]`).getByTestId('booking-series')).toBeVisible();

  await cancel(page, firstId, 'Deze keer en alle keren hierna');
  await page.goto('/boekingen');
  await expect(page.getByTestId('bookings-komend').locator(`[data-booking-id="${firstId}"]`)).toHaveCount(0);
});

test('a dispatcher books on behalf of a household from the counter, moves the job, and cancels it', async ({ page }) => {
  await login(page, DEMO.dispatcher);
  const name = `Dhr. Belt-Niet ${Date.now().toString(36)}`;
  await newHouseholdAtCounter(page, { name, resident: 'Piet Belt-Niet', houseNumber: 5 });

  // Enough cheques for the job: it is held at once and can be planned (and moved).
  await page.getByLabel('Aantal dienstencheques').fill('6');
  await page.getByLabel('Contant', { exact: true }).check();
  await page.getByRole('button', { name: 'Verkopen', exact: true }).click();
  await expect(page.getByTestId('sale-done')).toBeVisible();

  await page.getByTestId('book-for-household').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Een klus aanvragen voor ${name}`);
  await expect(page.getByTestId('on-behalf')).toContainText(name);
  await chooseJob(page, { service: /^Tuindienst/, date: dayFromNow(23), time: '11:00', workers: 2, hours: 3 });
  await expect(page.getByTestId('price-total')).toHaveText(euro('60,00'));
  await expect(page.getByTestId('price-balance')).toContainText(`${name} heeft nu 6 dienstencheques`);
  await expect(page.getByTestId('price-balance')).toContainText('Dat is genoeg voor deze klus.');
  const bookingId = await confirmJob(page);
  await expect(page.getByTestId('done-title')).toHaveText('Uw klus is aangevraagd');
  await expect(page.getByTestId('done-short')).toHaveCount(0);

  await page.getByRole('link', { name: 'Alle klussen van dit huishouden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Klussen van ${name}`);
  const card = page.locator(`[data-booking-id="${bookingId}"]`);
  await expect(card.getByTestId('booking-state')).toHaveText('Wij zoeken medewerkers');

  // Moved to another day and time.
  await card.getByRole('link').click();
  await moveJob(page, dayFromNow(25), '14:00');
  await expect(page.getByTestId('booking-when')).toContainText('14:00–17:00');

  await cancel(page, bookingId);
  await expect(page.getByTestId('booking-cancelled')).toContainText('Het afzeggen kostte niets.');
});

test('a job that waits for cheques can be moved to another day; it keeps waiting there until cheques are bought', async ({ page }) => {
  await login(page, DEMO.dispatcher);
  const name = `Mevr. Wacht-Even ${Date.now().toString(36)}`;
  await newHouseholdAtCounter(page, { name, resident: 'Wil Wacht-Even', houseNumber: 9 });
  const household = page.url();

  // No cheques yet: the job waits for them.
  await page.getByTestId('book-for-household').click();
  await chooseJob(page, { service: /^Tuindienst/, date: dayFromNow(22), time: '10:00', workers: 2, hours: 3 });
  const bookingId = await confirmJob(page);
  await page.goto(`/boekingen/${bookingId}`);
  await expect(page.getByTestId('booking-state')).toHaveText('Wacht op dienstencheques');

  await moveJob(page, dayFromNow(24), '13:00');
  await expect(page.getByTestId('booking-when')).toContainText('13:00–16:00');
  await expect(page.getByTestId('booking-state')).toHaveText('Wacht op dienstencheques');

  // Six cheques at the counter: the job moves on by itself, at its new time.
  await page.goto(household);
  await page.getByLabel('Aantal dienstencheques').fill('6');
  await page.getByLabel('Contant', { exact: true }).check();
  await page.getByRole('button', { name: 'Verkopen', exact: true }).click();
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await page.goto(`/boekingen/${bookingId}`);
  await expect(page.getByTestId('booking-state')).toHaveText('Wij zoeken medewerkers');
  await expect(page.getByTestId('booking-when')).toContainText('13:00–16:00');

  await cancel(page, bookingId);
  await expect(page.getByTestId('booking-cancelled')).toContainText('Het afzeggen kostte niets.');
});

test('an organisation books a job at one of its locations and filters its bookings by location', async ({ page }) => {
  await login(page, DEMO.organisation);
  await page.getByRole('link', { name: 'Klussen op onze locaties' }).click();
  await page.getByTestId('new-booking').click();
  await page.getByRole('radio', { name: /^Schoonmaakdienst/ }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 2 van 5: Wanneer');
  await page.getByLabel('Het maakt niet uit, ergens in een week').check();
  await page.getByLabel('Vanaf welke dag?').fill(dayFromNow(24));
  await page.getByLabel('Eén keer', { exact: true }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 3 van 5: De klus');
  // Without a location the step says so.
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByRole('alert')).toContainText('Kies een locatie.');
  // 3 × 8 hours: more than the 20 hours wallet.spec.ts buys for the organisation meanwhile.
  await page.getByLabel('Hoe lang duurt de klus?').selectOption('480');
  await page.getByRole('group', { name: 'Hoeveel medewerkers zijn nodig?' }).getByLabel('3', { exact: true }).check();
  await page.getByLabel(/Seniorencomplex De Geeren/).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 4 van 5: Prijs');
  await expect(page.getByTestId('price-sum')).toContainText(/3 medewerkers × 8 uur × €\s15,00 = €\s360,00/);
  const bookingId = await confirmJob(page);
  await expect(page.getByTestId('booking-done')).toContainText('tussen');

  await page.goto('/organisatie/boekingen');
  await expect(page.locator(`[data-booking-id="${bookingId}"]`)).toContainText('Seniorencomplex De Geeren');
  await page.getByLabel('Locatie').selectOption({ label: 'Flat Wisselaan' });
  await page.getByRole('button', { name: 'Toon klussen' }).click();
  await expect(page).toHaveURL(/locatie=/);
  await expect(page.locator(`[data-booking-id="${bookingId}"]`)).toHaveCount(0);
  await page.getByLabel('Locatie').selectOption({ label: 'Seniorencomplex De Geeren' });
  await page.getByRole('button', { name: 'Toon klussen' }).click();
  await expect(page.locator(`[data-booking-id="${bookingId}"]`)).toBeVisible();
  await cancel(page, bookingId);
});
