import { expect, test, type Page } from '@playwright/test';
import { createGardenJob, DISPATCH_PAGES, futureTuesday, visit } from './pages';
import { DEMO, expectAccessible, expectNoHorizontalScroll, login, uniqueEmail } from './support';

/** The suggestion of one worker on a job's panel. */
function suggestion(page: Page, name: string) {
  return page.getByTestId('suggestion').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

test.describe('the planning board', () => {
  test('a dispatcher plans a two-worker garden job from the suggestions, one with the keyboard', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    const job = await createGardenJob(page, { day: futureTuesday(), start: '10:00', minutes: 180, workers: 2 });

    // From the home page to the board, then to the job's day.
    await page.getByRole('link', { name: 'Planbord' }).click();
    await expect(page).toHaveURL(/\/planning$/);
    await page.getByLabel('Ga naar datum').fill(job.day);
    await page.getByRole('button', { name: 'Tonen' }).click();
    await expect(page).toHaveURL(new RegExp(`datum=${job.day}`));
    const open = page.getByTestId('open-jobs').getByTestId('job').filter({ hasText: job.household });
    await expect(open).toContainText('10:00–13:00');
    await expect(open).toContainText('0 van 2 ingepland');

    // The skip link goes to the open jobs.
    await page.getByRole('link', { name: 'Naar de open klussen' }).click();
    await expect(page.locator('#open-klussen')).toBeFocused();

    await open.getByRole('link', { name: `Tuindienst bij ${job.household}` }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tuindienst bij ${job.household}`);
    await expect(page.getByTestId('suggestions')).toBeVisible();

    // Sanne leads the team: with the keyboard only (tick "Leidt het team", Tab to "Inplannen", Enter).
    const sanne = suggestion(page, 'Sanne de Bruijn');
    await expect(sanne).toContainText('✓');
    const lead = sanne.getByLabel('Leidt het team');
    await lead.focus();
    if (!(await lead.isChecked())) await page.keyboard.press('Space');
    await expect(lead).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(sanne.getByRole('button', { name: 'Inplannen: Sanne de Bruijn' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('panel-done')).toHaveText('Sanne de Bruijn is ingepland.');
    await expect(page.getByTestId('team')).toContainText('Sanne de Bruijn (leidt het team)');
    await expect(page.getByTestId('job-assigned')).toHaveText('1 van 2 ingepland');

    // Mohamed completes the team.
    await suggestion(page, 'Mohamed Ouali').getByRole('button', { name: 'Inplannen: Mohamed Ouali' }).click();
    await expect(page.getByTestId('panel-done')).toHaveText('Mohamed Ouali is ingepland.');
    await expect(page.getByTestId('team')).toContainText('Mohamed Ouali');
    await expect(page.getByTestId('job-assigned')).toHaveText('2 van 2 ingepland');
    await expect(page.getByTestId('job-state')).toHaveText('Ingepland');
    await expect(page.getByText('Deze klus heeft genoeg medewerkers.')).toBeVisible();

    // Back on the board: planned, with both names, and in both workers' schedules.
    await page.getByRole('link', { name: 'Terug naar het planbord' }).click();
    const planned = page.getByTestId('planned-jobs').getByTestId('job').filter({ hasText: job.household });
    await expect(planned.getByTestId('job-workers')).toHaveText('Medewerkers: 2 van 2 ingepland: Sanne de Bruijn (leidt het team), Mohamed Ouali');
    await expect(page.getByTestId('open-jobs').getByText(job.household)).toHaveCount(0);
    const mohamed = page.getByTestId('board-worker').filter({ has: page.getByRole('heading', { name: 'Mohamed Ouali' }) });
    await expect(mohamed.getByTestId('worker-schedule')).toContainText(`10:00–13:00 Tuindienst bij ${job.household}`);
    await expect(mohamed.getByTestId('worker-hours')).toContainText(/\d+(,\d+)? uur van hoogstens 20 uur deze week/);
  });

  test('an assignment the API refuses is explained in plain words', async ({ browser }) => {
    // Two dispatchers look at two jobs at the same time; the second one to assign Sanne is told why it failed.
    const first = await (await browser.newContext()).newPage();
    const second = await (await browser.newContext()).newPage();
    await login(first, DEMO.dispatcher);
    await login(second, DEMO.dispatcher);
    const day = futureTuesday();
    const morning = await createGardenJob(first, { day, start: '10:00', minutes: 120, workers: 1 });
    const overlapping = await createGardenJob(first, { day, start: '11:00', minutes: 120, workers: 1 });

    await second.goto(`/planning/klus/${overlapping.id}`);
    await expect(suggestion(second, 'Sanne de Bruijn').getByRole('button')).toBeVisible();

    await first.goto(`/planning/klus/${morning.id}`);
    await suggestion(first, 'Sanne de Bruijn').getByRole('button', { name: 'Inplannen: Sanne de Bruijn' }).click();
    await expect(first.getByTestId('panel-done')).toHaveText('Sanne de Bruijn is ingepland.');

    await suggestion(second, 'Sanne de Bruijn').getByRole('button', { name: 'Inplannen: Sanne de Bruijn' }).click();
    const alert = second.getByRole('alert');
    await expect(alert).toHaveText('Sanne de Bruijn: Deze medewerker werkt dan al ergens anders.');
    await expect(alert).toBeFocused();
    await expect(second.getByTestId('job-assigned')).toHaveText('0 van 1 ingepland');
  });

  test('auto-plan shows a proposal; discarding it changes nothing', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    const job = await createGardenJob(page, { day: futureTuesday(), start: '13:00', minutes: 120, workers: 1 });
    await page.goto(`/planning?datum=${job.day}&weergave=dag`);
    await page.getByRole('link', { name: 'Automatisch plannen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Automatisch plannen');
    await expect(page.getByText('Dit is een voorstel. Er is nog niets veranderd.', { exact: false })).toBeVisible();
    const proposal = page.getByTestId('proposal').filter({ hasText: job.household });
    await expect(proposal).toContainText('13:00–15:00');
    await expect(proposal.getByRole('checkbox', { name: `Dit voorstel overnemen: Tuindienst bij ${job.household}` })).toBeChecked();

    await page.getByRole('link', { name: 'Weggooien' }).click();
    await expect(page).toHaveURL(new RegExp(`/planning\\?datum=${job.day}&weergave=dag$`));
    await expect(page.getByTestId('open-jobs').getByTestId('job').filter({ hasText: job.household })).toContainText('0 van 1 ingepland');
  });

  test('auto-plan: the accepted proposals are applied and reported', async ({ page }) => {
    await login(page, DEMO.dispatcher);
    const job = await createGardenJob(page, { day: futureTuesday(), start: '13:00', minutes: 120, workers: 1 });
    await page.goto(`/planning/automatisch?datum=${job.day}&weergave=dag`);
    // Only this job's proposal: untick the others (other tests plan on the same days).
    for (const box of await page.getByRole('checkbox').all()) {
      if (!((await box.getAttribute('aria-label')) ?? '').includes(job.household)) await box.uncheck();
    }
    await page.getByRole('button', { name: 'Plan accepteren' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Het plan is verwerkt');
    await expect(page.getByTestId('autoplan-applied-count')).toHaveText('1 klus ingepland.');
    await expect(page.getByTestId('autoplan-applied')).toContainText('1 van 1 ingepland');
  });
});

test.describe('worker management', () => {
  test('a programme admin creates a worker with a skill; the dispatcher sees it', async ({ page }) => {
    const email = uniqueEmail('medewerker');
    const name = `Noor Test ${Math.random().toString(36).slice(2, 6)}`;
    await login(page, DEMO.admin);
    await page.getByRole('link', { name: 'Medewerkers', exact: true }).click();
    await expect(page).toHaveURL(/\/medewerkers$/);
    await page.getByRole('link', { name: 'Nieuwe medewerker' }).click();

    await page.getByLabel('Naam').fill(name);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord om mee te beginnen').fill('zonnebloem-tuin-42');
    await page.getByLabel('Met behoud van uitkering').check();
    await page.getByLabel('Hoogstens uren per week').fill('16');
    await page.getByLabel('Woont in de buurt').selectOption({ label: 'Hoge Vucht' });
    await page.getByLabel('Tuindienst').selectOption({ label: 'Zelfstandig' });
    await page.getByRole('button', { name: 'Medewerker aanmaken' }).click();

    await expect(page.getByTestId('worker-created')).toHaveText(`${name} is aangemaakt.`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByTestId('worker-contract')).toHaveText('Met behoud van uitkering');
    await expect(page.getByLabel('Tuindienst')).toHaveValue('independent');
    await expect(page.getByLabel('Hoogstens uren per week')).toHaveValue('16');

    // Weekly hours and an absence.
    await page.getByLabel('maandag van').fill('09:00');
    await page.getByLabel('maandag tot').fill('13:00');
    await page.getByRole('button', { name: 'Tijden opslaan' }).click();
    await expect(page.getByTestId('saved')).toHaveText('De tijden zijn opgeslagen.');
    await expect(page.getByLabel('maandag tot')).toHaveValue('13:00');

    await page.getByLabel('Ziek').check();
    await page.getByLabel('Eerste dag').fill('2030-03-04');
    await page.getByLabel('Laatste dag').fill('2030-03-05');
    await page.getByRole('button', { name: 'Afwezigheid toevoegen' }).click();
    await expect(page.getByTestId('saved')).toHaveText('De afwezigheid is toegevoegd.');
    await expect(page.getByTestId('absences')).toContainText('Ziek: 4 mrt 2030');
    await page.getByTestId('absences').getByRole('button', { name: /^Verwijderen: Ziek/ }).click();
    await expect(page.getByTestId('saved')).toHaveText('De afwezigheid is verwijderd.');
    await expect(page.getByTestId('absences')).toHaveCount(0);

    await page.goto('/medewerkers');
    const row = page.getByTestId('worker-list').getByRole('listitem').filter({ has: page.getByRole('link', { name }) });
    await expect(row).toContainText('Tuindienst (zelfstandig)');
    await expect(row).toContainText('hoogstens 16 uur');
  });

  test('the new-worker form says what is missing', async ({ page }) => {
    await login(page, DEMO.admin);
    await page.goto('/medewerkers/nieuw');
    await page.getByLabel('Met behoud van uitkering').check();
    await page.getByRole('button', { name: 'Medewerker aanmaken' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toBeFocused();
    await expect(alert).toContainText('Vul de naam in.');
    await expect(alert).toContainText('Vul in hoeveel uur per week de medewerker hoogstens mag werken');
    await alert.getByRole('link', { name: /Vul de naam in/ }).click();
    await expect(page.getByLabel('Naam')).toBeFocused();
  });

  test('a dispatcher creates a worker without a login: no email, no password', async ({ page }) => {
    const name = `Fatma Test ${Math.random().toString(36).slice(2, 6)}`;
    await login(page, DEMO.dispatcher);
    await page.getByRole('link', { name: 'Medewerkers', exact: true }).click();
    await expect(page).toHaveURL(/\/medewerkers$/);
    await page.getByRole('link', { name: 'Nieuwe medewerker' }).click();
    await expect(page.getByText('Alleen invullen als de medewerker zelf wil inloggen.')).toBeVisible();

    // A password alone is not enough: signing in is by email.
    await page.getByLabel('Naam').fill(name);
    await page.getByLabel('Wachtwoord om mee te beginnen').fill('zonnebloem-tuin-42');
    await page.getByLabel('Betaald', { exact: true }).check();
    await page.getByLabel('Tuindienst').selectOption({ label: 'Leert het nog' });
    await page.getByRole('button', { name: 'Medewerker aanmaken' }).click();
    await expect(page.getByRole('alert')).toContainText('Vul ook een e-mailadres in, of laat het wachtwoord leeg.');

    await page.getByLabel('Wachtwoord om mee te beginnen').fill('');
    await page.getByRole('button', { name: 'Medewerker aanmaken' }).click();
    await expect(page.getByTestId('worker-created')).toHaveText(`${name} is aangemaakt.`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByTestId('worker-contract')).toHaveText('Betaald');
    await expect(page.getByLabel('Tuindienst')).toHaveValue('learning');

    await page.goto('/medewerkers');
    await expect(page.getByTestId('worker-list').getByRole('link', { name })).toBeVisible();
  });
});

test.describe('dispatch pages at 360 px (axe, no sideways scrolling)', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const target of DISPATCH_PAGES) {
    test(target.name, async ({ page }) => {
      await visit(page, target);
      await expectNoHorizontalScroll(page, target.name);
      await expectAccessible(page, `${target.name} at 360 px`);
    });
  }
});
