import { redirect } from '@sveltejs/kit';
import { STAFF_ROLES } from '@buurtservice/shared';
import type { Absence, Worker } from '$lib/api/bookings';
import { addDays, amsterdamInstant } from '$lib/components/dispatch/time';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import {
  buurtenOf, coachesOf, minuteOf, readAvailability, readContract, readSkills, servicesOf, skillOptions, WORKER_FIELD_OF_CODE,
} from '$lib/server/dispatch';
import { apiFormFailed, formFailed, isoDateOf, text, uuidOr404 } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const ABSENCE_KINDS = ['leave', 'sick', 'other'] as const;
const MAX_NOTE = 500;

function saved(id: string, what: string, section: string): never {
  redirect(303, `/medewerkers/${id}?opgeslagen=${what}#${section}`);
}

/** A worker: contract data, skills per service, weekly availability, absences. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  const me = requireRole(locals, url, STAFF_ROLES);
  const locale = locals.locale;
  const id = uuidOr404(params.workerId, locale);
  const [worker, services, buurten, workers] = await Promise.all([
    locals.api.get<Worker & { absences: Absence[] }>(`/workers/${id}`),
    servicesOf(locals.api),
    buurtenOf(locals.api),
    locals.api.get<{ workers: Worker[] }>('/workers'),
  ]);
  const shown = dataOrError(worker, locale);
  return {
    worker: shown,
    skills: skillOptions(services, locale, shown.skills.map((s) => s.skill)),
    buurten,
    coaches: await coachesOf(locals.api, me, workers.ok ? workers.data.workers : []),
    created: url.searchParams.get('nieuw') === '1',
    saved: url.searchParams.get('opgeslagen'),
  };
};

export const actions: Actions = {
  gegevens: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = uuidOr404(params.workerId, locale);
    const form = await request.formData();
    const contract = readContract(form, locale);
    const active = form.get('active') === 'yes';
    const values = { ...contract.values, active: active ? 'yes' : '' };
    if (!contract.body) return formFailed(400, { form: 'details', values, errors: contract.errors });
    const result = await locals.api.patch<Worker>(`/workers/${id}`, { ...contract.body, active });
    if (!result.ok) return apiFormFailed('details', result.status, result.error.code, locale, values, WORKER_FIELD_OF_CODE);
    saved(id, 'gegevens', 'gegevens');
  },

  vaardigheden: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = uuidOr404(params.workerId, locale);
    const skills = readSkills(await request.formData(), locale);
    if (!skills.skills) return formFailed(400, { form: 'skills', values: skills.values, errors: skills.errors });
    const result = await locals.api.put<Worker>(`/workers/${id}/skills`, { skills: skills.skills });
    if (!result.ok) return apiFormFailed('skills', result.status, result.error.code, locale, skills.values, WORKER_FIELD_OF_CODE);
    saved(id, 'vaardigheden', 'vaardigheden');
  },

  beschikbaarheid: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = uuidOr404(params.workerId, locale);
    const availability = readAvailability(await request.formData(), locale);
    if (!availability.slots) return formFailed(400, { form: 'availability', values: availability.values, errors: availability.errors });
    const result = await locals.api.put<Worker>(`/workers/${id}/availability`, { availability: availability.slots });
    if (!result.ok) return apiFormFailed('availability', result.status, result.error.code, locale, availability.values, WORKER_FIELD_OF_CODE);
    saved(id, 'beschikbaarheid', 'beschikbaarheid');
  },

  afwezigheid: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const t = dictionary(locale).dispatch.worker.errors;
    const id = uuidOr404(params.workerId, locale);
    const form = await request.formData();
    const values = {
      kind: text(form, 'kind'),
      absenceFrom: text(form, 'absenceFrom'),
      absenceFromTime: text(form, 'absenceFromTime'),
      absenceUntil: text(form, 'absenceUntil'),
      absenceUntilTime: text(form, 'absenceUntilTime'),
      note: text(form, 'note'),
    };
    const errors: Record<string, string> = {};
    if (!(ABSENCE_KINDS as readonly string[]).includes(values.kind)) errors.kind = t.kindRequired;
    const fromDay = isoDateOf(values.absenceFrom);
    const untilDay = isoDateOf(values.absenceUntil);
    if (!fromDay) errors.absenceFrom = t.dateInvalid;
    if (!untilDay) errors.absenceUntil = t.dateInvalid;
    const fromMinute = values.absenceFromTime ? minuteOf(values.absenceFromTime) : 0;
    const untilMinute = values.absenceUntilTime ? minuteOf(values.absenceUntilTime) : null;
    if (fromMinute === null || fromMinute >= 1440) errors.absenceFromTime = t.timeInvalid;
    if (values.absenceUntilTime && untilMinute === null) errors.absenceUntilTime = t.timeInvalid;
    if (values.note.length > MAX_NOTE) errors.note = t.noteTooLong;
    if (Object.keys(errors).length > 0 || !fromDay || !untilDay || fromMinute === null) return formFailed(400, { form: 'absence', values, errors });
    const startsAt = amsterdamInstant(fromDay, fromMinute);
    const endsAt = untilMinute === null ? amsterdamInstant(addDays(untilDay, 1), 0) : amsterdamInstant(untilDay, untilMinute);
    if (new Date(endsAt) <= new Date(startsAt)) return formFailed(400, { form: 'absence', values, errors: { absenceUntil: t.rangeOrder } });
    const result = await locals.api.post<Absence>(`/workers/${id}/absences`, { kind: values.kind, startsAt, endsAt, ...(values.note ? { note: values.note } : {}) });
    if (!result.ok) return apiFormFailed('absence', result.status, result.error.code, locale, values, { range_invalid: 'absenceUntil', absence_overlaps: 'absenceFrom' });
    saved(id, 'afwezigheid', 'afwezig');
  },

  afwezigheidVerwijderen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = uuidOr404(params.workerId, locale);
    const absenceId = uuidOr404(text(await request.formData(), 'absenceId'), locale);
    const result = await locals.api.request<void>('DELETE', `/workers/${id}/absences/${absenceId}`);
    // Removed already (a double click): the list shows what is there now.
    if (!result.ok && result.status !== 404) return apiFormFailed('removeAbsence', result.status, result.error.code, locale, {});
    saved(id, 'verwijderd', 'afwezig');
  },
};
