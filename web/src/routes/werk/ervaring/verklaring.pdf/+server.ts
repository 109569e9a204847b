import { requireRole } from '$lib/server/auth';
import { passOnPdf } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** The worker's own statement of work experience, as PDF. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['worker']);
  return passOnPdf(locals.api, locals.locale, `/workers/${me.id}/experience.pdf`);
};
