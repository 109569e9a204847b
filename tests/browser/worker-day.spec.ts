/**
 * The whole loop of issue 5 in a real browser, the worker on a phone-sized screen: a resident
 * books, a dispatcher assigns, the worker checks in, checks out without a connection (the entry
 * waits on the phone and is sent once when the connection is back), the resident confirms, and
 * the wallet shows the hours paid and the rest of the hold given back.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { amsterdamIso } from './pages';
import { amsterdamClock, amsterdamDay, API_URL, DEMO, expectAccessible, expectNoHorizontalScroll, idempotencyKey as key, login, newResidentWithCheques, phone, PHONE, signIn } from './support';

const MINUTE = 60_000;

// What the browser-side callbacks below use; tests/ compiles without the DOM lib.
declare const navigator: { serviceWorker: { ready: Promise<unknown> } };
declare const caches: { open(name: string): Promise<{ match(url: string): Promise<unknown> }> };

type Headers = Record<string, string>;

const suffix = () => Math.random().toString(36).slice(2, 7);

interface Loop {
  bookingId: string;
  household: string;
  resident: { email: string; password: string };
  worker: { id: string; name: string; email: string; password: string };
  dispatcher: Headers;
  /** where /werk lists the job: today's, or (set up just before midnight) the coming jobs, where it can be checked in too */
  section: 'work-today' | 'work-coming';
}

/**
 * A new worker with the garden skill who is free all week, and a new resident with 5 cheques who
 * books a 2-hour garden job for one worker starting within the hour (the API refuses a start in
 * the past; a worker may check in on the job's day, or up to two hours before a job just after midnight).
 */
async function setUpLoop(api: APIRequestContext): Promise<Loop> {
  const dispatcher = await signIn(api, DEMO.dispatcher);
  const tag = suffix();
  const worker = { name: `Noor Tuin ${tag}`, email: `noor.${tag}.${Date.now().toString(36)}@example.nl`, password: 'zonnebloem-tuin-42', id: '' };
  const madeWorker = await api.post(`${API_URL}/workers`, {
    headers: dispatcher,
    data: {
      displayName: worker.name, email: worker.email, password: worker.password, contract: 'paid', startedOn: '2026-01-01',
      skills: [{ skill: 'tuin', level: 'lead' }],
      availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
    },
  });
  expect(madeWorker.status(), await madeWorker.text()).toBe(201);
  worker.id = ((await madeWorker.json()) as { id: string }).id;

  const household = `Fam. Uren ${tag}`;
  const resident = { email: `bewoner.uren.${tag}.${Date.now().toString(36)}@example.nl`, password: 'appelboom-gras-17' };
  const { householdId, headers: residentHeaders, gardenId } = await newResidentWithCheques(api, dispatcher, { ...resident, displayName: household, cheques: 5 });
  // The next quarter hour at least 10 minutes ahead.
  const start = new Date(Math.ceil((Date.now() + 10 * MINUTE) / (15 * MINUTE)) * 15 * MINUTE);
  const booking = await api.post(`${API_URL}/bookings`, {
    headers: { ...residentHeaders, 'idempotency-key': key() },
    data: {
      householdId, serviceId: gardenId, place: 'home', startsAt: amsterdamIso(amsterdamDay(start), amsterdamClock(start)),
      durationMinutes: 120, workersNeeded: 1, notes: 'De sleutel ligt onder de mat.', contactPhone: '06 12345678',
    },
  });
  expect(booking.status(), await booking.text()).toBe(201);
  const created = (await booking.json()) as { booking: { id: string; state: string } };
  expect(created.booking.state).toBe('ready_to_plan');
  const section = amsterdamDay(start) === amsterdamDay(new Date()) ? 'work-today' : 'work-coming';
  return { bookingId: created.booking.id, household, resident, worker, dispatcher, section };
}

async function timeEntriesOf(api: APIRequestContext, loop: Loop): Promise<{ entries: { id: string; rawMinutes: number; billableMinutes: number }[]; checkIns: { id: string; closedAt: string | null }[] }> {
  const response = await api.get(`${API_URL}/bookings/${loop.bookingId}/time-entries`, { headers: loop.dispatcher });
  expect(response.ok(), await response.text()).toBe(true);
  return response.json() as Promise<{ entries: { id: string; rawMinutes: number; billableMinutes: number }[]; checkIns: { id: string; closedAt: string | null }[] }>;
}

async function bookingState(api: APIRequestContext, loop: Loop): Promise<string> {
  const response = await api.get(`${API_URL}/bookings/${loop.bookingId}`, { headers: loop.dispatcher });
  return ((await response.json()) as { state: string }).state;
}

async function assignThroughApi(api: APIRequestContext, loop: Loop): Promise<void> {
  const response = await api.post(`${API_URL}/bookings/${loop.bookingId}/assignments`, { headers: loop.dispatcher, data: { workerId: loop.worker.id } });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Hours worked that end two minutes ago on one day: the day and the clock times as the worker types them. */
function earlierStretch(minutes: number): { date: string; start: string; end: string } {
  const end = new Date(Date.now() - 2 * MINUTE);
  const start = new Date(end.getTime() - minutes * MINUTE);
  if (amsterdamDay(start) === amsterdamDay(end)) return { date: amsterdamDay(end), start: amsterdamClock(start), end: amsterdamClock(end) };
  // Just after midnight: the stretch is late yesterday evening.
  const endMinute = 22 * 60 + minutes;
  const hhmm = `${String(Math.floor(endMinute / 60)).padStart(2, '0')}:${String(endMinute % 60).padStart(2, '0')}`;
  return { date: amsterdamDay(new Date(Date.now() - 24 * 60 * MINUTE)), start: '22:00', end: hhmm };
}

test.describe("the worker's day", () => {
  test.describe.configure({ timeout: 120_000 });

  test('book, assign, check in, check out offline, send once, confirm, and the wallet is right', async ({ browser, page, request }, testInfo) => {
    const loop = await setUpLoop(request);
    const title = `Tuindienst bij ${loop.household}`;

    // The dispatcher assigns the new worker from the suggestions.
    await login(page, DEMO.dispatcher);
    await page.goto(`/planning/klus/${loop.bookingId}`);
    await page.getByRole('button', { name: `Inplannen: ${loop.worker.name}` }).click();
    await expect(page.getByTestId('panel-done')).toHaveText(`${loop.worker.name} is ingepland.`);

    // The worker opens their day on a phone.
    const worker = await phone(browser);
    await login(worker, loop.worker.email, loop.worker.password);
    await worker.getByRole('navigation').getByRole('link', { name: 'Mijn werk' }).click();
    await expect(worker).toHaveURL(/\/werk$/);
    // The service worker keeps the day for when there is no connection.
    await worker.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => worker.evaluate(async () => Boolean(await (await caches.open('werk-pages')).match('/werk')))).toBe(true);
    const job = worker.getByTestId(loop.section).getByTestId('work-job').filter({ hasText: loop.household });
    await expect(job.getByRole('heading', { name: title })).toBeVisible();
    await expect(job).toContainText('Wisselaan');
    await expect(job.getByRole('link', { name: /^Kaart: Wisselaan/ })).toHaveAttribute('href', /^https:\/\/www\.openstreetmap\.org\/search\?query=Wisselaan/);
    await expect(job.getByTestId('job-phone')).toHaveAttribute('href', 'tel:0612345678');
    await expect(job).toContainText('De sleutel ligt onder de mat.');
    await expectNoHorizontalScroll(worker, "the worker's day");
    await expectAccessible(worker, "the worker's day at 360 px");
    await worker.screenshot({ path: testInfo.outputPath('1-werkdag-360.png'), fullPage: true });

    const sends: string[] = [];
    worker.on('requestfinished', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/werk/versturen')) sends.push(String((req.postDataJSON() as { id: string }).id));
    });

    // Checked in an hour ago (the phone's clock; the server accepts a start in the past).
    const checkInAt = new Date(Date.now() - 65 * MINUTE);
    await worker.clock.setFixedTime(checkInAt);
    await job.getByRole('button', { name: `Inchecken: ${title}` }).click();
    await expect(job.getByTestId('job-status')).toContainText(`U bent ingecheckt om ${amsterdamClock(checkInAt)}.`);
    await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
    await expect(job.getByTestId('job-status')).not.toContainText('Nog niet verstuurd');
    expect((await timeEntriesOf(request, loop)).checkIns).toHaveLength(1);
    expect(await bookingState(request, loop)).toBe('in_progress');

    // No connection: the check-out waits on the phone, and the page says so.
    await worker.context().setOffline(true);
    const checkOutAt = new Date(Date.now() - 5 * MINUTE);
    await worker.clock.setFixedTime(checkOutAt);
    await job.getByRole('button', { name: `Uitchecken: ${title}` }).click();
    await expect(worker.getByTestId('queue-count')).toHaveText('1 nog te versturen');
    await expect(worker.getByTestId('queue-status')).toContainText('Geen internet.');
    await expect(job.getByTestId('job-status')).toHaveText('U bent uitgecheckt.');
    await expect(job.getByTestId('job-entries')).toContainText(`${amsterdamClock(checkInAt)}–${amsterdamClock(checkOutAt)}: 1 uur`);
    await expect(job.getByTestId('job-entries')).toContainText('Nog niet verstuurd');
    await expectAccessible(worker, 'the worker\'s day with an entry waiting, at 360 px');
    await worker.screenshot({ path: testInfo.outputPath('2-offline-360.png'), fullPage: true });
    expect((await timeEntriesOf(request, loop)).entries).toHaveLength(0);

    // Still offline, the page is opened again: the last copy of the day, with what waits.
    await worker.reload();
    await expect(worker.getByTestId('queue-count')).toHaveText('1 nog te versturen');
    await expect(job.getByTestId('job-entries')).toContainText('Nog niet verstuurd');

    // The connection is back: the entry is sent, once.
    await worker.context().setOffline(false);
    await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
    await expect(job.getByTestId('job-entries')).toContainText('Doorgegeven');
    const stored = await timeEntriesOf(request, loop);
    expect(stored.entries).toHaveLength(1);
    expect(stored.entries[0]).toMatchObject({ rawMinutes: 60, billableMinutes: 60 });
    expect(stored.checkIns[0]?.closedAt).not.toBeNull();
    expect(sends.filter((id) => id === stored.entries[0]!.id)).toHaveLength(1);
    expect(await bookingState(request, loop)).toBe('done');

    // The resident sees the hours and what they cost, and confirms.
    const resident = await phone(browser);
    await login(resident, loop.resident.email, loop.resident.password);
    await resident.goto(`/boekingen/${loop.bookingId}`);
    const hours = resident.getByTestId('hours-panel');
    await expect(hours.getByTestId('hours-workers')).toContainText(`${loop.worker.name}: 1 uur`);
    await expect(hours.getByTestId('hours-total')).toContainText('1 uur, dat is 1 dienstencheque (€ 10,00)');
    await expect(hours.getByTestId('hours-auto-confirm')).toContainText('Doet u niets? Dan keuren wij de uren goed op');
    await expectNoHorizontalScroll(resident, 'the confirm page');
    await expectAccessible(resident, 'the confirm page at 360 px');
    await resident.screenshot({ path: testInfo.outputPath('3-bevestigen-360.png'), fullPage: true });
    await hours.getByRole('button', { name: 'De uren kloppen' }).click();
    await expect(resident.getByTestId('hours-done')).toHaveText('Dank u wel. De uren zijn goedgekeurd en betaald.');
    const statement = resident.getByTestId('hours-statement');
    await expect(statement).toContainText('Betaald met 1 dienstencheque (€ 10,00).');
    await expect(statement).toContainText('1 uur is teruggezet in uw portemonnee.');
    await resident.screenshot({ path: testInfo.outputPath('4-afgerekend-360.png'), fullPage: true });
    expect(await bookingState(request, loop)).toBe('settled');

    // The wallet: 5 hours bought, 1 paid, the other hour of the hold back, nothing held.
    await statement.getByRole('link', { name: 'Naar mijn dienstencheques' }).click();
    await expect(resident.getByTestId('balance-hours')).toHaveAttribute('data-minutes', '240');
    await expect(resident.getByTestId('held-hours')).toHaveText('0 uur');
    const history = resident.getByTestId('wallet-history');
    await expect(history).toContainText('Betaald voor gewerkte uren');
    await expect(history).toContainText('Reservering terug');
  });

  test('without JavaScript: check in, a check-out too soon is explained, hours entered afterwards', async ({ browser, request }, testInfo) => {
    const loop = await setUpLoop(request);
    await assignThroughApi(request, loop);
    const title = `Tuindienst bij ${loop.household}`;
    const worker = await phone(browser, { javaScriptEnabled: false });
    await login(worker, loop.worker.email, loop.worker.password);
    // Installable: the manifest names the app's start, which brings a worker to their day.
    const manifest = (await (await worker.request.get('/manifest.webmanifest')).json()) as { start_url: string; icons: { src: string }[] };
    for (const icon of manifest.icons) expect((await worker.request.get(icon.src)).ok(), icon.src).toBe(true);
    await worker.goto(manifest.start_url);
    await expect(worker).toHaveURL(/\/werk$/);
    const job = worker.getByTestId(loop.section).getByTestId('work-job').filter({ hasText: loop.household });

    await job.getByRole('button', { name: `Inchecken: ${title}` }).click();
    await expect(worker.getByTestId('work-done')).toHaveText('U bent ingecheckt.');
    await expect(job.getByTestId('job-status')).toContainText('U bent ingecheckt om');
    await job.getByRole('button', { name: `Uitchecken: ${title}` }).click();
    await expect(job.getByTestId('check-error')).toHaveText('U bent net pas ingecheckt. Check uit als u klaar bent.');

    // Hours typed afterwards: first with the end before the start, then right.
    const stretch = earlierStretch(45);
    await job.getByText('Uren achteraf invullen').click();
    await job.getByLabel('Datum').fill(stretch.date);
    await job.getByLabel('Begonnen om').fill(stretch.end);
    await job.getByLabel('Klaar om').fill(stretch.start);
    await job.getByRole('button', { name: 'Uren opslaan' }).click();
    await expect(job.getByText('De eindtijd moet na de begintijd liggen.')).toBeVisible();
    await expect(job.getByLabel('Klaar om')).toHaveAttribute('aria-invalid', 'true');
    await expectNoHorizontalScroll(worker, 'the entry form');
    await job.screenshot({ path: testInfo.outputPath('6-uren-invullen-360.png') });
    await job.getByLabel('Begonnen om').fill(stretch.start);
    await job.getByLabel('Klaar om').fill(stretch.end);
    await job.getByLabel('Pauze', { exact: true }).last().selectOption({ label: '15 minuten' });
    await job.getByRole('button', { name: 'Uren opslaan' }).click();
    await expect(worker.getByTestId('work-done')).toHaveText('Uw uren zijn opgeslagen.');
    await expect(job.getByTestId('job-entries')).toContainText(`${stretch.start}–${stretch.end}: 30 minuten (pauze 15 minuten)`);

    const stored = await timeEntriesOf(request, loop);
    expect(stored.entries).toHaveLength(1);
    expect(stored.entries[0]).toMatchObject({ rawMinutes: 30, billableMinutes: 30 });
    expect(stored.checkIns.filter((c) => c.closedAt === null)).toHaveLength(1);
  });

  test('a check-in that does not get through while the phone says it is online is sent again within seconds', async ({ browser, request }) => {
    const loop = await setUpLoop(request);
    await assignThroughApi(request, loop);
    const title = `Tuindienst bij ${loop.household}`;
    const worker = await phone(browser);
    await login(worker, loop.worker.email, loop.worker.password);
    await worker.goto('/werk');
    const job = worker.getByTestId(loop.section).getByTestId('work-job').filter({ hasText: loop.household });

    // The first send is lost on the way (the phone still thinks it is online: no "online" event follows).
    let lost = 0;
    await worker.route('**/werk/versturen', async (route) => {
      if (lost++ === 0) await route.abort('internetdisconnected');
      else await route.continue();
    });
    await job.getByRole('button', { name: `Inchecken: ${title}` }).click();
    await expect(worker.getByTestId('queue-status')).toContainText('Versturen lukt nu niet.');
    // Tried again after a second, not only after half a minute.
    await expect(worker.getByTestId('queue-all-sent')).toHaveText('Alles is verstuurd.');
    expect(lost).toBe(2);
    expect((await timeEntriesOf(request, loop)).checkIns).toHaveLength(1);
  });

  test('the resident disputes the hours; the dispatcher sets them with a reason and settles', async ({ browser, page, request }, testInfo) => {
    const loop = await setUpLoop(request);
    await assignThroughApi(request, loop);
    // The worker logged 90 minutes afterwards (through the API, as the phone would).
    const workerHeaders = await signIn(request, loop.worker.email, loop.worker.password);
    const end = new Date(Math.floor((Date.now() - 5 * MINUTE) / MINUTE) * MINUTE);
    const logged = await request.post(`${API_URL}/time-entries`, {
      headers: workerHeaders,
      data: { id: crypto.randomUUID(), bookingId: loop.bookingId, startsAt: new Date(end.getTime() - 90 * MINUTE).toISOString(), endsAt: end.toISOString(), breakMinutes: 0, source: 'entered_after' },
    });
    expect(logged.status(), await logged.text()).toBe(201);
    expect(await bookingState(request, loop)).toBe('done');

    // The resident says the hours are not right.
    const resident = await phone(browser);
    await login(resident, loop.resident.email, loop.resident.password);
    await resident.goto(`/boekingen/${loop.bookingId}`);
    const hours = resident.getByTestId('hours-panel');
    await expect(hours.getByTestId('hours-total')).toContainText('1 uur en 30 minuten, dat is 1,5 dienstencheques (€ 15,00)');
    await hours.getByText('De uren kloppen niet').click();
    await hours.getByRole('button', { name: 'Vraag versturen' }).click();
    await expect(resident.getByRole('alert')).toContainText('Schrijf in een paar woorden wat er niet klopt');
    await hours.getByLabel('Wat klopt er niet?').fill('Er is maar een uur gewerkt.');
    await hours.getByRole('button', { name: 'Vraag versturen' }).click();
    await expect(resident.getByTestId('hours-done')).toHaveText('Uw vraag is verstuurd. Een coördinator neemt contact met u op.');
    await expect(resident.getByTestId('hours-dispute')).toContainText('Uw vraag: "Er is maar een uur gewerkt."');
    await expect(hours.getByRole('button', { name: 'De uren kloppen' })).toHaveCount(0);
    expect(await bookingState(request, loop)).toBe('disputed');

    // The dispatcher sets 60 minutes with a reason; the job is settled.
    await page.setViewportSize(PHONE);
    await login(page, DEMO.dispatcher);
    await page.goto(`/planning/klus/${loop.bookingId}`);
    const staff = page.getByTestId('hours-panel');
    await expect(staff.getByTestId('hours-dispute')).toContainText('heeft een vraag over de uren: "Er is maar een uur gewerkt."');
    await expect(staff.getByLabel(`Minuten van ${loop.worker.name}`)).toHaveValue('90');
    await staff.getByLabel(`Minuten van ${loop.worker.name}`).fill('60');
    await staff.getByRole('button', { name: 'Vaststellen en afrekenen' }).click();
    await expect(page.getByRole('alert')).toContainText('Schrijf de reden op');
    await staff.getByLabel('Reden').fill('Klant gebeld: het was een uur.');
    await expectNoHorizontalScroll(page, 'resolving a dispute');
    await expectAccessible(page, 'resolving a dispute at 360 px');
    await page.screenshot({ path: testInfo.outputPath('5-vaststellen-360.png'), fullPage: true });
    await staff.getByRole('button', { name: 'Vaststellen en afrekenen' }).click();
    await expect(page.getByTestId('hours-done')).toHaveText('De uren zijn vastgesteld en afgerekend.');
    await expect(page.getByTestId('hours-statement')).toContainText('Betaald met 1 dienstencheque (€ 10,00).');
    expect(await bookingState(request, loop)).toBe('settled');

    // The resident sees the reason and the statement; the wallet paid one hour.
    await resident.goto(`/boekingen/${loop.bookingId}`);
    await expect(hours).toContainText('Aangepast door de Buurtservice: Klant gebeld: het was een uur.');
    await expect(resident.getByTestId('hours-statement')).toContainText('1 uur is teruggezet in uw portemonnee.');
    await resident.goto('/portemonnee');
    await expect(resident.getByTestId('balance-hours')).toHaveAttribute('data-minutes', '240');
    await expect(resident.getByTestId('held-hours')).toHaveText('0 uur');
  });
});
