import { fail } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import type { Invoice } from '$lib/api/types';
import { dictionary, formatHours } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { failStatus, idempotencyHeader, idempotencyKeyOf, isUuid, newIdempotencyKey, text } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

/** The programme's invoices, open ones first; an admin records payments received. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, STAFF_ROLES);
  const invoices = dataOrError(await locals.api.get<{ invoices: Invoice[] }>('/invoices'), locals.locale).invoices;
  const open = invoices.filter((invoice) => invoice.status === 'open');
  return {
    invoices: [...open, ...invoices.filter((invoice) => invoice.status !== 'open')],
    openCount: open.length,
    canRecordPayment: me.role === 'programme_admin',
    // One key per invoice and rendering: a double click on "payment received" credits once.
    keys: Object.fromEntries(open.map((invoice) => [invoice.id, newIdempotencyKey()])),
  };
};

export const actions: Actions = {
  betaald: async ({ request, locals, url }) => {
    requireRole(locals, url, ['programme_admin']);
    const locale = locals.locale;
    const form = await request.formData();
    const invoiceId = text(form, 'invoiceId');
    if (!isUuid(invoiceId)) return fail(404, { invoiceId, message: errorMessage('not_found', locale) });
    const result = await locals.api.post<Invoice>(`/invoices/${invoiceId}/payment`, undefined, idempotencyHeader(idempotencyKeyOf(form)));
    if (!result.ok) return fail(failStatus(result.status), { invoiceId, message: errorMessage(result.error.code, locale) });
    const invoice = result.data;
    return { invoiceId, done: dictionary(locale).invoices.markedPaid(invoice.number, formatHours(invoice.cheques * 60, locale), invoice.buyer.name) };
  },
};
