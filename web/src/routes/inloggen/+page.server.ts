import { fail, redirect } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { Session } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { failStatus, raw, text } from '$lib/server/forms';
import { safeNext } from '$lib/server/redirect';
import type { Actions, PageServerLoad } from './$types';

interface Failure {
  email: string;
  errors: { email?: string; password?: string };
  message?: string;
  /** Minutes until another attempt is allowed (too many attempts). */
  retryMinutes?: number;
}

function invalid(status: number, failure: Failure) {
  return fail(status, failure);
}

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), '/home'));
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const form = await request.formData();
    const locale = locals.locale;
    const t = dictionary(locale).login.errors;
    const email = text(form, 'email');
    const password = raw(form, 'password');

    const errors: Failure['errors'] = {};
    if (!email) errors.email = t.emailRequired;
    if (!password) errors.password = t.passwordRequired;
    if (errors.email || errors.password) return invalid(400, { email, errors });

    const deviceToken = locals.api.deviceToken;
    const result = await locals.api.post<Session>('/auth/login', { email, password }, { anonymous: true, ...(deviceToken ? { headers: { 'x-device-token': deviceToken } } : {}) });
    if (!result.ok) {
      const retryAfter = Number(result.headers.get('retry-after'));
      return invalid(failStatus(result.status), {
        email,
        errors: {},
        message: errorMessage(result.error.code, locale),
        ...(result.error.code === 'too_many_attempts' && retryAfter > 0 ? { retryMinutes: Math.ceil(retryAfter / 60) } : {}),
      });
    }

    locals.api.startSession(result.data);
    redirect(303, safeNext(url.searchParams.get('next'), '/home'));
  },
};
