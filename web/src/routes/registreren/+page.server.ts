import { fail, redirect } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { Session } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { readAddress } from '$lib/server/address';
import { EMAIL_PATTERN, failStatus, fieldErrorsOf, raw, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['email', 'password', 'displayName', 'phone', 'street', 'houseNumber', 'houseNumberSuffix', 'postcode', 'city'] as const;
type Field = (typeof FIELDS)[number];
/** What we send back to refill the form: everything except the password. */
type Values = Record<Exclude<Field, 'password'>, string>;

interface Failure {
  values: Values;
  errors: Partial<Record<Field, string>>;
  /** A message for the whole form. */
  message?: string;
}

function invalid(status: number, failure: Failure) {
  return fail(status, failure);
}

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, '/home');
};

/** Which field an API error code belongs to. */
const FIELD_OF_CODE: Record<string, Field> = {
  email_taken: 'email',
  password_too_short: 'password',
  password_too_long: 'password',
  password_common: 'password',
  postcode_invalid: 'postcode',
  postcode_outside_area: 'postcode',
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const form = await request.formData();
    const locale = locals.locale;
    const t = dictionary(locale).register.errors;
    const address = readAddress(form, locale, t);
    const values: Values = { email: text(form, 'email'), displayName: text(form, 'displayName'), ...address.values };
    const password = raw(form, 'password');

    const errors: Partial<Record<Field, string>> = { ...address.errors };
    if (!values.email) errors.email = t.emailRequired;
    else if (!EMAIL_PATTERN.test(values.email)) errors.email = t.emailInvalid;
    if (password.length < 8) errors.password = errorMessage('password_too_short', locale);
    else if (password.length > 128) errors.password = errorMessage('password_too_long', locale);
    if (!values.displayName) errors.displayName = t.nameRequired;

    if (Object.keys(errors).length > 0 || !address.body) return invalid(400, { values, errors });

    const result = await locals.api.post<Session>('/auth/register', {
      email: values.email,
      password,
      displayName: values.displayName,
      ...address.body,
      locale,
    }, { anonymous: true });

    if (!result.ok) {
      const code = result.error.code;
      const field = FIELD_OF_CODE[code];
      if (field) return invalid(failStatus(result.status), { values, errors: { [field]: errorMessage(code, locale) } });
      if (code === 'validation_failed') {
        const fieldErrors = fieldErrorsOf(result.error, FIELDS, locale, t.fieldInvalid);
        if (Object.keys(fieldErrors).length > 0) return invalid(400, { values, errors: fieldErrors });
        return invalid(400, { values, errors: {}, message: errorMessage(code, locale) });
      }
      return invalid(failStatus(result.status), { values, errors: {}, message: errorMessage(code, locale) });
    }

    locals.api.startSession(result.data);
    redirect(303, '/home');
  },
};
