import { error } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import { requireRole } from '$lib/server/auth';
import { passOnPdf } from '$lib/server/files';
import { isUuid } from '$lib/server/forms';
import type { RequestHandler } from './$types';

/** A worker's statement of work experience for their coach or an admin; the API decides who may. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  requireRole(locals, url, STAFF_ROLES);
  if (!isUuid(params.workerId)) error(404, errorMessage('not_found', locals.locale));
  return passOnPdf(locals.api, locals.locale, `/workers/${params.workerId}/experience.pdf`);
};
