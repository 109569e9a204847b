import { error } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, isStaff } from '@buurtservice/shared';
import type { Booking, BookingDetail, Series } from '$lib/api/bookings';
import type { Wallet } from '$lib/api/types';
import { requireUser } from '$lib/server/auth';
import { customerPath } from '$lib/server/bookings';
import { isUuid } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** After booking: what was booked, and what happens next (or what is missing). */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  const me = requireUser(locals, url);
  const locale = locals.locale;
  if (!isUuid(params.bookingId)) error(404, errorMessage('not_found', locale));
  const booking = dataOrError(await locals.api.get<BookingDetail>(`/bookings/${params.bookingId}`), locale);

  const [series, wallet] = await Promise.all([
    booking.seriesId
      ? locals.api.get<{ series: Series; occurrences: Booking[] }>(`/booking-series/${booking.seriesId}`).then((r) => (r.ok ? r.data : null))
      : Promise.resolve(null),
    locals.api.get<Wallet>(`${customerPath(booking.customer)}/wallet`).then((r) => (r.ok ? r.data : null)),
  ]);
  const occurrences = series?.occurrences.filter((o) => o.state !== 'cancelled') ?? [booking];
  return {
    booking,
    series: series?.series ?? null,
    occurrences: occurrences.length,
    awaitingPayment: occurrences.some((o) => o.state === 'awaiting_payment'),
    neededMinutes: occurrences.filter((o) => o.state === 'awaiting_payment').reduce((sum, o) => sum + o.workerMinutes, 0),
    wallet,
    staff: isStaff(me.role),
    today: amsterdamDate(),
  };
};
