import { error, redirect } from '@sveltejs/kit';
import { errorMessage, type Role } from '@buurtservice/shared';
import type { Me } from '$lib/api/types';

/** The signed-in person; otherwise to the login page, and back here after logging in. */
export function requireUser(locals: App.Locals, url: URL): Me {
  if (locals.user) return locals.user;
  if (locals.apiUnavailable) error(503, errorMessage('not_ready', locals.locale));
  // Back to the same page with its query (e.g. the payment return page); a form action's "?/…" is no page.
  const search = url.search.startsWith('?/') ? '' : url.search;
  redirect(303, `/inloggen?next=${encodeURIComponent(url.pathname + search)}`);
}

/** The signed-in person if they have one of `roles`; anyone else sees "you are not allowed". */
export function requireRole<R extends Role>(locals: App.Locals, url: URL, roles: readonly R[]): Me & { role: R } {
  const me = requireUser(locals, url);
  if (!(roles as readonly Role[]).includes(me.role)) error(403, errorMessage('forbidden', locals.locale));
  return me as Me & { role: R };
}
