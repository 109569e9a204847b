import { error, fail, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, STAFF_ROLES, type Locale } from '@buurtservice/shared';
import type { Booking, BookingDetail, Suggestions } from '$lib/api/bookings';
import { amsterdamInstant, dayOf } from '$lib/components/dispatch/time';
import { dictionary } from '$lib/i18n';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { boardQuery, minuteOf, type Span } from '$lib/server/dispatch';
import { failStatus, isoDateOf, isUuid, newIdempotencyKey, text } from '$lib/server/forms';
import { confirmHoursAction, HOURS_STATES, hoursNotice, loadBookingHours, resolveHoursAction } from '$lib/server/hours';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function bookingIdOf(params: { bookingId: string }, locale: Locale): string {
  if (!isUuid(params.bookingId)) error(404, errorMessage('not_found', locale));
  return params.bookingId;
}

/** Back to the board the dispatcher came from; else the board of the job's day. */
function boardOf(url: URL, booking: Booking | null): { date: string; span: Span } {
  const date = isoDateOf(url.searchParams.get('datum') ?? '') ?? (booking?.startsAt ? dayOf(booking.startsAt) : booking?.windowStart) ?? null;
  const span: Span = url.searchParams.get('weergave') === 'week' ? 'week' : 'day';
  return { date: date ?? amsterdamDate(), span };
}

function backQuery(url: URL): string {
  const params = new URLSearchParams();
  for (const name of ['datum', 'weergave']) {
    const value = url.searchParams.get(name);
    if (value) params.set(name, value);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** A job's panel: its facts and team, the ranked suggestions with their reasons, assign and unassign. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireRole(locals, url, STAFF_ROLES);
  const locale = locals.locale;
  const id = bookingIdOf(params, locale);
  const booking = dataOrError(await locals.api.get<BookingDetail>(`/bookings/${id}`), locale);
  const board = boardOf(url, booking);
  const canAssign = booking.actions.includes('assign') && booking.assignments.length < booking.workersNeeded;
  const flexible = booking.startsAt === null && booking.windowStart !== null && booking.windowEnd !== null;

  // A flexible job: the dispatcher may choose the day and time the suggestions are for.
  const chosen = { day: url.searchParams.get('dag') ?? '', time: url.searchParams.get('tijd') ?? '' };
  let startsAt: string | undefined;
  let startInvalid = false;
  if (flexible && (chosen.day || chosen.time)) {
    const day = isoDateOf(chosen.day);
    const minute = minuteOf(chosen.time);
    if (day && minute !== null && minute < 1440 && day >= booking.windowStart! && day <= booking.windowEnd!) startsAt = amsterdamInstant(day, minute);
    else startInvalid = true;
  }

  let suggestions: Suggestions | null = null;
  let suggestionsError: string | null = null;
  if (canAssign) {
    const result = await locals.api.get<Suggestions>(withQuery(`/bookings/${id}/suggestions`, { startsAt }));
    if (result.ok) suggestions = result.data;
    else suggestionsError = result.status >= 500 ? dictionary(locale).dispatch.panel.suggestionsFailed : errorMessage(result.error.code, locale);
  }

  // After assigning or unassigning: who it was, by name.
  const names = new Map<string, string>([
    ...booking.assignments.map((a) => [a.workerId, a.workerName] as const),
    ...(suggestions?.suggestions ?? []).map((s) => [s.workerId, s.displayName] as const),
  ]);
  const assignedId = url.searchParams.get('ingepland');
  const unassignedId = url.searchParams.get('uitgepland');
  const done = assignedId
    ? { kind: 'assigned' as const, name: names.get(assignedId) ?? null }
    : unassignedId
      ? { kind: 'unassigned' as const, name: names.get(unassignedId) ?? null }
      : null;

  return {
    booking,
    boardHref: `/planning?${boardQuery(board.date, board.span)}`,
    back: backQuery(url),
    canAssign,
    flexible,
    chosen,
    startInvalid,
    suggestions,
    suggestionsError,
    done,
    hours: HOURS_STATES.has(booking.state) ? await loadBookingHours(locals.api, id) : null,
    hoursToday: amsterdamDate(),
    hoursKey: newIdempotencyKey(),
    hoursDone: hoursNotice(url, locale, 'staff'),
  };
};

interface PanelFailure {
  form: 'assign' | 'unassign';
  workerId: string;
  message: string;
}

export const actions: Actions = {
  /** Staff confirm the logged hours on the customer's behalf (e.g. by phone): settled at once. */
  urenGoedkeuren: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const id = bookingIdOf(params, locals.locale);
    return confirmHoursAction(locals.api, locals.locale, id, await request.formData(), `/planning/klus/${id}${backQuery(url) || '?'}${backQuery(url) ? '&' : ''}uren=goedgekeurd#uren`);
  },

  /** A dispatcher sets the minutes per worker with a reason (a dispute, or hours over a cap) and settles. */
  urenVaststellen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const id = bookingIdOf(params, locals.locale);
    return resolveHoursAction(locals.api, locals.locale, id, await request.formData(), `/planning/klus/${id}${backQuery(url) || '?'}${backQuery(url) ? '&' : ''}uren=vastgesteld#uren`);
  },

  /** Assign a worker from the suggestions (optionally as the team's lead; a flexible job's first worker sets the time). */
  inplannen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = bookingIdOf(params, locale);
    const form = await request.formData();
    const workerId = text(form, 'workerId');
    const workerName = text(form, 'workerName').slice(0, 200);
    const startsAt = text(form, 'startsAt');
    if (!isUuid(workerId)) error(404, errorMessage('not_found', locale));
    const body = { workerId, ...(form.get('leads') === 'yes' ? { leads: true } : {}), ...(ISO_INSTANT.test(startsAt) ? { startsAt } : {}) };
    const result = await locals.api.post<Booking>(`/bookings/${id}/assignments`, body);
    if (!result.ok) {
      const message = errorMessage(result.error.code, locale);
      return fail(failStatus(result.status), { form: 'assign', workerId, message: workerName ? dictionary(locale).dispatch.panel.failed(workerName, message) : message } satisfies PanelFailure);
    }
    const back = backQuery(url);
    redirect(303, `/planning/klus/${id}${back || '?'}${back ? '&' : ''}ingepland=${workerId}`);
  },

  /** Take a worker off the job (they are told). */
  uitplannen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = bookingIdOf(params, locale);
    const form = await request.formData();
    const workerId = text(form, 'workerId');
    const workerName = text(form, 'workerName').slice(0, 200);
    if (!isUuid(workerId)) error(404, errorMessage('not_found', locale));
    const result = await locals.api.request<Booking>('DELETE', `/bookings/${id}/assignments/${workerId}`);
    // Taken off already (a double click, a colleague): the page shows the team as it is now.
    if (!result.ok && result.error.code !== 'not_assigned') {
      const message = errorMessage(result.error.code, locale);
      return fail(failStatus(result.status), { form: 'unassign', workerId, message: workerName ? dictionary(locale).dispatch.panel.failed(workerName, message) : message } satisfies PanelFailure);
    }
    const back = backQuery(url);
    redirect(303, `/planning/klus/${id}${back || '?'}${back ? '&' : ''}uitgepland=${workerId}`);
  },
};
