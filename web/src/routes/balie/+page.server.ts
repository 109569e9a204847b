import { STAFF_ROLES } from '@buurtservice/shared';
import type { Household } from '$lib/api/types';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** The API's limits for a search. */
const MIN_QUERY = 2;
const MAX_QUERY = 60;

/** The counter: find a household by name, postcode (+ house number) or phone. A GET form: works without JavaScript and can be bookmarked. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const query = (url.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY);
  if (!query) return { query, tooShort: false, households: null };
  if (query.length < MIN_QUERY) return { query, tooShort: true, households: null };
  const result = await locals.api.get<{ households: Household[] }>(withQuery('/households', { q: query }));
  return { query, tooShort: false, households: dataOrError(result, locals.locale).households };
};
