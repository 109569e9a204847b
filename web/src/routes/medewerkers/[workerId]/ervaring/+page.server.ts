import { redirect } from '@sveltejs/kit';
import { amsterdamDate, STAFF_ROLES } from '@buurtservice/shared';
import { TRAJECTORY_STATUSES, type Experience, type TrajectoryStatus } from '$lib/api/experience';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { apiFormFailed, formFailed, isoDateOf, text, uuidOr404 } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const MAX_NAME = 200;
const MAX_NOTE = 1000;

function saved(id: string, what: string, section: string): never {
  redirect(303, `/medewerkers/${id}/ervaring?opgeslagen=${what}#${section}`);
}

/**
 * A worker's work experience as their coach or an admin sees it, with the forms to add
 * certificates and set the trajectory. A dispatcher who is not the coach gets "not found" from the API.
 */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireRole(locals, url, STAFF_ROLES);
  const id = uuidOr404(params.workerId, locals.locale);
  const experience = dataOrError(await locals.api.get<Experience>(`/workers/${id}/experience`), locals.locale);
  return { experience, saved: url.searchParams.get('opgeslagen') };
};

export const actions: Actions = {
  certificaat: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const t = dictionary(locale).experience.coach.errors;
    const id = uuidOr404(params.workerId, locale);
    const form = await request.formData();
    const values = { name: text(form, 'name'), issuer: text(form, 'issuer'), issuedOn: text(form, 'issuedOn') };
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = t.nameRequired;
    else if (values.name.length > MAX_NAME) errors.name = t.tooLong(MAX_NAME);
    if (!values.issuer) errors.issuer = t.issuerRequired;
    else if (values.issuer.length > MAX_NAME) errors.issuer = t.tooLong(MAX_NAME);
    const issuedOn = isoDateOf(values.issuedOn);
    if (!issuedOn) errors.issuedOn = t.dateInvalid;
    else if (issuedOn > amsterdamDate()) errors.issuedOn = t.dateInFuture;
    if (Object.keys(errors).length > 0 || !issuedOn) return formFailed(400, { form: 'certificate', values, errors });
    const result = await locals.api.post(`/workers/${id}/certificates`, { name: values.name, issuer: values.issuer, issuedOn });
    if (!result.ok) return apiFormFailed('certificate', result.status, result.error.code, locale, values, { date_invalid: 'issuedOn' });
    saved(id, 'certificaat', 'certificaten');
  },

  certificaatVerwijderen: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const id = uuidOr404(params.workerId, locale);
    const certificateId = uuidOr404(text(await request.formData(), 'certificateId'), locale);
    const result = await locals.api.request<void>('DELETE', `/workers/${id}/certificates/${certificateId}`);
    // Removed already (a double click): the list shows what is there now.
    if (!result.ok && result.status !== 404) return apiFormFailed('removeCertificate', result.status, result.error.code, locale, {});
    saved(id, 'verwijderd', 'certificaten');
  },

  traject: async ({ request, locals, url, params }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const t = dictionary(locale).experience.coach.errors;
    const id = uuidOr404(params.workerId, locale);
    const form = await request.formData();
    const values = { status: text(form, 'status'), note: text(form, 'note') };
    const errors: Record<string, string> = {};
    const status = TRAJECTORY_STATUSES.find((s) => s === values.status);
    if (!status) errors.status = t.statusRequired;
    if (values.note.length > MAX_NOTE) errors.note = t.tooLong(MAX_NOTE);
    if (Object.keys(errors).length > 0 || !status) return formFailed(400, { form: 'trajectory', values, errors });
    const body: { status: TrajectoryStatus; note?: string } = { status, ...(values.note ? { note: values.note } : {}) };
    const result = await locals.api.put(`/workers/${id}/trajectory`, body);
    if (!result.ok) return apiFormFailed('trajectory', result.status, result.error.code, locale, values);
    saved(id, 'traject', 'traject');
  },
};
