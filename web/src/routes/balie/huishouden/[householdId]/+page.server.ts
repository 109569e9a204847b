import { error, fail, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, STAFF_ROLES, type Locale } from '@buurtservice/shared';
import type { CityPass, CounterSale, Household, Redemption, Wallet, WalletHistory } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { failStatus, idempotencyHeader, idempotencyKeyOf, isoDateOf, isUuid, newIdempotencyKey, text, wholeNumber } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import { centsPerCheque, passOrNull } from '$lib/server/wallet';
import type { Actions, PageServerLoad } from './$types';

const PASS_NUMBER_PATTERN = /^[A-Za-z0-9 -]{4,32}$/;
const MAX_CHEQUES = 10_000;
/** A service at the service point is paid in quarter hours, up to a working day. */
const REDEEM_MINUTES = Array.from({ length: 32 }, (_, i) => (i + 1) * 15);
const DEFAULT_REDEEM_MINUTES = 60;

/** The forms on this page; a failure says which one it belongs to, so its errors show there. */
type CounterFormName = 'sell' | 'undo' | 'pass' | 'verify' | 'redeem';

interface CounterFormResult {
  form: CounterFormName;
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
  /** A service paid from the wallet, to confirm it. */
  redeemed?: { minutes: number; cents: number };
  /** A fresh key when the form's key is spent. */
  idempotencyKey?: string;
}

function householdIdOf(params: { householdId: string }, locale: Locale): string {
  if (!isUuid(params.householdId)) error(404, errorMessage('not_found', locale));
  return params.householdId;
}

function failed(status: number, result: CounterFormResult) {
  return fail(status, result);
}

function apiFailed(form: CounterFormName, status: number, code: string, locale: Locale, values: Record<string, string>, fieldOf: Record<string, string> = {}) {
  const field = fieldOf[code];
  return failed(failStatus(status), {
    form,
    values,
    errors: field ? { [field]: errorMessage(code, locale) } : {},
    ...(field ? {} : { message: errorMessage(code, locale) }),
    ...(code === 'idempotency_key_reused' ? { idempotencyKey: newIdempotencyKey() } : {}),
  });
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireRole(locals, url, STAFF_ROLES);
  const locale = locals.locale;
  const id = householdIdOf(params, locale);
  const base = `/households/${id}`;
  const saleId = url.searchParams.get('verkoop');
  const [household, wallet, history, pass, price, sale, sales] = await Promise.all([
    locals.api.get<Household>(base),
    locals.api.get<Wallet>(`${base}/wallet`),
    locals.api.get<WalletHistory>(`${base}/wallet/history`),
    locals.api.get<CityPass>(`${base}/city-pass`),
    centsPerCheque(locals.api, locale, `?householdId=${id}`),
    saleId && isUuid(saleId) ? locals.api.get<CounterSale>(`/counter-sales/${saleId}`) : Promise.resolve(null),
    locals.api.get<{ sales: (CounterSale & { canUndo: boolean })[] }>(`${base}/counter-sales`),
  ]);
  const today = amsterdamDate();
  // A sale is shown only on the page of its own household.
  const shownSale = sale?.ok && sale.data.householdId === id ? sale.data : null;
  return {
    household: dataOrError(household, locale),
    wallet: dataOrError(wallet, locale),
    movements: dataOrError(history, locale).movements,
    pass: passOrNull(pass, locale),
    centsPerCheque: price,
    today,
    sale: shownSale,
    // Today's sales at the counter, newest first: each opens its receipt and, while allowed, the undo form.
    salesToday: sales.ok ? sales.data.sales.filter((x) => amsterdamDate(new Date(x.soldAt)) === today) : [],
    saleUndoable: shownSale !== null && shownSale.undoneAt === null && amsterdamDate(new Date(shownSale.soldAt)) === today,
    created: url.searchParams.get('nieuw') === '1',
    passDone: url.searchParams.get('stadspas'),
    redeemMinutes: REDEEM_MINUTES,
    defaultRedeemMinutes: DEFAULT_REDEEM_MINUTES,
    keys: { sell: newIdempotencyKey(), undo: newIdempotencyKey(), redeem: newIdempotencyKey() },
  };
};

export const actions: Actions = {
  /** Sell cheques for cash or PIN at the household's own tariff; then the receipt. */
  verkopen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = householdIdOf(params, locale);
    const t = dictionary(locale).counter.sell.errors;
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const values = { cheques: text(form, 'cheques'), paymentMethod: text(form, 'paymentMethod') };
    const cheques = wholeNumber(values.cheques, 1, MAX_CHEQUES);
    const errors: Record<string, string> = {};
    if (cheques === null) errors.cheques = t.countInvalid;
    if (values.paymentMethod !== 'cash' && values.paymentMethod !== 'pin') errors.paymentMethod = t.methodRequired;
    if (cheques === null || Object.keys(errors).length > 0) return failed(400, { form: 'sell', values, errors });

    const result = await locals.api.post<CounterSale>(`/households/${id}/counter-sales`, { cheques, paymentMethod: values.paymentMethod }, idempotencyHeader(key));
    if (!result.ok) {
      return apiFailed('sell', result.status, result.error.code, locale, values, { order_too_small: 'cheques', order_too_large: 'cheques', yearly_cap_reached: 'cheques' });
    }
    redirect(303, `/balie/huishouden/${id}?verkoop=${result.data.id}`);
  },

  /** Undo today's sale made by mistake: a correcting transaction, with a reason. */
  terugdraaien: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = householdIdOf(params, locale);
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const saleId = text(form, 'saleId');
    const values = { reason: text(form, 'reason') };
    if (!isUuid(saleId)) error(404, errorMessage('not_found', locale));
    if (values.reason.length < 3 || values.reason.length > 500) return failed(400, { form: 'undo', values, errors: { reason: dictionary(locale).counter.sell.errors.reasonRequired } });

    const result = await locals.api.post<CounterSale>(`/counter-sales/${saleId}/undo`, { reason: values.reason }, idempotencyHeader(key));
    // Undone already (a double click, or a colleague): the page shows the sale as it is now.
    if (!result.ok && result.error.code !== 'already_undone') return apiFailed('undo', result.status, result.error.code, locale, values);
    redirect(303, `/balie/huishouden/${id}?verkoop=${saleId}`);
  },

  /** Enter or change the city pass; staff who saw it can verify it in the same step. */
  stadspas: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = householdIdOf(params, locale);
    const t = dictionary(locale).cityPass.errors;
    const form = await request.formData();
    const values = { passNumber: text(form, 'passNumber'), expiresOn: text(form, 'expiresOn') };
    const verify = form.get('verify') === 'yes';
    const errors: Record<string, string> = {};
    if (!PASS_NUMBER_PATTERN.test(values.passNumber)) errors.passNumber = t.numberInvalid;
    const expiresOn = isoDateOf(values.expiresOn);
    if (!expiresOn) errors.expiresOn = t.dateInvalid;
    if (!expiresOn || Object.keys(errors).length > 0) return failed(400, { form: 'pass', values: { ...values, verify: verify ? 'yes' : '' }, errors });

    const result = await locals.api.put<CityPass>(`/households/${id}/city-pass`, { passNumber: values.passNumber, expiresOn, verify });
    if (!result.ok) return apiFailed('pass', result.status, result.error.code, locale, values, { city_pass_expired: 'expiresOn' });
    redirect(303, `/balie/huishouden/${id}?stadspas=${result.data.verified ? 'opgeslagen-gecontroleerd' : 'opgeslagen'}`);
  },

  /** Staff saw the pass that the resident entered: from now on the city-pass tariff. */
  controleren: async ({ locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = householdIdOf(params, locale);
    const result = await locals.api.post<CityPass>(`/households/${id}/city-pass/verify`);
    if (!result.ok) return apiFailed('verify', result.status, result.error.code, locale, {});
    redirect(303, `/balie/huishouden/${id}?stadspas=gecontroleerd`);
  },

  /** Pay a service at the service point (e.g. ironing) straight from the wallet, all or nothing. */
  afrekenen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = householdIdOf(params, locale);
    const t = dictionary(locale).counter.redeem;
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const values = { minutes: text(form, 'minutes'), memo: text(form, 'memo') };
    const minutes = wholeNumber(values.minutes, 15, 6000);
    const errors: Record<string, string> = {};
    if (minutes === null || minutes % 15 !== 0) errors.minutes = t.errors.minutesInvalid;
    if (values.memo.length > 200) errors.memo = t.errors.memoTooLong;
    if (minutes === null || Object.keys(errors).length > 0) return failed(400, { form: 'redeem', values, errors });

    const result = await locals.api.post<Redemption>(`/households/${id}/redemptions`, { minutes, ...(values.memo ? { memo: values.memo } : {}) }, idempotencyHeader(key));
    if (!result.ok) return apiFailed('redeem', result.status, result.error.code, locale, values);
    const done: CounterFormResult = { form: 'redeem', values: {}, errors: {}, redeemed: { minutes: result.data.minutes, cents: result.data.cents } };
    return done;
  },
};
