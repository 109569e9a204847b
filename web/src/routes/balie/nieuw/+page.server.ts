import { fail, redirect } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import type { Household } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { readAddress } from '$lib/server/address';
import { EMAIL_PATTERN, failStatus, raw, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

type Field = 'name' | 'displayName' | 'phone' | 'street' | 'houseNumber' | 'houseNumberSuffix' | 'postcode' | 'city' | 'email' | 'password';
type Values = Record<Exclude<Field, 'password'>, string>;

interface Failure {
  values: Values;
  errors: Partial<Record<Field, string>>;
  message?: string;
}

function invalid(status: number, failure: Failure) {
  return fail(status, failure);
}

/** Which field an API error (code, or the JSON pointer of a validation error) belongs to. */
const FIELD_OF_CODE: Record<string, Field> = {
  postcode_invalid: 'postcode',
  postcode_outside_area: 'postcode',
  email_taken: 'email',
  password_too_short: 'password',
  password_too_long: 'password',
  password_common: 'password',
};
const FIELD_OF_POINTER: Record<string, Field> = {
  '/name': 'name', '/phone': 'phone', '/street': 'street', '/houseNumber': 'houseNumber', '/houseNumberSuffix': 'houseNumberSuffix',
  '/postcode': 'postcode', '/city': 'city', '/contact/displayName': 'displayName', '/contact/email': 'email', '/contact/password': 'password',
};

export const load: PageServerLoad = ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
};

export const actions: Actions = {
  /** Staff create a household for a resident who may have no email; they act for them from then on. */
  default: async ({ request, locals, url }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const dict = dictionary(locale);
    const t = dict.newHousehold.errors;
    const r = dict.register.errors;
    const form = await request.formData();
    const address = readAddress(form, locale, { ...t, phoneInvalid: r.phoneInvalid, houseNumberSuffixInvalid: r.houseNumberSuffixInvalid });
    const values: Values = { name: text(form, 'name'), displayName: text(form, 'displayName'), email: text(form, 'email'), ...address.values };
    const password = raw(form, 'password');

    const errors: Partial<Record<Field, string>> = { ...address.errors };
    if (!values.name) errors.name = t.nameRequired;
    if (!values.displayName) errors.displayName = t.contactRequired;
    if (values.email && !EMAIL_PATTERN.test(values.email)) errors.email = r.emailInvalid;
    if (values.email && !password) errors.password = t.passwordRequired;
    if (!values.email && password) errors.email = t.emailRequired;
    if (password && password.length < 8) errors.password = errorMessage('password_too_short', locale);
    if (Object.keys(errors).length > 0 || !address.body) return invalid(400, { values, errors });

    const result = await locals.api.post<Household>('/households', {
      name: values.name,
      ...address.body,
      contact: { displayName: values.displayName, ...(values.email ? { email: values.email, password } : {}) },
    });
    if (!result.ok) {
      const { code } = result.error;
      const pointed = result.error.fields?.map((f) => FIELD_OF_POINTER[f.field]).find((f): f is Field => f !== undefined);
      const field = FIELD_OF_CODE[code] ?? pointed;
      if (field) return invalid(failStatus(result.status), { values, errors: { [field]: code === 'validation_failed' ? r.fieldInvalid : errorMessage(code, locale) } });
      return invalid(failStatus(result.status), { values, errors, message: errorMessage(code, locale) });
    }
    redirect(303, `/balie/huishouden/${result.data.id}?nieuw=1`);
  },
};
