import { error, fail, redirect } from '@sveltejs/kit';
import { errorMessage, isStaff } from '@buurtservice/shared';
import type { Me, Payment, PaymentOptions } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireUser } from '$lib/server/auth';
import { idempotencyHeader, idempotencyKeyOf, isEnhanced, newIdempotencyKey, text, wholeNumber } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import { countFailure, type CountFailure } from '$lib/server/purchase';
import { centsPerCheque, ownerPath, walletOwnerOf } from '$lib/server/wallet';
import type { Actions, PageServerLoad } from './$types';

/** The most cheques the API takes in one order; the programme's own limit may be lower. */
const MAX_CHEQUES = 10_000;
const DEFAULT_CHEQUES = '5';

function ownerOrElse(me: Me, locale: App.Locals['locale']) {
  const owner = walletOwnerOf(me);
  // Organisations order hours and pay by invoice (with VAT); they do not buy online.
  if (owner?.kind === 'organisation') redirect(303, '/organisatie/bestellen');
  if (owner) return owner;
  if (isStaff(me.role)) redirect(303, '/balie');
  error(403, errorMessage('forbidden', locale));
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const owner = ownerOrElse(me, locals.locale);
  const [options, price] = await Promise.all([locals.api.get<PaymentOptions>('/payment-options'), centsPerCheque(locals.api, locals.locale)]);
  return {
    owner,
    options: dataOrError(options, locals.locale),
    centsPerCheque: price,
    defaultCheques: DEFAULT_CHEQUES,
    maxCheques: MAX_CHEQUES,
    idempotencyKey: newIdempotencyKey(),
  };
};

/** Only addresses a browser can really go to: never "javascript:" or the like. */
function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export const actions: Actions = {
  /** Starts a Stripe Checkout for N cheques at the buyer's own tariff, once per form rendering. */
  default: async ({ request, locals, url }) => {
    const me = requireUser(locals, url);
    const owner = ownerOrElse(me, locals.locale);
    const locale = locals.locale;
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const value = text(form, 'cheques');
    const cheques = wholeNumber(value, 1, MAX_CHEQUES);
    if (cheques === null) return fail(400, { values: { cheques: value }, errors: { cheques: dictionary(locale).buy.errors.countInvalid } } satisfies CountFailure);

    const result = await locals.api.post<Payment>(`${ownerPath(owner)}/checkout`, { cheques }, idempotencyHeader(key));
    if (!result.ok) return countFailure(result.status, result.error, locale, value, newIdempotencyKey);

    const payment = result.data;
    // With JavaScript the browser goes straight to the payment page. Without, the page's own
    // Content-Security-Policy (form-action 'self') stops a form post from being redirected to
    // another site, so the return page offers the way on as a link.
    if (payment.status === 'pending' && payment.checkoutUrl && isWebAddress(payment.checkoutUrl) && isEnhanced(request)) redirect(303, payment.checkoutUrl);
    redirect(303, `/portemonnee/betaling/${payment.id}?betalen=1`);
  },
};
