import { error, fail, redirect } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import { dictionary } from '$lib/i18n';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { failStatus, isUuid, text } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';
import type { Call } from './calls';

/** The call list: messages that reached no one, to pass on by phone; `?gebeld=<name>` after ticking one off. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const { calls } = dataOrError(await locals.api.get<{ calls: Call[] }>(withQuery('/dispatch/calls', { locale: locals.locale })), locals.locale);
  return { calls, ticked: url.searchParams.get('gebeld')?.slice(0, 200) ?? null };
};

export interface CallFailure {
  id: string;
  note: string;
  message: string;
}

export const actions: Actions = {
  /** The person was phoned: off the list, with what was agreed. Ticking twice (a double click, a colleague) is fine. */
  gebeld: async ({ request, locals, url }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const form = await request.formData();
    const id = text(form, 'id');
    const note = text(form, 'note').slice(0, 500);
    const name = text(form, 'name').slice(0, 200);
    if (!isUuid(id)) error(404, errorMessage('not_found', locale));
    const result = await locals.api.post(`/dispatch/calls/${id}/called`, note ? { note } : {});
    if (!result.ok) {
      const message = result.status >= 500 ? dictionary(locale).calls.failed : errorMessage(result.error.code, locale);
      return fail(failStatus(result.status), { id, note, message } satisfies CallFailure);
    }
    redirect(303, `/planning/bellen?gebeld=${encodeURIComponent(name)}`);
  },
};
