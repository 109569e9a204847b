import { error } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import { requireRole } from '$lib/server/auth';
import { passOnPdf } from '$lib/server/files';
import { isUuid } from '$lib/server/forms';
import type { RequestHandler } from './$types';


/**
 * An invoice as PDF for its organisation or the programme's staff; the API decides who may see
 * which invoice.
 */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  requireRole(locals, url, ['organisation_member', ...STAFF_ROLES]);
  if (!isUuid(params.invoiceId)) error(404, errorMessage('not_found', locals.locale));
  return passOnPdf(locals.api, locals.locale, `/invoices/${params.invoiceId}/pdf`);
};
