import { redirect, type RequestHandler } from '@sveltejs/kit';
import { LANG_COOKIE, parseLocale } from '$lib/i18n';
import { safeNext } from '$lib/server/redirect';

const ONE_YEAR = 365 * 24 * 60 * 60;

/** The language switch: a plain form post, so it works without JavaScript. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const lang = form.get('lang');
  const locale = parseLocale(typeof lang === 'string' ? lang : null);
  if (locale) {
    cookies.set(LANG_COOKIE, locale, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: ONE_YEAR });
  }
  redirect(303, safeNext(form.get('next')));
};

/** Someone who opens /taal directly simply goes back to the start page. */
export const GET: RequestHandler = () => redirect(303, '/');
