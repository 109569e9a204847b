import { STAFF_ROLES } from '@buurtservice/shared';
import type { Board } from '$lib/api/bookings';
import { addDays, mondayOf } from '$lib/components/dispatch/time';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { boardParams, servicesOf, skillOptions } from '$lib/server/dispatch';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';
import type { CallCount } from './bellen/calls';

/** The dispatcher's board for a day or a week: open jobs, planned jobs, and every worker's schedule. A plain GET page. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const { date, span, today } = boardParams(url);
  const [board, services, calls] = await Promise.all([
    locals.api.get<Board>(withQuery('/dispatch/board', { date, span })),
    servicesOf(locals.api),
    locals.api.get<CallCount>('/dispatch/calls/count'),
  ]);
  const data = dataOrError(board, locals.locale);
  const step = span === 'week' ? 7 : 1;
  const shown = span === 'week' ? mondayOf(date) : date;
  return {
    date: shown,
    span,
    today,
    previous: addDays(shown, -step),
    next: addDays(shown, step),
    board: data,
    // People to phone (the call list); the board does not fail without it.
    callsToMake: calls.ok ? calls.data.count : 0,
    skills: skillOptions(services, locals.locale, data.workers.flatMap((w) => w.skills.map((s) => s.skill))),
  };
};
