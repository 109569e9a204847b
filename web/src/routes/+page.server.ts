import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
  return { loggedOut: url.searchParams.has('uitgelogd') };
};
