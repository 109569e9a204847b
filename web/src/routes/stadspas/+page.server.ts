import { error, fail, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage } from '@buurtservice/shared';
import type { CityPass, Me, PaymentOptions } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireUser } from '$lib/server/auth';
import { failStatus, fieldErrorsOf, isoDateOf, text } from '$lib/server/forms';
import { passOrNull } from '$lib/server/wallet';
import type { Actions, PageServerLoad } from './$types';

/** What the API takes as a pass number. */
const PASS_NUMBER_PATTERN = /^[A-Za-z0-9 -]{4,32}$/;

function householdOf(me: Me, locale: App.Locals['locale']): string {
  if (me.role === 'resident' && me.household) return me.household.id;
  // Staff enter and verify a pass at the counter, on the household's page.
  if (me.role === 'dispatcher' || me.role === 'programme_admin') redirect(303, '/balie');
  error(403, errorMessage('forbidden', locale));
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const householdId = householdOf(me, locals.locale);
  const [pass, options] = await Promise.all([locals.api.get<CityPass>(`/households/${householdId}/city-pass`), locals.api.get<PaymentOptions>('/payment-options')]);
  return {
    pass: passOrNull(pass, locals.locale),
    today: amsterdamDate(),
    servicePoint: options.ok ? options.data.servicePoint : '',
    saved: url.searchParams.get('opgeslagen') === '1',
  };
};

type Field = 'passNumber' | 'expiresOn';

interface Failure {
  values: Record<Field, string>;
  errors: Partial<Record<Field, string>>;
  message?: string;
}

function invalid(status: number, failure: Failure) {
  return fail(status, failure);
}

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const me = requireUser(locals, url);
    const householdId = householdOf(me, locals.locale);
    const locale = locals.locale;
    const t = dictionary(locale).cityPass.errors;
    const form = await request.formData();
    const values: Record<Field, string> = { passNumber: text(form, 'passNumber'), expiresOn: text(form, 'expiresOn') };
    const errors: Partial<Record<Field, string>> = {};
    if (!PASS_NUMBER_PATTERN.test(values.passNumber)) errors.passNumber = t.numberInvalid;
    const expiresOn = isoDateOf(values.expiresOn);
    if (!expiresOn) errors.expiresOn = t.dateInvalid;
    if (Object.keys(errors).length > 0 || !expiresOn) return invalid(400, { values, errors });

    const result = await locals.api.put<CityPass>(`/households/${householdId}/city-pass`, { passNumber: values.passNumber, expiresOn });
    if (!result.ok) {
      const code = result.error.code;
      if (code === 'city_pass_expired') return invalid(422, { values, errors: { expiresOn: errorMessage(code, locale) } });
      if (code === 'validation_failed') {
        const fieldErrors = fieldErrorsOf(result.error, ['passNumber', 'expiresOn'] as const, locale, t.numberInvalid);
        return invalid(400, { values, errors: fieldErrors, ...(Object.keys(fieldErrors).length > 0 ? {} : { message: errorMessage(code, locale) }) });
      }
      return invalid(failStatus(result.status), { values, errors, message: errorMessage(code, locale) });
    }
    redirect(303, '/stadspas?opgeslagen=1');
  },
};
