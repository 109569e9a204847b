/** Every page of the site, in the states a person can see it in: used by the layout and axe specs. */
import { expect, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, idempotencyKey, login } from './support';

export interface PageVisit {
  name: string;
  /** Who is signed in, if anyone. */
  as?: string;
  /** Brings the page into the state to check (after signing in). */
  open: (page: Page) => Promise<void>;
}

export const PAGES: PageVisit[] = [
  { name: 'start page', open: async (page) => void (await page.goto('/')) },
  { name: 'start page after logging out', open: async (page) => void (await page.goto('/?uitgelogd=1')) },
  { name: 'start page in English', open: async (page) => {
      await page.goto('/');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    } },
  { name: 'registration', open: async (page) => void (await page.goto('/registreren')) },
  {
    name: 'registration with errors',
    open: async (page) => {
      await page.goto('/registreren');
      await page.locator('#field-email').fill('geen-adres');
      await page.locator('#field-postcode').fill('12');
      await page.getByRole('button', { name: 'Account maken' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'login', open: async (page) => void (await page.goto('/inloggen')) },
  {
    name: 'login with an error',
    open: async (page) => {
      await page.goto('/inloggen');
      await page.getByRole('main').getByRole('button').click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'page not found', open: async (page) => void (await page.goto('/bestaat-niet')) },
  { name: 'home of a resident', as: DEMO.resident, open: async (page) => void (await page.goto('/home')) },
  { name: 'home of a BredaPas resident', as: DEMO.bredapas, open: async (page) => void (await page.goto('/home')) },
  { name: 'home of an organisation member', as: DEMO.organisation, open: async (page) => void (await page.goto('/home')) },
  { name: 'home of a dispatcher', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/home')) },
  { name: 'home of a worker', as: DEMO.worker, open: async (page) => void (await page.goto('/home')) },
  { name: 'home of a programme admin', as: DEMO.admin, open: async (page) => void (await page.goto('/home')) },
  { name: 'services for a resident', as: DEMO.resident, open: async (page) => void (await page.goto('/diensten')) },
  {
    name: 'services with a calculated price',
    as: DEMO.resident,
    open: async (page) => {
      await page.goto('/diensten');
      const form = page.locator('.calculator form');
      await form.getByLabel('Dienst').selectOption({ index: 1 });
      await form.getByRole('button').click();
      await expect(page.getByTestId('quote-total').or(page.locator('#field-workers-error'))).toBeVisible();
    },
  },
  {
    name: 'services with a calculator error',
    as: DEMO.resident,
    open: async (page) => {
      await page.goto('/diensten');
      await page.locator('.calculator form').getByRole('button').click();
      await expect(page.locator('#field-serviceId-error')).toBeVisible();
    },
  },
  { name: 'services for a dispatcher', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/diensten')) },
  { name: 'services for an organisation', as: DEMO.organisation, open: async (page) => void (await page.goto('/diensten')) },
  { name: 'log out page', as: DEMO.worker, open: async (page) => void (await page.goto('/uitloggen')) },
];

/** Opens a household's page at the counter (as staff), found by name. */
async function openHousehold(page: Page, name: string): Promise<void> {
  await page.goto(`/balie?q=${encodeURIComponent(name)}`);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/**
 * The pages of the voucher wallet (dienstencheques). Money is only moved for Mevr. De Vries, whose
 * balance no test counts on: Fam. Jansen, Fam. Yilmaz and the organisation are checked in wallet.spec.ts.
 */
export const WALLET_PAGES: PageVisit[] = [
  { name: 'wallet of a resident', as: DEMO.resident, open: async (page) => void (await page.goto('/portemonnee')) },
  { name: 'wallet of an organisation', as: DEMO.organisation, open: async (page) => void (await page.goto('/portemonnee')) },
  { name: 'buying vouchers without online payment', as: DEMO.resident, open: async (page) => void (await page.goto('/portemonnee/kopen')) },
  { name: 'city pass not registered yet', as: DEMO.resident, open: async (page) => void (await page.goto('/stadspas')) },
  { name: 'city pass verified', as: DEMO.bredapas, open: async (page) => void (await page.goto('/stadspas')) },
  {
    name: 'city pass with errors',
    as: DEMO.resident,
    open: async (page) => {
      await page.goto('/stadspas');
      await page.getByLabel('Geldig tot en met').fill('31-02-2027');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'counter search', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/balie')) },
  {
    name: 'counter search with results',
    as: DEMO.dispatcher,
    open: async (page) => {
      await page.goto('/balie?q=Fam');
      await expect(page.getByTestId('household-results')).toBeVisible();
    },
  },
  { name: 'counter search without results', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/balie?q=Niemand-Bestaat')) },
  { name: 'counter household', as: DEMO.dispatcher, open: async (page) => openHousehold(page, 'Mevr. De Vries') },
  {
    name: 'counter household after a sale',
    as: DEMO.dispatcher,
    open: async (page) => {
      await openHousehold(page, 'Mevr. De Vries');
      await page.getByLabel('Aantal dienstencheques').fill('1');
      await page.getByLabel('Pin').check();
      await page.getByRole('button', { name: 'Verkopen' }).click();
      await expect(page.getByTestId('sale-done')).toBeVisible();
      await page.getByText('Verkeerd aangeslagen?').click();
    },
  },
  {
    name: 'counter household with errors',
    as: DEMO.dispatcher,
    open: async (page) => {
      await openHousehold(page, 'Mevr. De Vries');
      await page.getByRole('button', { name: 'Verkopen' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'counter household of a BredaPas resident', as: DEMO.admin, open: async (page) => openHousehold(page, 'Fam. Yilmaz') },
  { name: 'new household', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/balie/nieuw')) },
  {
    name: 'new household with errors',
    as: DEMO.dispatcher,
    open: async (page) => {
      await page.goto('/balie/nieuw');
      await page.getByRole('button', { name: 'Huishouden aanmaken' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'ordering hours', as: DEMO.organisation, open: async (page) => void (await page.goto('/organisatie/bestellen')) },
  {
    name: 'ordering hours, the sum before confirming',
    as: DEMO.organisation,
    open: async (page) => {
      await page.goto('/organisatie/bestellen');
      await page.getByLabel('Hoeveel uren wilt u inkopen?').fill('12');
      await page.getByRole('button', { name: 'Bekijk de bestelling' }).click();
      await expect(page.getByTestId('order-preview')).toBeVisible();
    },
  },
  { name: 'invoices of an organisation', as: DEMO.organisation, open: async (page) => void (await page.goto('/organisatie/facturen')) },
  { name: "the programme's invoices", as: DEMO.admin, open: async (page) => void (await page.goto('/beheer/facturen')) },
  {
    name: 'wallet in English',
    as: DEMO.bredapas,
    open: async (page) => {
      await page.goto('/portemonnee');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    },
  },
];

/** Steps 1 and 2 of the booking wizard for a garden job on a day 30 days ahead, ending on step 3. */
async function wizardToDetails(page: Page, start = '/boeken?opnieuw=1'): Promise<void> {
  await page.goto(start);
  await page.getByRole('radio', { name: /^Tuindienst|^Schoonmaakdienst/ }).first().check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 2 van 5: Wanneer');
  await page.getByLabel('Op een vaste dag en tijd').check();
  await page.getByLabel('Welke dag?', { exact: true }).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await page.getByLabel('Hoe laat beginnen?').selectOption('10:00');
  await page.getByLabel('Eén keer', { exact: true }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 3 van 5: De klus');
}

async function wizardToPrice(page: Page, start?: string): Promise<void> {
  await wizardToDetails(page, start);
  const location = page.getByRole('group', { name: 'Op welke locatie?' });
  if (await location.count()) await location.getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 4 van 5: Prijs');
}

/**
 * Booking on behalf of Mevr. De Vries (whose balance no test counts on) as staff: 2 workers for
 * 3 hours of garden work, so a cheque sold to her elsewhere never pays for it; on the done page.
 */
async function bookForDeVries(page: Page): Promise<void> {
  await openHousehold(page, 'Mevr. De Vries');
  await page.getByTestId('book-for-household').click();
  await expect(page.getByTestId('on-behalf')).toBeVisible();
  await wizardToDetails(page, page.url());
  await page.getByRole('group', { name: 'Hoeveel medewerkers zijn nodig?' }).getByLabel('2', { exact: true }).check();
  await page.getByRole('button', { name: 'Volgende stap' }).click();
  await page.getByRole('link', { name: 'Volgende stap' }).click();
  await page.getByRole('button', { name: 'Klus aanvragen' }).click();
  await expect(page.getByTestId('booking-done')).toBeVisible();
}

/** The booking pages (issue 4): the wizard in every step, my bookings, a booking, the organisation's bookings. */
export const BOOKING_PAGES: PageVisit[] = [
  { name: 'booking wizard: the service', as: DEMO.resident, open: async (page) => void (await page.goto('/boeken?opnieuw=1')) },
  {
    name: 'booking wizard: the service, not chosen',
    as: DEMO.resident,
    open: async (page) => {
      await page.goto('/boeken?opnieuw=1');
      await page.getByRole('button', { name: 'Volgende stap' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  {
    name: 'booking wizard: when, with errors',
    as: DEMO.resident,
    open: async (page) => {
      await page.goto('/boeken?opnieuw=1');
      await page.getByRole('radio', { name: /^Tuindienst/ }).check();
      await page.getByRole('button', { name: 'Volgende stap' }).click();
      await expect(page.getByTestId('wizard-progress')).toHaveText('Stap 2 van 5: Wanneer');
      await page.getByLabel('Op een vaste dag en tijd').check();
      await page.getByRole('button', { name: 'Volgende stap' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'booking wizard: the job', as: DEMO.resident, open: (page) => wizardToDetails(page) },
  { name: 'booking wizard: the job at an organisation location', as: DEMO.organisation, open: (page) => wizardToDetails(page) },
  { name: 'booking wizard: the price', as: DEMO.bredapas, open: (page) => wizardToPrice(page) },
  {
    name: 'booking wizard: check and confirm',
    as: DEMO.organisation,
    open: async (page) => {
      await wizardToPrice(page);
      await page.getByRole('link', { name: 'Volgende stap' }).click();
      await expect(page.getByTestId('booking-summary')).toBeVisible();
    },
  },
  { name: 'booking wizard: booked on behalf, too few cheques', as: DEMO.dispatcher, open: bookForDeVries },
  {
    name: 'a booking, asking to cancel it',
    as: DEMO.dispatcher,
    open: async (page) => {
      await bookForDeVries(page);
      await page.getByRole('link', { name: 'Alle klussen van dit huishouden' }).click();
      await page.getByTestId('booking-card').first().getByRole('link').click();
      await page.getByTestId('cancel-start').click();
      await expect(page.getByTestId('cancel-cost')).toBeVisible();
    },
  },
  { name: 'my bookings', as: DEMO.resident, open: async (page) => void (await page.goto('/boekingen')) },
  { name: 'bookings of an organisation', as: DEMO.organisation, open: async (page) => void (await page.goto('/organisatie/boekingen')) },
  {
    name: 'booking wizard in English',
    as: DEMO.bredapas,
    open: async (page) => {
      await page.goto('/boeken?opnieuw=1');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    },
  },
];

PAGES.push(...WALLET_PAGES, ...BOOKING_PAGES);

// ── The dispatcher's pages (planning board, job panel, auto-plan, workers) ──

/** The API of the app under test: the dispatch pages need bookings, made straight through it. */
const API_URL = process.env.BROWSER_API_URL ?? `http://127.0.0.1:${process.env.BROWSER_API_PORT ?? 3101}`;

/** A wall-clock time in Amsterdam as ISO 8601 with its offset ('2027-03-02', '10:00' → '2027-03-02T10:00:00+01:00'). */
export function amsterdamIso(day: string, hhmm: string): string {
  const instant = new Date(`${day}T${hhmm}:00Z`);
  const wall = (zone: string) => new Date(instant.toLocaleString('en-US', { timeZone: zone })).getTime();
  const offset = Math.round((wall('Europe/Amsterdam') - wall('UTC')) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}T${hhmm}:00${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/**
 * A Tuesday some weeks ahead, at random: runs against the same database (a reused server) do not
 * find the workers of an earlier run already busy.
 */
// Every job-making test gets a week of its own: the test processes run side by side against one
// app, and an auto-plan or an assignment in a shared week would touch another test's jobs. Each
// process (TEST_PARALLEL_INDEX) has its own band of weeks; within it the weeks are handed out in
// turn, from a random start so that a restarted process does not reuse a week with old jobs.
const WEEKS_PER_PROCESS = 150;
let nextWeek = Number(process.env.TEST_PARALLEL_INDEX ?? 0) * WEEKS_PER_PROCESS + Math.floor(Math.random() * 100);

export function futureTuesday(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 21 + 7 * nextWeek++);
  day.setUTCDate(day.getUTCDate() + ((2 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
}

export interface TestJob {
  id: string;
  day: string;
  household: string;
}

/**
 * A garden job (tuindienst) for a new household of its own that has cheques for it: ready to plan.
 * Made by the demo dispatcher through the API.
 */
export async function createGardenJob(page: Page, options: { day: string; start: string; minutes: number; workers: number }): Promise<TestJob> {
  const api = page.request;
  const signIn = await api.post(`${API_URL}/auth/login`, { data: { email: DEMO.dispatcher, password: DEMO_PASSWORD } });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  const headers = { authorization: `Bearer ${((await signIn.json()) as { accessToken: string }).accessToken}` };
  const key = idempotencyKey;
  const name = `Fam. Planbord ${Math.random().toString(36).slice(2, 7)}`;
  const household = await api.post(`${API_URL}/households`, {
    headers,
    data: { name, street: 'Wisselaan', houseNumber: 1 + Math.floor(Math.random() * 900), postcode: '4823 JA', city: 'Breda', contact: { displayName: name } },
  });
  expect(household.status(), await household.text()).toBe(201);
  const householdId = ((await household.json()) as { id: string }).id;
  const sale = await api.post(`${API_URL}/households/${householdId}/counter-sales`, { headers: { ...headers, 'idempotency-key': key() }, data: { cheques: 20, paymentMethod: 'cash' } });
  expect(sale.ok(), await sale.text()).toBe(true);
  const { services } = (await (await api.get(`${API_URL}/services`, { headers })).json()) as { services: { id: string; code: string }[] };
  const garden = services.find((s) => s.code === 'tuindienst');
  expect(garden).toBeDefined();
  const booking = await api.post(`${API_URL}/bookings`, {
    headers: { ...headers, 'idempotency-key': key() },
    data: {
      householdId, serviceId: garden!.id, place: 'home', startsAt: amsterdamIso(options.day, options.start),
      durationMinutes: options.minutes, workersNeeded: options.workers, notes: 'Heg snoeien en gras maaien',
    },
  });
  expect(booking.status(), await booking.text()).toBe(201);
  const created = (await booking.json()) as { booking: { id: string; state: string } };
  expect(created.booking.state).toBe('ready_to_plan');
  return { id: created.booking.id, day: options.day, household: name };
}

export const DISPATCH_PAGES: PageVisit[] = [
  { name: 'planning board of today', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/planning')) },
  { name: 'planning board of a week', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/planning?weergave=week')) },
  {
    name: 'planning board with an open job',
    as: DEMO.dispatcher,
    open: async (page) => {
      const job = await createGardenJob(page, { day: futureTuesday(), start: '10:00', minutes: 180, workers: 2 });
      await page.goto(`/planning?datum=${job.day}&weergave=dag`);
      await expect(page.getByTestId('open-jobs')).toContainText(job.household);
    },
  },
  {
    name: 'job panel with suggestions',
    as: DEMO.dispatcher,
    open: async (page) => {
      const job = await createGardenJob(page, { day: futureTuesday(), start: '10:00', minutes: 180, workers: 2 });
      await page.goto(`/planning/klus/${job.id}?datum=${job.day}&weergave=dag`);
      await expect(page.getByTestId('suggestions')).toBeVisible();
      await page.getByText(/^\d+ medewerkers? (kunnen|kan) niet$/).click();
    },
  },
  {
    name: 'auto-plan review',
    as: DEMO.dispatcher,
    open: async (page) => {
      const job = await createGardenJob(page, { day: futureTuesday(), start: '13:00', minutes: 120, workers: 1 });
      await page.goto(`/planning/automatisch?datum=${job.day}&weergave=dag`);
      await expect(page.getByTestId('autoplan-count')).toBeVisible();
    },
  },
  {
    name: 'auto-plan review with an error',
    as: DEMO.dispatcher,
    open: async (page) => {
      const job = await createGardenJob(page, { day: futureTuesday(), start: '13:00', minutes: 120, workers: 1 });
      await page.goto(`/planning/automatisch?datum=${job.day}&weergave=dag`);
      for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
      await page.getByRole('button', { name: 'Plan accepteren' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'workers', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/medewerkers')) },
  {
    name: 'a worker',
    as: DEMO.dispatcher,
    open: async (page) => {
      await page.goto('/medewerkers');
      await page.getByRole('link', { name: 'Mohamed Ouali' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mohamed Ouali');
    },
  },
  {
    name: 'a worker with errors',
    as: DEMO.dispatcher,
    open: async (page) => {
      await page.goto('/medewerkers');
      await page.getByRole('link', { name: 'Jordy Martens' }).click();
      await page.getByRole('button', { name: 'Afwezigheid toevoegen' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { name: 'new worker', as: DEMO.admin, open: async (page) => void (await page.goto('/medewerkers/nieuw')) },
  {
    name: 'new worker with errors',
    as: DEMO.admin,
    open: async (page) => {
      await page.goto('/medewerkers/nieuw');
      await page.getByRole('button', { name: 'Medewerker aanmaken' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  // Issue 5: the worker's day and record, the dispatcher's week.
  { name: "the worker's day", as: DEMO.worker, open: async (page) => void (await page.goto('/werk')) },
  { name: "the worker's work-experience record", as: DEMO.worker, open: async (page) => void (await page.goto('/werk/ervaring')) },
  { name: "the dispatcher's week of hours", as: DEMO.dispatcher, open: async (page) => void (await page.goto('/planning/uren')) },
  // The call list (messages that reached no one); call-list.spec.ts fills and ticks it.
  { name: 'the call list', as: DEMO.dispatcher, open: async (page) => void (await page.goto('/planning/bellen')) },
];

PAGES.push(...DISPATCH_PAGES);

export async function visit(page: Page, target: PageVisit): Promise<void> {
  if (target.as) await login(page, target.as);
  await target.open(page);
}
