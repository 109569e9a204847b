import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** Opening /uitloggen shows a button; logging out itself is a POST (a link must not log you out). */
export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async ({ locals }) => {
    await locals.api.logout();
    redirect(303, '/?uitgelogd=1');
  },
};
