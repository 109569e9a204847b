import { error } from '@sveltejs/kit';
import { amsterdamDate, errorMessage } from '@buurtservice/shared';
import type { Booking } from '$lib/api/bookings';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { loadCustomer } from '$lib/server/bookings';
import { isUuid } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** The organisation's jobs, all locations or one (`?locatie=`). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['organisation_member'] as const);
  const locale = locals.locale;
  if (!me.organisation) error(403, errorMessage('forbidden', locale));
  const organisation = await loadCustomer(locals.api, locale, { kind: 'organisation', id: me.organisation.id }, false);
  const asked = url.searchParams.get('locatie');
  const locationId = isUuid(asked) && organisation.locations.some((l) => l.id === asked) ? asked : undefined;

  const path = `/organisations/${organisation.id}/bookings`;
  const [upcoming, past] = await Promise.all([
    locals.api.get<{ bookings: Booking[] }>(withQuery(path, { when: 'upcoming', locationId })),
    locals.api.get<{ bookings: Booking[] }>(withQuery(path, { when: 'past', locationId })),
  ]);
  return {
    organisation: { id: organisation.id, name: organisation.name },
    locations: organisation.locations.map((l) => ({ id: l.id, name: l.name })),
    locationId: locationId ?? '',
    upcoming: dataOrError(upcoming, locale).bookings,
    past: dataOrError(past, locale).bookings,
    today: amsterdamDate(),
  };
};
