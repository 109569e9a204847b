/**
 * Issue 5 "done when", tried as a new user would: a worker on a small phone works through a day of
 * three jobs with one stretch without a connection (the check-out of the second job and the
 * check-in of the third wait on the phone and are sent once), every customer confirms and ends
 * with exactly the right wallet, the worker downloads the statement of work experience, and the
 * dispatcher's week shows nothing to look into for this worker.
 *
 * The jobs are booked through the API for the coming hour (a booking cannot start in the past) and
 * the worker checks in and out with the phone's clock set back: the server takes hours that lie in
 * the past, and the page offers the check-in on the job's day (or up to two hours before a job just
 * after midnight), so the test runs the same at any time of day.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { pdfText } from '../support/pdf';
import { amsterdamIso } from './pages';
import { amsterdamClock, amsterdamDay, API_URL, DEMO, expectAccessible, expectNoHorizontalScroll, login, phone, signIn } from './support';

const MINUTE = 60_000;
const PASSWORD = 'zonnebloem-tuin-42';
/** Each job is booked for half an hour of one worker: 30 worker-minutes are held. */
const JOB_MINUTES = 30;

/**
 * The day, in minutes relative to when the worker picks up the phone (the checks are in the past).
 * The times keep every check-in within two hours of its job's start, also when a job is tomorrow.
 */
const DAY = [
  // 11 minutes worked → 15 paid: 15 of the 30 held go back.
  { cheques: 2, checkIn: -95, checkOut: -84, worked: 11, paid: 15, paidText: '15 minuten', cost: '0,25 dienstencheques (€ 2,50)', released: '15 minuten' },
  // 30 → 30, exactly what was held; checked out without a connection.
  { cheques: 3, checkIn: -64, checkOut: -34, worked: 30, paid: 30, paidText: '30 minuten', cost: '0,5 dienstencheques (€ 5,00)', released: null },
  // 32 → 45: 15 more than held, from the free balance; checked in without a connection.
  { cheques: 1, checkIn: -33, checkOut: -1, worked: 32, paid: 45, paidText: '45 minuten', cost: '0,75 dienstencheques (€ 7,50)', released: null },
] as const;

type Headers = Record<string, string>;

interface Job {
  bookingId: string;
  household: string;
  email: string;
  startsAt: Date;
}

interface Day {
  tag: string;
  worker: { id: string; name: string; email: string };
  dispatcher: Headers;
  jobs: Job[];
}

/** A new worker with the garden skill, free all week. */
async function newWorker(api: APIRequestContext, dispatcher: Headers, tag: string): Promise<Day['worker']> {
  const name = `Sam Drieklus ${tag}`;
  const email = `drieklus.${tag}.${Date.now().toString(36)}@example.nl`;
  const made = await api.post(`${API_URL}/workers`, {
    headers: dispatcher,
    data: {
      displayName: name, email, password: PASSWORD, contract: 'paid', startedOn: '2026-01-01', skills: [{ skill: 'tuin', level: 'lead' }],
      availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  return { id: ((await made.json()) as { id: string }).id, name, email };
}

/** A new household that buys `cheques` at the counter and books half an hour of garden work at `startsAt`. */
async function bookedJob(api: APIRequestContext, dispatcher: Headers, household: string, cheques: number, startsAt: Date): Promise<Job> {
  const email = `bewoner.drie.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.nl`;
  const registered = await api.post(`${API_URL}/auth/register`, {
    data: { email, password: PASSWORD, displayName: household, street: 'Wisselaan', houseNumber: 10 + Math.floor(Math.random() * 800), postcode: '4823 JA', city: 'Breda' },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const session = (await registered.json()) as { accessToken: string; user: { household: { id: string } } };
  const householdId = session.user.household.id;
  const resident = { authorization: `Bearer ${session.accessToken}` };

  const sale = await api.post(`${API_URL}/households/${householdId}/counter-sales`, { headers: { ...dispatcher, 'idempotency-key': randomUUID() }, data: { cheques, paymentMethod: 'cash' } });
  expect(sale.ok(), await sale.text()).toBe(true);
  const { services } = (await (await api.get(`${API_URL}/services`, { headers: resident })).json()) as { services: { id: string; code: string }[] };
  const garden = services.find((s) => s.code === 'tuindienst');
  expect(garden).toBeDefined();
  const booking = await api.post(`${API_URL}/bookings`, {
    headers: { ...resident, 'idempotency-key': randomUUID() },
    data: {
      householdId, serviceId: garden!.id, place: 'home', startsAt: amsterdamIso(amsterdamDay(startsAt), amsterdamClock(startsAt)),
      durationMinutes: JOB_MINUTES, workersNeeded: 1, notes: 'Bel even aan bij de buren.', contactPhone: '06 12345678',
    },
  });
  expect(booking.status(), await booking.text()).toBe(201);
  const created = (await booking.json()) as { booking: { id: string; state: string } };
  expect(created.booking.state).toBe('ready_to_plan');
  return { bookingId: created.booking.id, household, email, startsAt };
}

/**
 * Three households, each with a job of half an hour, one after the other from the next quarter
 * hour at least 10 minutes ahead, all assigned to one new worker by the dispatcher.
 */
async function setUpDay(api: APIRequestContext): Promise<Day> {
  const dispatcher = await signIn(api, DEMO.dispatcher);
  const tag = Math.random().toString(36).slice(2, 7);
  const worker = await newWorker(api, dispatcher, tag);
  const first = Math.ceil((Date.now() + 10 * MINUTE) / (15 * MINUTE)) * 15 * MINUTE;
  const names = [`Fam. Eik ${tag}`, `Fam. Linde ${tag}`, `Fam. Wilg ${tag}`];
  const jobs: Job[] = [];
  for (const [i, plan] of DAY.entries()) {
    const job = await bookedJob(api, dispatcher, names[i]!, plan.cheques, new Date(first + i * JOB_MINUTES * MINUTE));
    const assigned = await api.post(`${API_URL}/bookings/${job.bookingId}/assignments`, { headers: dispatcher, data: { workerId: worker.id } });
    expect(assigned.ok(), await assigned.text()).toBe(true);
    jobs.push(job);
  }
  return { tag, worker, dispatcher, jobs };
}

async function hoursOf(api: APIRequestContext, day: Day, job: Job) {
  const response = await api.get(`${API_URL}/bookings/${job.bookingId}/time-entries`, { headers: day.dispatcher });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as { entries: { id: string; startsAt: string; rawMinutes: number; billableMinutes: number }[]; checkIns: { id: string; closedAt: string | null }[] };
}

async function stateOf(api: APIRequestContext, day: Day, job: Job): Promise<string> {
  const response = await api.get(`${API_URL}/bookings/${job.bookingId}`, { headers: day.dispatcher });
  return ((await response.json()) as { state: string }).state;
}

/** The Monday of the ISO week of a day (YYYY-MM-DD), and the instants the week runs between in Amsterdam. */
function weekOf(day: string): { monday: string; from: number; until: number } {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  const monday = date.toISOString().slice(0, 10);
  date.setUTCDate(date.getUTCDate() + 7);
  return { monday, from: Date.parse(amsterdamIso(monday, '00:00')), until: Date.parse(amsterdamIso(date.toISOString().slice(0, 10), '00:00')) };
}

/** Minutes as the dispatcher's week shows them: 90 → "1,5 uur". */
const weekHours = (minutes: number) => `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2 }).format(minutes / 60)} uur`;

/** The phone's clock, then the page again: the buttons a job offers depend on the time of day. */
async function pickUpPhoneAt(worker: Page, at: Date): Promise<void> {
  await worker.clock.setFixedTime(at);
  await worker.reload();
}

test('a worker on a phone works through three jobs with an offline stretch; every wallet is right, the statement and the week too', async ({ browser, page, request }, testInfo) => {
  // three jobs, three customers, a PDF and the dispatcher's week on a busy machine
  test.setTimeout(240_000);
  const day = await setUpDay(request);
  const titles = day.jobs.map((job) => `Tuindienst bij ${job.household}`);

  // The worker opens their day on a phone: three jobs, in time order.
  const worker = await phone(browser);
  await login(worker, day.worker.email, PASSWORD);
  await worker.getByRole('navigation').getByRole('link', { name: 'Mijn werk' }).click();
  await expect(worker).toHaveURL(/\/werk$/);
  const cards = worker.getByTestId('work-job').filter({ hasText: day.tag });
  await expect(cards).toHaveCount(3);
  for (const [i, job] of day.jobs.entries()) {
    await expect(cards.nth(i).getByRole('heading', { name: titles[i] })).toBeVisible();
    await expect(cards.nth(i)).toContainText(`${amsterdamClock(job.startsAt)}–${amsterdamClock(new Date(job.startsAt.getTime() + JOB_MINUTES * MINUTE))}`);
  }
  await expectNoHorizontalScroll(worker, 'a day of three jobs');
  await expectAccessible(worker, 'a day of three jobs at 360 px');
  await worker.screenshot({ path: testInfo.outputPath('1-drie-klussen-360.png'), fullPage: true });

  const sends: string[] = [];
  worker.on('requestfinished', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/werk/versturen')) sends.push(String((req.postDataJSON() as { id: string }).id));
  });
  const base = Date.now();
  const at = (minutes: number) => new Date(base + minutes * MINUTE);
  const card = (i: number): Locator => cards.nth(i);
  const line = (i: number) => `${amsterdamClock(at(DAY[i]!.checkIn))}–${amsterdamClock(at(DAY[i]!.checkOut))}: ${DAY[i]!.paidText}`;

  // Job 1: check in and out with a connection; the phone shows what the customer pays (rounded up).
  await pickUpPhoneAt(worker, at(DAY[0].checkIn));
  await card(0).getByRole('button', { name: `Inchecken: ${titles[0]}` }).click();
  await expect(card(0).getByTestId('job-status')).toContainText(`U bent ingecheckt om ${amsterdamClock(at(DAY[0].checkIn))}.`);
  await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
  await worker.clock.setFixedTime(at(DAY[0].checkOut));
  await card(0).getByRole('button', { name: `Uitchecken: ${titles[0]}` }).click();
  await expect(card(0).getByTestId('job-entries')).toContainText(`${line(0)} Doorgegeven`);

  // Job 2: check in with a connection.
  await pickUpPhoneAt(worker, at(DAY[1].checkIn));
  await card(1).getByRole('button', { name: `Inchecken: ${titles[1]}` }).click();
  await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
  await expect(card(1).getByTestId('job-status')).toHaveText(`U bent ingecheckt om ${amsterdamClock(at(DAY[1].checkIn))}.`);

  // No connection: the check-out of job 2 and the check-in of job 3 wait on the phone.
  await worker.context().setOffline(true);
  await worker.clock.setFixedTime(at(DAY[1].checkOut));
  await card(1).getByRole('button', { name: `Uitchecken: ${titles[1]}` }).click();
  await expect(worker.getByTestId('queue-count')).toHaveText('1 nog te versturen');
  await expect(worker.getByTestId('queue-status')).toContainText('Geen internet.');
  await expect(card(1).getByTestId('job-entries')).toContainText(`${line(1)} Nog niet verstuurd`);
  await worker.clock.setFixedTime(at(DAY[2].checkIn));
  await card(2).getByRole('button', { name: `Inchecken: ${titles[2]}` }).click();
  await expect(worker.getByTestId('queue-count')).toHaveText('2 nog te versturen');
  await expect(card(2).getByTestId('job-status')).toHaveText(`U bent ingecheckt om ${amsterdamClock(at(DAY[2].checkIn))}. Nog niet verstuurd`);
  await expectNoHorizontalScroll(worker, 'a day with two things waiting');
  await expectAccessible(worker, 'a day with two things waiting, at 360 px');
  await worker.screenshot({ path: testInfo.outputPath('2-offline-360.png'), fullPage: true });
  expect((await hoursOf(request, day, day.jobs[1]!)).entries).toHaveLength(0);
  expect((await hoursOf(request, day, day.jobs[2]!)).checkIns).toHaveLength(0);

  // The connection is back: both are sent, once each, in order.
  await worker.context().setOffline(false);
  await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
  await expect(card(1).getByTestId('job-entries')).toContainText(`${line(1)} Doorgegeven`);
  await expect(card(2).getByTestId('job-status')).toHaveText(`U bent ingecheckt om ${amsterdamClock(at(DAY[2].checkIn))}.`);
  const second = await hoursOf(request, day, day.jobs[1]!);
  const third = await hoursOf(request, day, day.jobs[2]!);
  expect(second.entries).toHaveLength(1);
  expect(third.checkIns).toHaveLength(1);
  expect(third.checkIns[0]!.closedAt).toBeNull();
  for (const id of [second.entries[0]!.id, third.checkIns[0]!.id]) expect(sends.filter((sent) => sent === id), `sent once: ${id}`).toHaveLength(1);

  // Job 3: check out with a connection.
  await worker.clock.setFixedTime(at(DAY[2].checkOut));
  await card(2).getByRole('button', { name: `Uitchecken: ${titles[2]}` }).click();
  await expect(card(2).getByTestId('job-entries')).toContainText(`${line(2)} Doorgegeven`);
  await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
  await worker.screenshot({ path: testInfo.outputPath('3-dag-klaar-360.png'), fullPage: true });

  // On the server: one entry per job, rounded up to the quarter hour, no check-in left open; all done.
  const stored = await Promise.all(day.jobs.map((job) => hoursOf(request, day, job)));
  for (const [i, hours] of stored.entries()) {
    expect(hours.entries.map((e) => ({ rawMinutes: e.rawMinutes, billableMinutes: e.billableMinutes }))).toEqual([{ rawMinutes: DAY[i]!.worked, billableMinutes: DAY[i]!.paid }]);
    expect(hours.checkIns.map((c) => c.closedAt === null)).toEqual([false]);
    expect(await stateOf(request, day, day.jobs[i]!)).toBe('done');
  }

  // Every customer sees the hours and their cost, confirms, and has exactly the right wallet.
  for (const [i, job] of day.jobs.entries()) {
    const plan = DAY[i]!;
    const customer = await phone(browser);
    await login(customer, job.email, PASSWORD);
    await customer.goto(`/boekingen/${job.bookingId}`);
    const hours = customer.getByTestId('hours-panel');
    await expect(hours.getByTestId('hours-workers')).toContainText(`${day.worker.name}: ${plan.paidText}`);
    await expect(hours.getByTestId('hours-total')).toContainText(`${plan.paidText}, dat is ${plan.cost}`);
    await hours.getByRole('button', { name: 'De uren kloppen' }).click();
    await expect(customer.getByTestId('hours-done')).toHaveText('Dank u wel. De uren zijn goedgekeurd en betaald.');
    const statement = customer.getByTestId('hours-statement');
    await expect(statement).toContainText(`Betaald met ${plan.cost}.`);
    if (plan.released) await expect(statement).toContainText(`${plan.released} is teruggezet in uw portemonnee.`);
    else await expect(statement).not.toContainText('teruggezet');
    await expect(statement).not.toContainText('te weinig');
    await statement.getByRole('link', { name: 'Naar mijn dienstencheques' }).click();
    await expect(customer.getByTestId('balance-hours')).toHaveAttribute('data-minutes', String(plan.cheques * 60 - plan.paid));
    await expect(customer.getByTestId('held-hours')).toHaveText('0 uur');
    await expect(customer.getByTestId('wallet-history')).toContainText('Betaald voor gewerkte uren');
    await customer.context().close();
    expect(await stateOf(request, day, job)).toBe('settled');
  }

  // The worker downloads the statement of work experience: the hours really worked (not rounded).
  const worked = DAY.reduce((sum, plan) => sum + plan.worked, 0);
  await worker.goto('/home');
  await worker.getByRole('link', { name: /Mijn ontwikkeling/ }).click();
  await expect(worker).toHaveURL(/\/werk\/ervaring$/);
  await expect(worker.getByTestId('experience-total')).toHaveText(`In totaal: ${Math.floor(worked / 60)} uur en ${worked % 60} minuten`);
  const [download] = await Promise.all([worker.waitForEvent('download'), worker.getByTestId('experience-pdf').click()]);
  expect(download.suggestedFilename()).toMatch(/^werkervaring-sam-drieklus-[a-z0-9]+\.pdf$/);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1_000);
  const text = await pdfText(pdf);
  expect(text).toContain('Verklaring van werkervaring');
  expect(text).toContain(day.worker.name);
  const pdfHours = `${Math.floor(worked / 60)} uur ${worked % 60} min`;
  expect(text).toContain(`Gewerkte uren in totaal: ${pdfHours}`);
  expect(text).toContain(`Tuindienst ${pdfHours} 3`);

  // The dispatcher's week (each week the jobs and hours fall in: one, unless the day crosses Sunday
  // midnight): the worker's hours scheduled, logged and confirmed, and nothing to look into.
  const entries = stored.map((hours) => hours.entries[0]!);
  const days = [...day.jobs.map((job) => amsterdamDay(job.startsAt)), ...entries.map((e) => amsterdamDay(new Date(e.startsAt)))];
  const weeks = new Map(days.map((d) => [weekOf(d).monday, weekOf(d)]));
  await login(page, DEMO.dispatcher);
  for (const week of weeks.values()) {
    const scheduled = day.jobs.reduce((sum, job) => {
      const start = Math.max(job.startsAt.getTime(), week.from);
      const end = Math.min(job.startsAt.getTime() + JOB_MINUTES * MINUTE, week.until);
      return sum + Math.max(0, end - start) / MINUTE;
    }, 0);
    const logged = entries.filter((e) => Date.parse(e.startsAt) >= week.from && Date.parse(e.startsAt) < week.until).reduce((sum, e) => sum + e.billableMinutes, 0);
    await page.goto(`/planning/uren?datum=${week.monday}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/^Uren van week \d+:/);
    const row = page.getByTestId('hours-table').getByRole('row').filter({ hasText: day.worker.name });
    // one entry per job: what is confirmed counts in the week it was logged
    await expect(row.getByRole('cell')).toHaveText([weekHours(scheduled), weekHours(logged), weekHours(logged)]);
    await expect(page.locator('.exception').filter({ hasText: day.worker.name })).toHaveCount(0);
    for (const job of day.jobs) await expect(page.locator(`.exception[data-booking-id="${job.bookingId}"]`)).toHaveCount(0);
  }
  await page.screenshot({ path: testInfo.outputPath('4-week-desktop.png'), fullPage: true });
});
