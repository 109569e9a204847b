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

export async function visit(page: Page, target: PageVisit): Promise<void> {
  if (target.as) await login(page, target.as);
  await target.open(page);
}
