import { error } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import { requireRole } from '$lib/server/auth';
import { passOnCalendar } from '$lib/server/calendar';
import { isUuid } from '$lib/server/forms';
import type { RequestHandler } from './$types';

/** One booking as an .ics file for the customer's calendar; the API decides whose booking it is. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  requireRole(locals, url, ['resident', 'organisation_member', 'worker', ...STAFF_ROLES]);
  if (!isUuid(params.bookingId)) error(404, errorMessage('not_found', locals.locale));
  return passOnCalendar(await locals.api.download(`/bookings/${params.bookingId}/calendar.ics`), locals.locale);
};
