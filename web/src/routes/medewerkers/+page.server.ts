import { STAFF_ROLES } from '@buurtservice/shared';
import type { Worker } from '$lib/api/bookings';
import { requireRole } from '$lib/server/auth';
import { servicesOf, skillOptions } from '$lib/server/dispatch';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** Every worker of the programme, the active ones first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const [workers, services] = await Promise.all([locals.api.get<{ workers: Worker[] }>('/workers'), servicesOf(locals.api)]);
  const list = dataOrError(workers, locals.locale).workers;
  const sorted = [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.displayName.localeCompare(b.displayName, locals.locale));
  return { workers: sorted, skills: skillOptions(services, locals.locale, list.flatMap((w) => w.skills.map((s) => s.skill))) };
};
