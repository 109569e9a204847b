import { error } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { Invoice } from '$lib/api/types';
import { requireRole } from '$lib/server/auth';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['organisation_member']);
  if (!me.organisation) error(403, errorMessage('forbidden', locals.locale));
  const result = await locals.api.get<{ invoices: Invoice[] }>(`/organisations/${me.organisation.id}/invoices`);
  const invoices = dataOrError(result, locals.locale).invoices;
  const orderedId = url.searchParams.get('besteld');
  return { organisation: me.organisation, invoices, ordered: invoices.find((invoice) => invoice.id === orderedId) ?? null };
};
