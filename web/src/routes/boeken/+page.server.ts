import { error, fail, redirect, type Cookies } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, isStaff } from '@buurtservice/shared';
import type { CreatedBooking, Series, Booking } from '$lib/api/bookings';
import type { Me, Quote, Service, Wallet } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import { requireUser } from '$lib/server/auth';
import {
  DURATIONS,
  MAX_NOTES,
  PHONE_PATTERN,
  REPEAT_CHOICES,
  START_TIMES,
  TOTAL_STEPS,
  customerPath,
  firstOpenStep,
  freshWizard,
  loadCustomer,
  loadServices,
  ownCustomer,
  readWhen,
  readWizard,
  stepOfError,
  timingOf,
  whenValues,
  writeWizard,
  type RepeatChoice,
  type WizardState,
} from '$lib/server/bookings';
import { failStatus, idempotencyHeader, isUuid, text } from '$lib/server/forms';
import type { ApiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

function stepUrl(step: number): string {
  return step <= 1 ? '/boeken?stap=1' : `/boeken?stap=${step}`;
}

/** The duration offered first: the service's usual one, on the half hour, within the choices. */
function defaultDuration(service: Service): number {
  const rounded = Math.round(service.defaultDurationMinutes / 30) * 30;
  return Math.min(DURATIONS[DURATIONS.length - 1]!, Math.max(DURATIONS[0]!, rounded));
}

/**
 * The state this request works with. A person who opens /boeken starts a new request when there
 * is none, when the last one was booked, or (staff) when they came for another household.
 */
function startState(me: Me, cookies: Cookies, url: URL, secure: boolean, locale: App.Locals['locale']): WizardState {
  let state = readWizard(cookies);
  if (state && state.userId !== me.id) state = null;
  const forHousehold = url.searchParams.get('huishouden');
  const restart = url.searchParams.has('opnieuw') || (state?.doneBookingId !== undefined && !url.searchParams.has('stap'));

  if (isStaff(me.role)) {
    if (forHousehold !== null) {
      if (!isUuid(forHousehold)) error(404, errorMessage('not_found', locale));
      if (!state || restart || state.customer.id !== forHousehold) state = freshWizard(me, { kind: 'household', id: forHousehold }, true);
    } else if (!state || restart) {
      // Staff book on behalf of a household: they find it at the counter first.
      redirect(303, '/balie');
    }
  } else {
    const own = ownCustomer(me);
    if (!own) error(403, dictionary(locale).booking.errors.notOwnCustomer);
    if (!state || restart || state.customer.id !== own.id) state = freshWizard(me, own, false);
  }
  writeWizard(cookies, secure, state);
  return state;
}

async function walletOf(api: ApiClient, state: WizardState): Promise<Wallet | null> {
  const result = await api.get<Wallet>(`${customerPath(state.customer)}/wallet`);
  return result.ok ? result.data : null;
}

async function quoteOf(api: ApiClient, state: WizardState): Promise<Quote | null> {
  if (!state.serviceId || !state.workers || !state.durationMinutes || !state.when) return null;
  const date = state.when.kind === 'fixed' ? state.when.date : state.when.weekStart;
  const body: Record<string, unknown> = { serviceId: state.serviceId, workers: state.workers, minutes: state.durationMinutes, date };
  if (state.onBehalf) body[state.customer.kind === 'household' ? 'householdId' : 'organisationId'] = state.customer.id;
  const result = await api.post<Quote>('/quotes', body);
  return result.ok ? result.data : null;
}

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
  const me = requireUser(locals, url);
  const locale = locals.locale;
  const secure = url.protocol === 'https:';
  const state = startState(me, cookies, url, secure, locale);

  // Back to the confirm step after booking (the browser's back button): show what was booked.
  if (state.doneBookingId && url.searchParams.has('stap')) redirect(303, `/boeken/klaar/${state.doneBookingId}`);

  const asked = Number(url.searchParams.get('stap') ?? '1');
  const wanted = Number.isInteger(asked) && asked >= 1 && asked <= TOTAL_STEPS ? asked : 1;
  const open = firstOpenStep(state);
  if (wanted > open) redirect(303, stepUrl(open));
  const step = wanted;

  const [customer, services] = await Promise.all([
    loadCustomer(locals.api, locale, state.customer, state.onBehalf),
    loadServices(locals.api, locale, state.customer, state.onBehalf),
  ]);
  const service = services.find((s) => s.id === state.serviceId) ?? null;
  // The chosen service is gone (made inactive meanwhile): choose again.
  if (step > 1 && !service) redirect(303, stepUrl(1));

  const needsPrice = step >= 4;
  const [quote, wallet, servicePoint] = await Promise.all([
    needsPrice ? quoteOf(locals.api, state) : Promise.resolve(null),
    step === 4 ? walletOf(locals.api, state) : Promise.resolve(null),
    service?.location === 'service_point' && step >= 3
      ? locals.api.get<{ servicePoint: string }>('/payment-options').then((r) => (r.ok ? r.data.servicePoint : ''))
      : Promise.resolve(''),
  ]);

  return {
    step,
    totalSteps: TOTAL_STEPS,
    run: state.run,
    expired: url.searchParams.has('verlopen'),
    customer,
    services,
    service,
    answers: {
      serviceId: state.serviceId ?? '',
      when: whenValues(state.when),
      repeat: state.repeat ?? 'once',
      durationMinutes: state.durationMinutes ?? (service ? defaultDuration(service) : 120),
      workers: state.workers ?? service?.minWorkers ?? 1,
      locationId: state.locationId ?? '',
      notes: state.notes ?? '',
      contactPhone: state.contactPhone ?? customer.phone ?? '',
    },
    today: amsterdamDate(),
    startTimes: START_TIMES,
    durations: DURATIONS,
    maxNotes: MAX_NOTES,
    quote,
    wallet,
    servicePoint,
  };
};

/**
 * The wizard's state for a post, checked against the form's run: a form of an older run (another
 * tab, a cookie that expired) starts again instead of changing the wrong request.
 */
function stateForPost(cookies: Cookies, form: FormData, me: Me): WizardState {
  const state = readWizard(cookies);
  if (!state || state.userId !== me.id || text(form, 'run') !== state.run) redirect(303, '/boeken?verlopen=1');
  if (state.doneBookingId) redirect(303, `/boeken/klaar/${state.doneBookingId}`);
  return state;
}

export const actions: Actions = {
  /** Step 1: the service. */
  dienst: async ({ request, locals, url, cookies }) => {
    const me = requireUser(locals, url);
    const locale = locals.locale;
    const form = await request.formData();
    const state = stateForPost(cookies, form, me);
    const serviceId = text(form, 'serviceId');
    const services = await loadServices(locals.api, locale, state.customer, state.onBehalf);
    const service = services.find((s) => s.id === serviceId);
    if (!service) return fail(400, { step: 1, values: { serviceId }, errors: { serviceId: dictionary(locale).booking.wizard.service.required } });
    if (state.serviceId !== service.id) {
      state.serviceId = service.id;
      // Another service has another range of workers and another usual duration.
      if (state.workers !== undefined && (state.workers < service.minWorkers || state.workers > service.maxWorkers)) delete state.workers;
      delete state.durationMinutes;
      if (service.location === 'service_point') delete state.locationId;
    }
    writeWizard(cookies, url.protocol === 'https:', state);
    redirect(303, stepUrl(2));
  },

  /** Step 2: when, and how often. */
  wanneer: async ({ request, locals, url, cookies }) => {
    const me = requireUser(locals, url);
    const t = dictionary(locals.locale).booking.wizard.when.errors;
    const form = await request.formData();
    const state = stateForPost(cookies, form, me);
    const { values, when, errors } = readWhen(form, t);
    const repeat = text(form, 'repeat');
    const fields: Record<string, string | undefined> = { ...errors };
    if (!REPEAT_CHOICES.includes(repeat as RepeatChoice)) fields.repeat = t.frequency;
    else if (repeat !== 'once' && values.kind === 'flexible') fields.repeat = t.repeatNeedsFixed;
    if (!when || Object.values(fields).some(Boolean)) return fail(400, { step: 2, values: { ...values, repeat }, errors: fields });
    state.when = when;
    state.repeat = repeat as RepeatChoice;
    writeWizard(cookies, url.protocol === 'https:', state);
    redirect(303, stepUrl(3));
  },

  /** Step 3: how long, how many workers, where, and what the workers should know. */
  details: async ({ request, locals, url, cookies }) => {
    const me = requireUser(locals, url);
    const locale = locals.locale;
    const t = dictionary(locale).booking.wizard.details.errors;
    const form = await request.formData();
    const state = stateForPost(cookies, form, me);
    const [services, customer] = await Promise.all([
      loadServices(locals.api, locale, state.customer, state.onBehalf),
      loadCustomer(locals.api, locale, state.customer, state.onBehalf),
    ]);
    const service = services.find((s) => s.id === state.serviceId);
    if (!service) redirect(303, stepUrl(1));

    const values = {
      durationMinutes: text(form, 'durationMinutes'),
      workers: text(form, 'workers'),
      locationId: text(form, 'locationId'),
      notes: text(form, 'notes'),
      contactPhone: text(form, 'contactPhone'),
    };
    const errors: Record<string, string> = {};
    const duration = Number(values.durationMinutes);
    if (!DURATIONS.includes(duration)) errors.durationMinutes = t.duration;
    const workers = /^[0-9]{1,2}$/.test(values.workers) ? Number(values.workers) : 0;
    if (workers < service.minWorkers || workers > service.maxWorkers) errors.workers = t.workers;
    const atLocation = state.customer.kind === 'organisation' && service.location === 'customer_address';
    if (atLocation) {
      if (customer.locations.length === 0) errors.locationId = t.noLocations;
      else if (!customer.locations.some((l) => l.id === values.locationId)) errors.locationId = t.location;
    }
    if (values.notes.length > MAX_NOTES) errors.notes = t.notesTooLong;
    if (values.contactPhone !== '' && !PHONE_PATTERN.test(values.contactPhone)) errors.contactPhone = t.phone;
    if (Object.keys(errors).length > 0) return fail(400, { step: 3, values, errors });

    state.durationMinutes = duration;
    state.workers = workers;
    if (atLocation) state.locationId = values.locationId;
    else delete state.locationId;
    state.notes = values.notes;
    state.contactPhone = values.contactPhone;
    writeWizard(cookies, url.protocol === 'https:', state);
    redirect(303, stepUrl(4));
  },

  /** Step 5: book it. Once per run: the run is the Idempotency-Key. */
  boek: async ({ request, locals, url, cookies }) => {
    const me = requireUser(locals, url);
    const locale = locals.locale;
    const form = await request.formData();
    const state = stateForPost(cookies, form, me);
    if (firstOpenStep(state) < TOTAL_STEPS || !state.serviceId || !state.when || !state.repeat) redirect(303, stepUrl(firstOpenStep(state)));
    const services = await loadServices(locals.api, locale, state.customer, state.onBehalf);
    const service = services.find((s) => s.id === state.serviceId);
    if (!service) redirect(303, stepUrl(1));

    const place = service.location === 'service_point' ? 'service_point' : state.customer.kind === 'organisation' ? 'organisation_location' : 'home';
    const body: Record<string, unknown> = {
      [state.customer.kind === 'household' ? 'householdId' : 'organisationId']: state.customer.id,
      serviceId: state.serviceId,
      place,
      ...(place === 'organisation_location' && state.locationId ? { locationId: state.locationId } : {}),
      ...timingOf(state.when),
      durationMinutes: state.durationMinutes,
      workersNeeded: state.workers,
      ...(state.notes ? { notes: state.notes } : {}),
      ...(state.contactPhone ? { contactPhone: state.contactPhone } : {}),
    };

    let bookingId: string | undefined;
    let failure: { status: number; code: string } | null = null;
    if (state.repeat === 'once') {
      const result = await locals.api.post<CreatedBooking>('/bookings', body, idempotencyHeader(state.run));
      if (result.ok) bookingId = result.data.booking.id;
      else failure = { status: result.status, code: result.error.code };
    } else {
      const result = await locals.api.post<{ series: Series; occurrences: Booking[] }>('/booking-series', { ...body, frequency: state.repeat }, idempotencyHeader(state.run));
      if (result.ok) bookingId = result.data.occurrences[0]?.id;
      else failure = { status: result.status, code: result.error.code };
    }
    if (failure || !bookingId) {
      const code = failure?.code ?? 'internal_error';
      return fail(failure ? failStatus(failure.status) : 503, { step: 5, message: errorMessage(code, locale), fixStep: stepOfError(code) });
    }
    state.doneBookingId = bookingId;
    writeWizard(cookies, url.protocol === 'https:', state);
    redirect(303, `/boeken/klaar/${bookingId}`);
  },
};
