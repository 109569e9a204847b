import { error } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import { passOnCalendar } from '$lib/server/calendar';
import type { RequestHandler } from './$types';

/**
 * A worker's private calendar feed, polled by their calendar app without logging in: the secret
 * in the address is the key, and only the API can tell whether it is live.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(params.token)) error(404, errorMessage('not_found', locals.locale));
  return passOnCalendar(await locals.api.download(`/calendar/${params.token}.ics`), locals.locale);
};
