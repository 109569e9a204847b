import type { Handle, RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Me } from '$lib/api/types';
import { DEFAULT_LOCALE, LANG_COOKIE, parseLocale } from '$lib/i18n';
import { ApiClient } from '$lib/server/client';

const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** The browser's address as adapter-node sees it (ADDRESS_HEADER / XFF_DEPTH behind a proxy). */
function clientAddressOf(event: RequestEvent): string | null {
  try {
    return event.getClientAddress();
  } catch {
    return null;
  }
}

function setHeaders(response: Response, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  } catch {
    // Some responses (e.g. a proxied fetch) have immutable headers; they are not our pages.
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  const secure = event.url.protocol === 'https:';
  const chosenLocale = parseLocale(event.cookies.get(LANG_COOKIE));
  event.locals.locale = chosenLocale ?? DEFAULT_LOCALE;
  event.locals.user = null;
  event.locals.apiUnavailable = false;
  event.locals.api = new ApiClient({
    baseUrl: env.API_URL || DEFAULT_API_URL,
    cookies: event.cookies,
    secure,
    locale: () => event.locals.locale,
    clientAddress: clientAddressOf(event),
  });

  if (event.locals.api.hasSession) {
    // The client refreshes an expired access token on its own; a 4xx left over means signed out.
    const me = await event.locals.api.get<Me>('/me');
    if (me.ok) {
      event.locals.user = me.data;
      // Someone who never chose a language on this device sees the one of their account.
      if (!chosenLocale) event.locals.locale = parseLocale(me.data.locale) ?? DEFAULT_LOCALE;
    } else if (me.status >= 500) {
      // Keep the cookies: the session may well be fine once the API is back.
      event.locals.apiUnavailable = true;
    } else {
      event.locals.api.endSession();
    }
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  setHeaders(response, {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    // A signed-in page shows personal data: no shared cache, and no copy left on a shared computer.
    ...(event.locals.user && !response.headers.has('cache-control') ? { 'cache-control': 'private, no-store' } : {}),
  });
  return response;
};
