import { error } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { Payment } from '$lib/api/types';
import { requireUser } from '$lib/server/auth';
import { withQuery } from '$lib/server/api';
import { isUuid } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/**
 * Where Stripe sends the buyer back (the API builds this address): the honest state of the
 * payment, asking Stripe first while it is still pending.
 */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireUser(locals, url);
  if (!isUuid(params.paymentId)) error(404, errorMessage('not_found', locals.locale));
  const result = await locals.api.get<Payment>(withQuery(`/payments/${params.paymentId}`, { refresh: true }));
  return {
    payment: dataOrError(result, locals.locale),
    cancelled: url.searchParams.get('geannuleerd') === '1',
    /** Just ordered without JavaScript: the way on to pay is the main thing on the page. */
    justOrdered: url.searchParams.get('betalen') === '1',
  };
};
