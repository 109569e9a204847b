import { error } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import { requireRole } from '$lib/server/auth';
import { passOnPdf } from '$lib/server/files';
import { isUuid } from '$lib/server/forms';
import type { RequestHandler } from './$types';


/** The receipt of a counter sale as PDF, from the API through this server (the browser never talks to the API). */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  requireRole(locals, url, STAFF_ROLES);
  if (!isUuid(params.saleId)) error(404, errorMessage('not_found', locals.locale));
  return passOnPdf(locals.api, locals.locale, `/counter-sales/${params.saleId}/receipt`);
};
