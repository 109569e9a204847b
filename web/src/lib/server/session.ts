/**
 * The API session kept in httpOnly cookies (backend-for-frontend): the browser never sees a token
 * in JavaScript, and never talks to the API itself.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Locale } from '@buurtservice/shared';
import type { ApiResult, Session } from '$lib/api/types';
import { callApi } from './api';

export const COOKIE_ACCESS = 'bs_access';
export const COOKIE_REFRESH = 'bs_refresh';
export const COOKIE_DEVICE = 'bs_device';

const DAY = 24 * 60 * 60;
/** The API decides when a refresh token really expires; the cookie only has to outlive it. */
const REFRESH_COOKIE_MAX_AGE = 30 * DAY;
/** The device token keeps a resident from being locked out by other people's failed logins. */
const DEVICE_COOKIE_MAX_AGE = 365 * DAY;

function cookieOptions(secure: boolean, maxAge: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge } as const;
}

/**
 * The access cookie expires a little before the token does, so a request never carries a token
 * that dies on its way to the API: a missing access cookie with a refresh cookie means "refresh".
 */
function accessCookieMaxAge(expiresIn: number): number {
  return Math.max(1, Math.floor(expiresIn - Math.min(60, expiresIn / 5)));
}

export function storeSession(cookies: Cookies, secure: boolean, session: Session): void {
  cookies.set(COOKIE_ACCESS, session.accessToken, cookieOptions(secure, accessCookieMaxAge(session.expiresIn)));
  cookies.set(COOKIE_REFRESH, session.refreshToken, cookieOptions(secure, REFRESH_COOKIE_MAX_AGE));
  cookies.set(COOKIE_DEVICE, session.deviceToken, cookieOptions(secure, DEVICE_COOKIE_MAX_AGE));
}

/** Ends the session in this browser. The device token stays: it belongs to the device, not the session. */
export function clearSession(cookies: Cookies, secure: boolean): void {
  cookies.delete(COOKIE_ACCESS, { path: '/', secure });
  cookies.delete(COOKIE_REFRESH, { path: '/', secure });
}

/**
 * Refresh tokens are single use and reuse revokes the whole session family. A browser can send
 * two requests at once with the same refresh cookie (a preload and a click, two tabs), so
 * concurrent refreshes of one token share one API call, and its answer is kept a short while for
 * requests that were already on their way with the old cookie.
 */
const REFRESH_SHARE_MS = 30_000;
const refreshes = new Map<string, { result: Promise<ApiResult<Session>>; until: number }>();

export function refreshSession(baseUrl: string, refreshToken: string, locale: Locale, headers: Record<string, string> = {}): Promise<ApiResult<Session>> {
  const now = Date.now();
  for (const [token, entry] of refreshes) if (entry.until < now) refreshes.delete(token);
  const shared = refreshes.get(refreshToken);
  if (shared) return shared.result;
  const result = callApi<Session>(baseUrl, { method: 'POST', path: '/auth/refresh', body: { refreshToken }, headers, locale });
  refreshes.set(refreshToken, { result, until: now + REFRESH_SHARE_MS });
  // A failure caused by the network should not be remembered: the next request may try again.
  void result.then((r) => {
    if (!r.ok && r.status >= 500) refreshes.delete(refreshToken);
  });
  return result;
}
