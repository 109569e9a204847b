import { error, fail } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { Quote, Service } from '$lib/api/types';
import { dictionary } from '$lib/i18n';
import type { ApiClient } from '$lib/server/client';
import { failStatus, text } from '$lib/server/forms';
import { requireUser } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

/** The calculator offers 30 minutes up to 8 hours in half hours. */
const MINUTE_OPTIONS = Array.from({ length: 16 }, (_, i) => (i + 1) * 30);
const DEFAULT_MINUTES = 120;

async function loadServices(api: ApiClient, locale: Locale): Promise<Service[]> {
  const result = await api.get<{ services: Service[] }>('/services');
  if (!result.ok) error(result.status === 403 ? 403 : 503, errorMessage(result.error.code, locale));
  return result.data.services;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const services = await loadServices(locals.api, locals.locale);
  return { me, services, minuteOptions: MINUTE_OPTIONS, defaultMinutes: DEFAULT_MINUTES };
};

type Field = 'serviceId' | 'workers' | 'minutes';

interface QuoteFailure {
  values: Record<Field, string>;
  errors: Partial<Record<Field, string>>;
  message?: string;
  quote?: undefined;
}

function invalid(status: number, failure: QuoteFailure) {
  return fail(status, failure);
}

export const actions: Actions = {
  /** The price calculator: workers × time at the customer's own tariff, priced by the API. */
  bereken: async ({ request, locals, url }) => {
    requireUser(locals, url);
    const locale = locals.locale;
    const t = dictionary(locale).services.calculator.errors;
    const form = await request.formData();
    const values: Record<Field, string> = { serviceId: text(form, 'serviceId'), workers: text(form, 'workers'), minutes: text(form, 'minutes') };

    const errors: Partial<Record<Field, string>> = {};
    const workers = /^[0-9]{1,2}$/.test(values.workers) ? Number(values.workers) : 0;
    const minutes = /^[0-9]{1,4}$/.test(values.minutes) ? Number(values.minutes) : 0;
    if (!values.serviceId) errors.serviceId = t.serviceRequired;
    if (workers < 1) errors.workers = t.workersInvalid;
    if (minutes < 1 || minutes > 24 * 60) errors.minutes = t.hoursInvalid;
    if (Object.keys(errors).length > 0) return invalid(400, { values, errors });

    const result = await locals.api.post<Quote>('/quotes', { serviceId: values.serviceId, workers, minutes });
    if (!result.ok) {
      const code = result.error.code;
      if (code === 'workers_out_of_range') {
        const services = await loadServices(locals.api, locale);
        const service = services.find((s) => s.id === values.serviceId);
        const message = service
          ? t.workersRange(service.name[locale], dictionary(locale).services.workersRange(service.minWorkers, service.maxWorkers))
          : errorMessage(code, locale);
        return invalid(422, { values, errors: { workers: message } });
      }
      if (code === 'not_found' || code === 'service_inactive') return invalid(failStatus(result.status), { values, errors: { serviceId: errorMessage(code, locale) } });
      if (code === 'validation_failed') return invalid(400, { values, errors: {}, message: errorMessage(code, locale) });
      return invalid(failStatus(result.status), { values, errors: {}, message: errorMessage(code, locale) });
    }
    return { values, errors: {} as Partial<Record<Field, string>>, message: undefined, quote: result.data };
  },
};
