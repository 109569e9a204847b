import { randomUUID } from 'node:crypto';
import { amsterdamDate } from '@buurtservice/shared';
import { requireRole } from '$lib/server/auth';
import { checkInAction, checkOutAction, entryAction, loadWorkerJobs } from '$lib/server/hours';
import type { Actions, PageServerLoad } from './$types';

/** What a form without JavaScript did, from the address it redirected to (`?klaar=…`). */
const DONE = ['ingecheckt', 'uitgecheckt', 'opgeslagen'] as const;

/** The worker's day: today's and the coming jobs, and earlier ones whose hours are missing. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, ['worker']);
  const today = amsterdamDate();
  const jobs = await loadWorkerJobs(locals.api, locals.locale, today);
  // Ids for the forms without JavaScript: sending the same form twice lands once.
  const formIds = Object.fromEntries(jobs.map((job) => [job.bookingId, { checkIn: randomUUID(), checkOut: randomUUID(), entry: randomUUID() }]));
  const done = DONE.find((d) => d === url.searchParams.get('klaar')) ?? null;
  return { jobs, today, userId: me.id, formIds, done };
};

export const actions: Actions = {
  inchecken: async ({ request, locals, url }) => {
    requireRole(locals, url, ['worker']);
    return checkInAction(locals.api, locals.locale, await request.formData());
  },
  uitchecken: async ({ request, locals, url }) => {
    requireRole(locals, url, ['worker']);
    return checkOutAction(locals.api, locals.locale, await request.formData());
  },
  uren: async ({ request, locals, url }) => {
    requireRole(locals, url, ['worker']);
    return entryAction(locals.api, locals.locale, await request.formData());
  },
};
