/**
 * The booking wizard's state and the API calls the booking pages share.
 *
 * The wizard keeps its answers between steps in one httpOnly cookie (`bs_booking`, path /boeken):
 * every step is a plain page (`/boeken?stap=3`) and every answer a plain form post that redirects
 * to the next step, so it works without JavaScript and the browser's back button never asks to
 * "resend the form". The cookie holds only what this person chose (no price, no token), is
 * checked again on every read, and the API checks everything once more when the job is booked,
 * so it needs no signature. Its `run` is the Idempotency-Key of this one wizard run: every form
 * carries it, so a post from an older run (another tab, an expired cookie) starts again, and a
 * double click on "Klus aanvragen" books once.
 */
import type { Cookies } from '@sveltejs/kit';
import { error } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, formatPostcode, isIsoDate, type Locale } from '@buurtservice/shared';
import type { Frequency } from '$lib/api/bookings';
import type { Household, Me, Service } from '$lib/api/types';
import { addDays, amsterdamInstant } from '../components/booking/format';
import type { ApiClient } from './client';
import { isoDateOf, isUuid, newIdempotencyKey, text } from './forms';
import { dataOrError } from './load';

export const WIZARD_COOKIE = 'bs_booking';
const WIZARD_PATH = '/boeken';
/** An unfinished request is kept for a day. */
const WIZARD_MAX_AGE = 24 * 60 * 60;

export const WIZARD_STEPS = ['service', 'when', 'details', 'price', 'confirm'] as const;
export type WizardStepName = (typeof WIZARD_STEPS)[number];
export const TOTAL_STEPS = WIZARD_STEPS.length;

export type RepeatChoice = 'once' | Frequency;
export const REPEAT_CHOICES: readonly RepeatChoice[] = ['once', 'weekly', 'every_2_weeks', 'every_4_weeks'];

/** A job starts on the half hour between 07:00 and 20:00. */
export const START_TIMES: readonly string[] = Array.from({ length: 27 }, (_, i) => {
  const minutes = 7 * 60 + i * 30;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});

/** Half an hour up to a working day of 8 hours, in half hours. */
export const DURATIONS: readonly number[] = Array.from({ length: 16 }, (_, i) => (i + 1) * 30);

/** The cookie must stay well under 4 KB, whatever is typed. */
export const MAX_NOTES = 500;
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,19}$/;
/** How far ahead a job can be requested. */
const MAX_DAYS_AHEAD = 366;

export type When = { kind: 'fixed'; date: string; time: string } | { kind: 'flexible'; weekStart: string };

export interface CustomerRef {
  kind: 'household' | 'organisation';
  id: string;
}

export interface WizardState {
  run: string;
  userId: string;
  customer: CustomerRef;
  onBehalf: boolean;
  serviceId?: string;
  when?: When;
  repeat?: RepeatChoice;
  durationMinutes?: number;
  workers?: number;
  locationId?: string;
  notes?: string;
  contactPhone?: string;
  /** The booking this run made: a post of the same run again shows it instead of booking twice. */
  doneBookingId?: string;
}

// ── The cookie ──────────────────────────────────────────────────────────────────────────────────

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function whenOf(value: unknown): When | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'fixed' && isString(v.date) && isIsoDate(v.date) && isString(v.time) && START_TIMES.includes(v.time)) return { kind: 'fixed', date: v.date, time: v.time };
  if (v.kind === 'flexible' && isString(v.weekStart) && isIsoDate(v.weekStart)) return { kind: 'flexible', weekStart: v.weekStart };
  return undefined;
}

/** The state as stored, or null when there is none or it is not one we wrote. */
export function parseWizard(raw: string | undefined): WizardState | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const customer = v.customer as Record<string, unknown> | undefined;
  if (!isString(v.run) || !/^web-[0-9a-f-]{36}$/.test(v.run) || !isUuid(v.userId as string)) return null;
  if (!customer || (customer.kind !== 'household' && customer.kind !== 'organisation') || !isUuid(customer.id as string)) return null;
  const state: WizardState = {
    run: v.run,
    userId: v.userId as string,
    customer: { kind: customer.kind, id: customer.id as string },
    onBehalf: v.onBehalf === true,
  };
  if (isUuid(v.serviceId as string)) state.serviceId = v.serviceId as string;
  const when = whenOf(v.when);
  if (when) state.when = when;
  if (REPEAT_CHOICES.includes(v.repeat as RepeatChoice)) state.repeat = v.repeat as RepeatChoice;
  if (DURATIONS.includes(v.durationMinutes as number)) state.durationMinutes = v.durationMinutes as number;
  if (Number.isInteger(v.workers) && (v.workers as number) >= 1 && (v.workers as number) <= 20) state.workers = v.workers as number;
  if (isUuid(v.locationId as string)) state.locationId = v.locationId as string;
  if (isString(v.notes) && v.notes.length <= MAX_NOTES) state.notes = v.notes;
  if (isString(v.contactPhone) && (v.contactPhone === '' || PHONE_PATTERN.test(v.contactPhone))) state.contactPhone = v.contactPhone;
  if (isUuid(v.doneBookingId as string)) state.doneBookingId = v.doneBookingId as string;
  return state;
}

export function serialiseWizard(state: WizardState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function readWizard(cookies: Cookies): WizardState | null {
  return parseWizard(cookies.get(WIZARD_COOKIE));
}

export function writeWizard(cookies: Cookies, secure: boolean, state: WizardState): void {
  cookies.set(WIZARD_COOKIE, serialiseWizard(state), { path: WIZARD_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: WIZARD_MAX_AGE });
}

export function freshWizard(me: Me, customer: CustomerRef, onBehalf: boolean): WizardState {
  return { run: newIdempotencyKey(), userId: me.id, customer, onBehalf };
}

/** The customer a resident or organisation member books for: their own household or organisation. */
export function ownCustomer(me: Me): CustomerRef | null {
  if (me.role === 'resident' && me.household) return { kind: 'household', id: me.household.id };
  if (me.role === 'organisation_member' && me.organisation) return { kind: 'organisation', id: me.organisation.id };
  return null;
}

/** The step (1-based) of the first unanswered question; TOTAL_STEPS when all are answered. */
export function firstOpenStep(state: WizardState): number {
  if (!state.serviceId) return 1;
  if (!state.when || !state.repeat) return 2;
  if (!state.durationMinutes || !state.workers) return 3;
  return TOTAL_STEPS;
}

// ── The customer ────────────────────────────────────────────────────────────────────────────────

export interface OrganisationLocation {
  id: string;
  name: string;
  street: string;
  houseNumber: number;
  houseNumberSuffix: string;
  postcode: string;
  city: string;
}

interface Organisation {
  id: string;
  name: string;
  phone?: string | null;
  locations: OrganisationLocation[];
}

/** Who a job is for, with what the wizard shows of them. */
export interface CustomerView extends CustomerRef {
  name: string;
  onBehalf: boolean;
  /** A household's own address, one line. */
  address: string | null;
  phone: string | null;
  locations: OrganisationLocation[];
}

export function addressLine(a: { street: string; houseNumber: number; houseNumberSuffix: string; postcode: string; city: string }): string {
  return `${a.street} ${a.houseNumber}${a.houseNumberSuffix ? ` ${a.houseNumberSuffix}` : ''}, ${formatPostcode(a.postcode)} ${a.city}`;
}

export async function loadCustomer(api: ApiClient, locale: Locale, ref: CustomerRef, onBehalf: boolean): Promise<CustomerView> {
  if (ref.kind === 'household') {
    const household = dataOrError(await api.get<Household>(`/households/${ref.id}`), locale);
    return { ...ref, name: household.name, onBehalf, address: addressLine(household), phone: household.phone, locations: [] };
  }
  const organisation = dataOrError(await api.get<Organisation>(`/organisations/${ref.id}`), locale);
  return { ...ref, name: organisation.name, onBehalf, address: null, phone: organisation.phone ?? null, locations: organisation.locations };
}

/** The API path of a customer: `/households/:id` or `/organisations/:id`. */
export function customerPath(ref: CustomerRef): string {
  return ref.kind === 'household' ? `/households/${ref.id}` : `/organisations/${ref.id}`;
}

/** The services this customer can book, with their price for this customer. */
export async function loadServices(api: ApiClient, locale: Locale, ref: CustomerRef, onBehalf: boolean): Promise<Service[]> {
  const query = onBehalf ? (ref.kind === 'household' ? `?householdId=${ref.id}` : `?organisationId=${ref.id}`) : '';
  const result = await api.get<{ services: Service[] }>(`/services${query}`);
  if (!result.ok && (result.status === 403 || result.status === 404)) error(result.status, errorMessage(result.error.code, locale));
  return dataOrError(result, locale).services.filter((service) => service.active);
}

// ── Reading the "when" questions (the wizard and rescheduling) ─────────────────────────────────

export interface WhenMessages {
  kind: string;
  date: string;
  past: string;
  tooFar: string;
  time: string;
  weekStart: string;
}

export type WhenField = 'kind' | 'date' | 'time' | 'weekStart';

export interface WhenValues {
  kind: string;
  date: string;
  time: string;
  weekStart: string;
}

/** A day someone typed: from tomorrow up to a year ahead; an error message otherwise. */
function futureDay(value: string, today: string, invalid: string, t: WhenMessages): { date: string } | { error: string } {
  const date = isoDateOf(value);
  if (!date) return { error: invalid };
  if (date <= today) return { error: t.past };
  if (date > addDays(today, MAX_DAYS_AHEAD)) return { error: t.tooFar };
  return { date };
}

/** The "when" fields of a form: a fixed day and time, or a week to plan in. */
export function readWhen(form: FormData, t: WhenMessages, today = amsterdamDate()): { values: WhenValues; when: When | null; errors: Partial<Record<WhenField, string>> } {
  const values: WhenValues = { kind: text(form, 'kind'), date: text(form, 'date'), time: text(form, 'time'), weekStart: text(form, 'weekStart') };
  const errors: Partial<Record<WhenField, string>> = {};
  if (values.kind === 'fixed') {
    const day = futureDay(values.date, today, t.date, t);
    if ('error' in day) errors.date = day.error;
    if (!START_TIMES.includes(values.time)) errors.time = t.time;
    if ('date' in day && !errors.time) return { values, when: { kind: 'fixed', date: day.date, time: values.time }, errors };
    return { values, when: null, errors };
  }
  if (values.kind === 'flexible') {
    const day = futureDay(values.weekStart, today, t.weekStart, t);
    if ('error' in day) return { values, when: null, errors: { weekStart: day.error } };
    return { values, when: { kind: 'flexible', weekStart: day.date }, errors };
  }
  return { values, when: null, errors: { kind: t.kind } };
}

/** The timing part of a booking body: a fixed start, or a window of 7 days. */
export function timingOf(when: When): { startsAt: string } | { windowStart: string; windowEnd: string } {
  if (when.kind === 'fixed') return { startsAt: amsterdamInstant(when.date, when.time) };
  return { windowStart: when.weekStart, windowEnd: addDays(when.weekStart, 6) };
}

/** The form values of a "when" to fill the fields with. */
export function whenValues(when: When | undefined): WhenValues {
  if (!when) return { kind: '', date: '', time: '', weekStart: '' };
  if (when.kind === 'fixed') return { kind: 'fixed', date: when.date, time: when.time, weekStart: '' };
  return { kind: 'flexible', date: '', time: '', weekStart: when.weekStart };
}

/** Which wizard step a refusal of `POST /bookings` belongs to, so the person can fix it there. */
export function stepOfError(code: string): number | null {
  switch (code) {
    case 'service_not_found':
    case 'service_inactive':
      return 1;
    case 'window_invalid':
    case 'start_in_past':
      return 2;
    case 'workers_out_of_range':
    case 'place_not_allowed':
    case 'location_not_found':
      return 3;
    default:
      return null;
  }
}
