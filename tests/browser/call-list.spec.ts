import { expect, test } from '@playwright/test';
import { API_URL, DEMO, expectAccessible, expectNoHorizontalScroll, idempotencyKey, login, PHONE, signIn } from './support';

// The call list, end to end: a household made at the counter (its contact has no e-mail address)
// has its job moved; the app's own delivery job (every minute) finds no one to e-mail, so the
// message lands on the dispatchers' call list (the board points to it), where a dispatcher on a
// small screen phones and ticks it off with a note.
test('a job moved for a household without e-mail lands on the call list; the dispatcher phones and ticks it off', async ({ page }) => {
  test.setTimeout(150_000);
  const api = page.request;
  const headers = await signIn(api, DEMO.dispatcher);
  const suffix = Math.random().toString(36).slice(2, 7);
  const name = `Mevr. Belmans ${suffix}`;
  const household = await api.post(`${API_URL}/households`, {
    headers,
    data: { name, street: 'Wisselaan', houseNumber: 100 + Math.floor(Math.random() * 800), postcode: '4823 JA', city: 'Breda', phone: '076 555 12 34', contact: { displayName: `Mia Belmans ${suffix}` } },
  });
  expect(household.status(), await household.text()).toBe(201);
  const householdId = ((await household.json()) as { id: string }).id;
  const sale = await api.post(`${API_URL}/households/${householdId}/counter-sales`, { headers: { ...headers, 'idempotency-key': idempotencyKey() }, data: { cheques: 4, paymentMethod: 'cash' } });
  expect(sale.ok(), await sale.text()).toBe(true);
  const { services } = (await (await api.get(`${API_URL}/services`, { headers })).json()) as { services: { id: string; code: string }[] };
  const start = new Date(Date.now() + 20 * 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  const booked = await api.post(`${API_URL}/bookings`, {
    headers: { ...headers, 'idempotency-key': idempotencyKey() },
    data: { householdId, serviceId: services.find((s) => s.code === 'tuindienst')!.id, place: 'home', startsAt: start.toISOString(), durationMinutes: 60, workersNeeded: 1 },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const bookingId = ((await booked.json()) as { booking: { id: string } }).booking.id;
  const moved = await api.post(`${API_URL}/bookings/${bookingId}/reschedule`, { headers, data: { startsAt: new Date(start.getTime() + 86_400_000).toISOString() } });
  expect(moved.ok(), await moved.text()).toBe(true);

  await page.setViewportSize(PHONE);
  await login(page, DEMO.dispatcher);
  await page.goto('/home');
  await page.getByRole('link', { name: /Bellijst/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bellijst' })).toBeVisible();

  // The delivery job runs every minute: look again until the message has been given up.
  const entry = page.getByTestId('calls').getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
  await expect(async () => {
    await page.reload();
    await expect(entry).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 100_000, intervals: [5_000] });

  // The board says there are people to phone, and leads here.
  await page.goto('/planning');
  await expect(page.getByTestId('calls-notice')).toBeVisible();
  await page.getByTestId('calls-notice').getByRole('link', { name: 'Naar de bellijst' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bellijst' })).toBeVisible();

  // Only the new time: the booking itself was made with her at the counter.
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Geen e-mailadres');
  await expect(entry).toContainText('Nieuwe tijd');
  await expect(entry.getByRole('link', { name: 'Bel 076 555 12 34' })).toHaveAttribute('href', 'tel:0765551234');
  await expect(entry.getByRole('link', { name: 'Naar de klus' })).toHaveAttribute('href', `/planning/klus/${bookingId}`);
  await entry.getByText('Lees het hele bericht').click();
  await expect(entry).toContainText('Uw klus heeft een nieuwe tijd.');
  await expectNoHorizontalScroll(page, 'call list at 360 px');
  await expectAccessible(page, 'call list at 360 px');
  await page.screenshot({ path: test.info().outputPath('call-list-phone.png'), fullPage: true });

  await entry.getByLabel('Wat is afgesproken?').fill('Mevrouw weet het, is thuis');
  await entry.getByRole('button', { name: `Gebeld met ${name}` }).click();
  await expect(page.getByTestId('call-ticked')).toHaveText(`${name} staat op gebeld.`);
  await expect(page.getByRole('heading', { name })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name })).toHaveCount(0);
});
