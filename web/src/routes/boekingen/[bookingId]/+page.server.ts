import { error, fail, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, isStaff, type Locale } from '@buurtservice/shared';
import type { Booking, BookingDetail, Series } from '$lib/api/bookings';
import { amsterdamClock } from '$lib/components/booking/format';
import { dictionary } from '$lib/i18n';
import { requireUser } from '$lib/server/auth';
import { START_TIMES, readWhen, timingOf, type WhenValues } from '$lib/server/bookings';
import { failStatus, idempotencyHeader, idempotencyKeyOf, isUuid, newIdempotencyKey, text } from '$lib/server/forms';
import { confirmHoursAction, disputeHoursAction, HOURS_STATES, hoursNotice, loadBookingHours, resolveHoursAction } from '$lib/server/hours';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const MAX_REASON = 500;

function bookingIdOf(params: { bookingId: string }, locale: Locale): string {
  if (!isUuid(params.bookingId)) error(404, errorMessage('not_found', locale));
  return params.bookingId;
}

/** The "when" fields filled with the booking's present time, to move it from there. */
function currentWhen(booking: Booking): WhenValues {
  if (booking.startsAt) {
    const { date, time } = amsterdamClock(booking.startsAt);
    return { kind: 'fixed', date, time: START_TIMES.includes(time) ? time : '', weekStart: '' };
  }
  return { kind: 'flexible', date: '', time: '', weekStart: booking.windowStart?.slice(0, 10) ?? '' };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const me = requireUser(locals, url);
  const locale = locals.locale;
  const id = bookingIdOf(params, locale);
  const booking = dataOrError(await locals.api.get<BookingDetail>(`/bookings/${id}`), locale);
  const staff = isStaff(me.role);
  const backHref = booking.customer.kind === 'organisation'
    ? staff ? '/home' : '/organisatie/boekingen'
    : staff ? `/boekingen?huishouden=${booking.customer.id}` : '/boekingen';
  const cancelled = url.searchParams.get('afgezegd');
  const fee = url.searchParams.get('kosten');
  return {
    booking,
    backHref,
    staff,
    today: amsterdamDate(),
    now: new Date().toISOString(),
    startTimes: START_TIMES,
    when: currentWhen(booking),
    confirmCancel: url.searchParams.has('afzeggen') && booking.actions.includes('cancel'),
    rescheduled: url.searchParams.has('verzet'),
    cancelledCount: cancelled && /^[0-9]{1,3}$/.test(cancelled) ? Number(cancelled) : null,
    feeMinutes: fee && /^[0-9]{1,5}$/.test(fee) ? Number(fee) : null,
    idempotencyKey: newIdempotencyKey(),
    maxReason: MAX_REASON,
    hours: HOURS_STATES.has(booking.state) ? await loadBookingHours(locals.api, id) : null,
    hoursKey: newIdempotencyKey(),
    hoursDone: hoursNotice(url, locale, staff ? 'staff' : 'customer'),
  };
};

export const actions: Actions = {
  /** The customer says the logged hours are right: they are paid from the hold. */
  urenGoedkeuren: async ({ request, locals, url, params }) => {
    requireUser(locals, url);
    const id = bookingIdOf(params, locals.locale);
    return confirmHoursAction(locals.api, locals.locale, id, await request.formData(), `/boekingen/${id}?uren=goedgekeurd#uren`);
  },

  /** The customer says the hours are not right, with a reason. */
  urenBetwisten: async ({ request, locals, url, params }) => {
    requireUser(locals, url);
    const id = bookingIdOf(params, locals.locale);
    return disputeHoursAction(locals.api, locals.locale, id, await request.formData(), `/boekingen/${id}?uren=vraag#uren`);
  },

  /** Staff set the minutes per worker with a reason and settle (the API refuses anyone else). */
  urenVaststellen: async ({ request, locals, url, params }) => {
    requireUser(locals, url);
    const id = bookingIdOf(params, locals.locale);
    return resolveHoursAction(locals.api, locals.locale, id, await request.formData(), `/boekingen/${id}?uren=vastgesteld#uren`);
  },

  /** Moves the job to another day and time (or week). */
  verzetten: async ({ request, locals, url, params }) => {
    requireUser(locals, url);
    const locale = locals.locale;
    const id = bookingIdOf(params, locale);
    const form = await request.formData();
    const { values, when, errors } = readWhen(form, dictionary(locale).booking.wizard.when.errors);
    if (!when) return fail(400, { form: 'reschedule' as const, values, errors });
    const result = await locals.api.post<Booking>(`/bookings/${id}/reschedule`, timingOf(when));
    if (!result.ok) {
      const code = result.error.code;
      const message = errorMessage(code, locale);
      if (code === 'start_in_past') return fail(failStatus(result.status), { form: 'reschedule' as const, values, errors: { [when.kind === 'fixed' ? 'date' : 'weekStart']: message } });
      if (code === 'window_invalid') return fail(failStatus(result.status), { form: 'reschedule' as const, values, errors: { weekStart: message } });
      return fail(failStatus(result.status), { form: 'reschedule' as const, values, errors: {}, message });
    }
    redirect(303, `/boekingen/${id}?verzet=1`);
  },

  /** Cancels this job, or (in a series) this one and every later one. */
  afzeggen: async ({ request, locals, url, params }) => {
    requireUser(locals, url);
    const locale = locals.locale;
    const id = bookingIdOf(params, locale);
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const scope = text(form, 'scope') === 'following' ? 'following' : 'one';
    const reason = text(form, 'reason');
    const values = { scope, reason };
    if (reason.length > MAX_REASON) {
      return fail(400, { form: 'cancel' as const, values, errors: { reason: dictionary(locale).booking.wizard.details.errors.notesTooLong }, idempotencyKey: key });
    }

    if (scope === 'following') {
      const booking = dataOrError(await locals.api.get<Booking>(`/bookings/${id}`), locale);
      if (booking.seriesId) {
        const result = await locals.api.post<{ series: Series; cancelled: string[] }>(
          `/booking-series/${booking.seriesId}/cancel`,
          { fromBookingId: id, ...(reason ? { reason } : {}) },
          idempotencyHeader(key),
        );
        if (!result.ok) return fail(failStatus(result.status), { form: 'cancel' as const, values, errors: {}, message: errorMessage(result.error.code, locale), idempotencyKey: result.error.code === 'idempotency_key_reused' ? newIdempotencyKey() : key });
        redirect(303, `/boekingen/${id}?afgezegd=${result.data.cancelled.length}`);
      }
    }

    const result = await locals.api.post<{ booking: Booking; late: boolean; feeMinutes: number; releasedMinutes: number }>(
      `/bookings/${id}/cancel`,
      reason ? { reason } : {},
      idempotencyHeader(key),
    );
    if (!result.ok) return fail(failStatus(result.status), { form: 'cancel' as const, values, errors: {}, message: errorMessage(result.error.code, locale), idempotencyKey: result.error.code === 'idempotency_key_reused' ? newIdempotencyKey() : key });
    redirect(303, `/boekingen/${id}?afgezegd=1&kosten=${result.data.feeMinutes}`);
  },
};
