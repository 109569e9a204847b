import type { Handle } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Me } from '$lib/api/types';
import { DEFAULT_LOCALE, LANG_COOKIE, parseLocale } from '$lib/i18n';
import { ApiClient } from '$lib/server/client';

const DEFAULT_API_URL = 'http://127.0.0.1:3000';

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
  });

  if (event.locals.api.hasSession) {
    // The client refreshes an expired access token on its own; a 401 left over means signed out.
    const me = await event.locals.api.get<Me>('/me');
    if (me.ok) {
      event.locals.user = me.data;
      // Someone who never chose a language on this device sees the one of their account.
      if (!chosenLocale) event.locals.locale = parseLocale(me.data.locale) ?? DEFAULT_LOCALE;
    } else if (me.status === 401) {
      event.locals.api.endSession();
    } else {
      event.locals.apiUnavailable = true;
    }
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  return response;
};
