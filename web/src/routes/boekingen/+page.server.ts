import { error, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, isStaff } from '@buurtservice/shared';
import type { Booking } from '$lib/api/bookings';
import type { Household } from '$lib/api/types';
import { requireUser } from '$lib/server/auth';
import { withQuery } from '$lib/server/api';
import { isUuid } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** A household's jobs: the resident's own, or (staff) the household in `?huishouden=`. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const locale = locals.locale;
  if (me.role === 'organisation_member') redirect(303, '/organisatie/boekingen');

  let household: { id: string; name: string };
  let onBehalf = false;
  if (isStaff(me.role)) {
    const id = url.searchParams.get('huishouden');
    if (!isUuid(id)) redirect(303, '/balie');
    household = dataOrError(await locals.api.get<Household>(`/households/${id}`), locale);
    onBehalf = true;
  } else if (me.role === 'resident' && me.household) {
    household = me.household;
  } else {
    error(403, errorMessage('forbidden', locale));
  }

  const path = `/households/${household.id}/bookings`;
  const [upcoming, past] = await Promise.all([
    locals.api.get<{ bookings: Booking[] }>(withQuery(path, { when: 'upcoming' })),
    locals.api.get<{ bookings: Booking[] }>(withQuery(path, { when: 'past' })),
  ]);
  return {
    household: { id: household.id, name: household.name },
    onBehalf,
    upcoming: dataOrError(upcoming, locale).bookings,
    past: dataOrError(past, locale).bookings,
    today: amsterdamDate(),
  };
};
