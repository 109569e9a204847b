import { error, fail, redirect } from '@sveltejs/kit';
import { DEFAULT_SETTINGS, errorMessage, vatCents } from '@buurtservice/shared';
import type { Invoice, Me } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { idempotencyHeader, idempotencyKeyOf, newIdempotencyKey, text, wholeNumber } from '$lib/server/forms';
import { countFailure, type CountFailure } from '$lib/server/purchase';
import { centsPerCheque } from '$lib/server/wallet';
import type { ApiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const MAX_CHEQUES = 10_000;

function organisationOf(me: Me, locale: App.Locals['locale']): string {
  if (!me.organisation) error(403, errorMessage('forbidden', locale));
  return me.organisation.id;
}

/**
 * The VAT rate of the preview: the rate of the organisation's latest invoice, else the default.
 * The API does not tell the programme's rate before an order; the invoice it makes is leading.
 */
async function vatRateFor(api: ApiClient, organisationId: string): Promise<number> {
  const result = await api.get<{ invoices: Invoice[] }>(`/organisations/${organisationId}/invoices`);
  return (result.ok ? result.data.invoices[0]?.vatRatePercent : undefined) ?? DEFAULT_SETTINGS.vatRatePercent;
}

interface OrderPreview {
  cheques: number;
  centsPerHour: number;
  netCents: number;
  vatRatePercent: number;
  vatCents: number;
  grossCents: number;
}

/** Step 1's answer: the number as typed, and what it costs. */
interface OrderReview extends CountFailure {
  preview: OrderPreview;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['organisation_member']);
  const organisationId = organisationOf(me, locals.locale);
  const [price, vatRatePercent] = await Promise.all([centsPerCheque(locals.api, locals.locale), vatRateFor(locals.api, organisationId)]);
  return { organisation: me.organisation, centsPerCheque: price, vatRatePercent, idempotencyKey: newIdempotencyKey() };
};

export const actions: Actions = {
  /** Step 1: what the order costs, net, VAT and total, before anything is ordered. */
  bekijken: async ({ request, locals, url }) => {
    const me = requireRole(locals, url, ['organisation_member']);
    const locale = locals.locale;
    const form = await request.formData();
    const value = text(form, 'cheques');
    const cheques = wholeNumber(value, 1, MAX_CHEQUES);
    if (cheques === null) return fail(400, { values: { cheques: value }, errors: { cheques: dictionary(locale).order.errors.countInvalid } } satisfies CountFailure);
    const [price, vatRatePercent] = await Promise.all([centsPerCheque(locals.api, locale), vatRateFor(locals.api, organisationOf(me, locale))]);
    if (price === null) return fail(422, { values: { cheques: value }, errors: {}, message: dictionary(locale).order.noPrice } satisfies CountFailure);
    const net = cheques * price;
    const vat = vatCents(net, vatRatePercent);
    const review: OrderReview = { values: { cheques: value }, errors: {}, preview: { cheques, centsPerHour: price, netCents: net, vatRatePercent, vatCents: vat, grossCents: net + vat } };
    return review;
  },

  /** Step 2: the order; the API makes the invoice. Once per form rendering (Idempotency-Key). */
  bestellen: async ({ request, locals, url }) => {
    const me = requireRole(locals, url, ['organisation_member']);
    const locale = locals.locale;
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const value = text(form, 'cheques');
    const cheques = wholeNumber(value, 1, MAX_CHEQUES);
    if (cheques === null) return fail(400, { values: { cheques: value }, errors: { cheques: dictionary(locale).order.errors.countInvalid } } satisfies CountFailure);
    const result = await locals.api.post<Invoice>(`/organisations/${organisationOf(me, locale)}/orders`, { cheques }, idempotencyHeader(key));
    if (!result.ok) return countFailure(result.status, result.error, locale, value, newIdempotencyKey);
    redirect(303, `/organisatie/facturen?besteld=${result.data.id}`);
  },
};
