/**
 * The hours pages on the server (issue 5, docs/api-hours.md): the worker's day and what the
 * phone sends, and confirming, disputing and settling a booking's hours. The pages' form actions
 * are thin: they call these.
 */
import { fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiResult } from '$lib/api/types';
import { addDays } from '$lib/components/booking/format';
import { checkOutTimes, readEntry, type EntryField } from '$lib/components/hours/entry';
import type { QueuedItem } from '$lib/components/hours/queue';
import type { BookingHours, BookingStateRef, CheckIn, TimeEntry, WorkerJob } from '$lib/components/hours/types';
import { dictionary } from '$lib/i18n';
import { withQuery } from './api';
import type { ApiClient } from './client';
import { failStatus, idempotencyHeader, idempotencyKeyOf, isUuid, newIdempotencyKey, text } from './forms';
import { dataOrError } from './load';

/** The worker's day looks this many days back, for jobs whose hours are still missing. */
export const DAYS_BACK = 7;
/** …and this many days ahead (today included). */
export const DAYS_AHEAD = 8;

export const MIN_REASON = 5;
export const MAX_REASON = 1000;
export const MAX_NOTE = 500;

// ── The worker's day ────────────────────────────────────────────────────────────────────────────

export async function loadWorkerJobs(api: ApiClient, locale: Locale, today: string): Promise<WorkerJob[]> {
  const path = withQuery('/me/jobs', { from: addDays(today, -DAYS_BACK), days: DAYS_BACK + DAYS_AHEAD });
  return dataOrError(await api.get<{ jobs: WorkerJob[] }>(path), locale).jobs;
}

type SentCheckIn = { checkIn: CheckIn; booking: BookingStateRef };
type SentEntry = { entry: TimeEntry; replayed: boolean; booking: BookingStateRef };

/** One check-in or entry from the phone's queue (or a form) to the API. Sending it again is safe. */
export function sendQueuedItem(api: ApiClient, item: QueuedItem): Promise<ApiResult<SentCheckIn | SentEntry>> {
  if (item.kind === 'check_in') {
    return api.post<SentCheckIn>('/check-ins', { id: item.id, bookingId: item.bookingId, startedAt: item.startedAt });
  }
  const { id, bookingId, startsAt, endsAt, breakMinutes, source, checkInId } = item;
  return api.post<SentEntry>('/time-entries', { id, bookingId, startsAt, endsAt, breakMinutes, source, ...(checkInId && { checkInId }) });
}

export interface WorkFailure {
  form: 'check_in' | 'check_out' | 'entry';
  bookingId: string;
  message?: string;
  errors?: Partial<Record<EntryField, string>>;
  values?: { date: string; start: string; end: string; breakMinutes: string };
}

/** The job a form is about; a form without a proper one is no form of ours. */
function bookingOf(form: FormData, locale: Locale): string | ActionFailure<WorkFailure> {
  const bookingId = text(form, 'bookingId');
  return isUuid(bookingId) ? bookingId : fail(404, { form: 'entry' as const, bookingId: '', message: errorMessage('not_found', locale) });
}

/** The id the form was rendered with (a resubmit sends the same one, so it lands once). */
function idOf(form: FormData, name: string): string | null {
  const id = text(form, name);
  return isUuid(id) ? id : null;
}

async function submit(api: ApiClient, locale: Locale, failure: Omit<WorkFailure, 'message'>, item: QueuedItem, done: string): Promise<ActionFailure<WorkFailure>> {
  const result = await sendQueuedItem(api, item);
  if (!result.ok) return fail(failStatus(result.status), { ...failure, message: errorMessage(result.error.code, locale) });
  redirect(303, `/werk?klaar=${done}#klus-${item.bookingId}`);
}

/** Check in now (the form without JavaScript; with it, the phone's queue does this). */
export async function checkInAction(api: ApiClient, locale: Locale, form: FormData): Promise<ActionFailure<WorkFailure>> {
  const bookingId = bookingOf(form, locale);
  if (typeof bookingId !== 'string') return bookingId;
  const id = idOf(form, 'id');
  if (!id) return fail(400, { form: 'check_in', bookingId, message: errorMessage('validation_failed', locale) });
  return submit(api, locale, { form: 'check_in', bookingId }, { kind: 'check_in', id, bookingId, startedAt: new Date().toISOString() }, 'ingecheckt');
}

/** Check out now: the time since the open check-in, minus the break. */
export async function checkOutAction(api: ApiClient, locale: Locale, form: FormData): Promise<ActionFailure<WorkFailure>> {
  const t = dictionary(locale).hours;
  const bookingId = bookingOf(form, locale);
  if (typeof bookingId !== 'string') return bookingId;
  const id = idOf(form, 'id');
  const checkInId = idOf(form, 'checkInId');
  const startedAt = text(form, 'startedAt');
  const breakMinutes = Number(text(form, 'breakMinutes') || '0');
  if (!id || !checkInId || !Number.isFinite(Date.parse(startedAt)) || !Number.isInteger(breakMinutes) || breakMinutes < 0) {
    return fail(400, { form: 'check_out', bookingId, message: errorMessage('validation_failed', locale) });
  }
  const times = checkOutTimes(new Date(startedAt).toISOString(), breakMinutes);
  if (!times.ok) return fail(400, { form: 'check_out', bookingId, message: t.check[times.problem] });
  const item: QueuedItem = { kind: 'time_entry', id, bookingId, startsAt: times.startsAt, endsAt: times.endsAt, breakMinutes, source: 'check_in_out', checkInId };
  return submit(api, locale, { form: 'check_out', bookingId }, item, 'uitgecheckt');
}

/** Hours typed afterwards: a day, a start, an end and a break. */
export async function entryAction(api: ApiClient, locale: Locale, form: FormData): Promise<ActionFailure<WorkFailure>> {
  const t = dictionary(locale).hours.entry.errors;
  const bookingId = bookingOf(form, locale);
  if (typeof bookingId !== 'string') return bookingId;
  const values = { date: text(form, 'date'), start: text(form, 'start'), end: text(form, 'end'), breakMinutes: text(form, 'breakMinutes') };
  const read = readEntry(values);
  if (!read.ok) {
    const errors: Partial<Record<EntryField, string>> = {};
    for (const [field, problem] of Object.entries(read.errors) as [EntryField, keyof typeof t][]) errors[field] = t[problem];
    return fail(400, { form: 'entry', bookingId, values, errors });
  }
  const id = idOf(form, 'id');
  if (!id) return fail(400, { form: 'entry', bookingId, values, message: errorMessage('validation_failed', locale) });
  const item: QueuedItem = { kind: 'time_entry', id, bookingId, startsAt: read.startsAt, endsAt: read.endsAt, breakMinutes: read.breakMinutes, source: 'entered_after' };
  const result = await sendQueuedItem(api, item);
  if (!result.ok) return fail(failStatus(result.status), { form: 'entry', bookingId, values, message: errorMessage(result.error.code, locale) });
  redirect(303, `/werk?klaar=opgeslagen#klus-${bookingId}`);
}

// ── Confirming, disputing and settling ──────────────────────────────────────────────────────────

/** A booking's hours, or null when there are none to show (yet) or the API could not say. */
export async function loadBookingHours(api: ApiClient, bookingId: string): Promise<BookingHours | null> {
  const result = await api.get<BookingHours>(`/bookings/${bookingId}/hours`);
  return result.ok ? result.data : null;
}

/** What just happened, from the address a successful hours form redirects to (`?uren=…`). */
export function hoursNotice(url: URL, locale: Locale, mode: 'customer' | 'staff'): string | null {
  const t = dictionary(locale).hours;
  switch (url.searchParams.get('uren')) {
    case 'goedgekeurd':
      return mode === 'customer' ? t.confirm.confirmed : t.staff.confirmed;
    case 'vraag':
      return t.confirm.disputeSent;
    case 'vastgesteld':
      return t.staff.settled;
    default:
      return null;
  }
}

/** States in which a booking has hours worth showing. */
export const HOURS_STATES = new Set(['in_progress', 'done', 'confirmed', 'disputed', 'settled']);

export interface HoursFailure {
  form: 'hours';
  action: 'confirm' | 'dispute' | 'resolve';
  message?: string;
  errors: Partial<Record<string, string>>;
  values: Record<string, string>;
  idempotencyKey: string;
}

function hoursFailure(status: number, failure: Omit<HoursFailure, 'form'>): ActionFailure<HoursFailure> {
  return fail(status, { form: 'hours' as const, ...failure });
}

/** A refused call: its message; a spent key (the same form sent with other data) gets a fresh one. */
function refused(result: ApiResult<unknown> & { ok: false }, locale: Locale, action: HoursFailure['action'], values: Record<string, string>, key: string): ActionFailure<HoursFailure> {
  const idempotencyKey = result.error.code === 'idempotency_key_reused' ? newIdempotencyKey() : key;
  return hoursFailure(failStatus(result.status), { action, message: errorMessage(result.error.code, locale), errors: {}, values, idempotencyKey });
}

/** The customer (or staff on their behalf, with an optional note) confirms: the booking is settled. */
export async function confirmHoursAction(api: ApiClient, locale: Locale, bookingId: string, form: FormData, done: string): Promise<ActionFailure<HoursFailure>> {
  const key = idempotencyKeyOf(form);
  const note = text(form, 'hoursNote');
  if (note.length > MAX_NOTE) {
    return hoursFailure(400, { action: 'confirm', errors: { hoursNote: dictionary(locale).hours.staff.errors.note }, values: { hoursNote: note }, idempotencyKey: key });
  }
  const result = await api.post<{ hours: BookingHours }>(`/bookings/${bookingId}/confirm-hours`, note ? { note } : {}, idempotencyHeader(key));
  if (!result.ok) return refused(result, locale, 'confirm', { hoursNote: note }, key);
  redirect(303, done);
}

/** The customer says the hours are not right, with a reason: a dispatcher takes it from there. */
export async function disputeHoursAction(api: ApiClient, locale: Locale, bookingId: string, form: FormData, done: string): Promise<ActionFailure<HoursFailure>> {
  const t = dictionary(locale).hours.confirm.errors;
  const key = idempotencyKeyOf(form);
  const reason = text(form, 'hoursReason');
  const problem = reason.length < MIN_REASON ? t.reason : reason.length > MAX_REASON ? t.reasonTooLong : null;
  if (problem) return hoursFailure(400, { action: 'dispute', errors: { hoursReason: problem }, values: { hoursReason: reason }, idempotencyKey: key });
  const result = await api.post<{ hours: BookingHours }>(`/bookings/${bookingId}/dispute-hours`, { reason });
  if (!result.ok) return refused(result, locale, 'dispute', { hoursReason: reason }, key);
  redirect(303, done);
}

/** A dispatcher sets the minutes per worker with a reason (audited) and settles. */
export async function resolveHoursAction(api: ApiClient, locale: Locale, bookingId: string, form: FormData, done: string): Promise<ActionFailure<HoursFailure>> {
  const t = dictionary(locale).hours.staff.errors;
  const key = idempotencyKeyOf(form);
  const reason = text(form, 'hoursReason');
  const workerIds = form.getAll('workerId').filter((v): v is string => typeof v === 'string' && isUuid(v));
  const values: Record<string, string> = { hoursReason: reason };
  const errors: Record<string, string> = {};
  const workers: { workerId: string; minutes: number }[] = [];
  for (const workerId of workerIds) {
    const typed = text(form, `minutes-${workerId}`);
    values[`minutes-${workerId}`] = typed;
    if (/^\d{1,4}$/.test(typed)) workers.push({ workerId, minutes: Number(typed) });
    else errors[`minutes-${workerId}`] = t.minutes;
  }
  if (reason.length < MIN_REASON) errors.hoursReason = t.reason;
  else if (reason.length > MAX_REASON) errors.hoursReason = t.reasonTooLong;
  if (workerIds.length === 0) return hoursFailure(400, { action: 'resolve', message: errorMessage('validation_failed', locale), errors, values, idempotencyKey: key });
  if (Object.keys(errors).length > 0) return hoursFailure(400, { action: 'resolve', errors, values, idempotencyKey: key });
  const result = await api.post<{ hours: BookingHours }>(`/bookings/${bookingId}/resolve-hours`, { workers, reason }, idempotencyHeader(key));
  if (!result.ok) return refused(result, locale, 'resolve', values, key);
  redirect(303, done);
}
