import { fail, redirect } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { CalendarFeedStatus, Experience } from '$lib/api/experience';
import { requireRole } from '$lib/server/auth';
import { failStatus } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

/** The worker's own work-experience record, the statement as PDF, and their private calendar link. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['worker']);
  const [experience, feed] = await Promise.all([
    locals.api.get<Experience>(`/workers/${me.id}/experience`),
    locals.api.get<CalendarFeedStatus>(`/workers/${me.id}/calendar-feed`),
  ]);
  return {
    experience: dataOrError(experience, locals.locale),
    feed: feed.ok ? feed.data.feed : null,
    revoked: url.searchParams.get('agenda') === 'gestopt',
  };
};

export const actions: Actions = {
  /** A new feed address. Not a redirect: the address exists only in this answer (the API keeps a hash). */
  agendaMaken: async ({ locals, url }) => {
    const me = requireRole(locals, url, ['worker']);
    const result = await locals.api.post<{ url: string; createdAt: string }>(`/workers/${me.id}/calendar-feed`);
    if (!result.ok) return fail(failStatus(result.status), { feedUrl: null, message: errorMessage(result.error.code, locals.locale) });
    // The feed is served by this site (routes/agenda): its address is this site's, whatever the API was told.
    return { feedUrl: new URL(new URL(result.data.url).pathname, url.origin).toString(), message: null };
  },

  agendaStoppen: async ({ locals, url }) => {
    const me = requireRole(locals, url, ['worker']);
    const result = await locals.api.request<void>('DELETE', `/workers/${me.id}/calendar-feed`);
    if (!result.ok) return fail(failStatus(result.status), { feedUrl: null, message: errorMessage(result.error.code, locals.locale) });
    redirect(303, '/werk/ervaring?agenda=gestopt#agenda');
  },
};
