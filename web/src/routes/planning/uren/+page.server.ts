import { amsterdamDate, isoWeekOf, isoWeekRange, shiftWeek, STAFF_ROLES } from '@buurtservice/shared';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { isoDateOf } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';
import type { HoursWeek } from './week';

/**
 * The dispatcher's week: `?week=YYYY-Www`, or `?datum=YYYY-MM-DD` (the week of that day, as the
 * planning board links here); the current week when missing or wrong. A plain GET page.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const current = isoWeekOf(amsterdamDate());
  const asked = url.searchParams.get('week') ?? '';
  const day = isoDateOf(url.searchParams.get('datum') ?? '');
  const week = isoWeekRange(asked) ? asked : day ? isoWeekOf(day) : current;
  const hours = dataOrError(await locals.api.get<HoursWeek>(withQuery('/dispatch/hours-week', { week })), locals.locale);
  return { hours, current, previous: shiftWeek(week, -1), next: shiftWeek(week, 1) };
};
