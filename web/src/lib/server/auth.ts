import { error, redirect } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import type { Me } from '$lib/api/types';

/** The signed-in person; otherwise to the login page, and back here after logging in. */
export function requireUser(locals: App.Locals, url: URL): Me {
  if (locals.user) return locals.user;
  if (locals.apiUnavailable) error(503, errorMessage('not_ready', locals.locale));
  redirect(303, `/inloggen?next=${encodeURIComponent(url.pathname)}`);
}
