/** Every page of the site, in the states a person can see it in: used by the layout and axe specs. */
import { expect, type Page } from '@playwright/test';
import { DEMO, login } from './support';

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

PAGES.push(...WALLET_PAGES);

export async function visit(page: Page, target: PageVisit): Promise<void> {
  if (target.as) await login(page, target.as);
  await target.open(page);
}
