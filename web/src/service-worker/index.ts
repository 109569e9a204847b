/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker (issue 5: the worker's day works on a bad connection).
 *
 *  - The worker's day (`/werk`) is fetched from the network first; the page asks for a copy to be
 *    kept with the scripts and styles it needs (the app shell), so a worker who opens it without a connection
 *    still sees the jobs and can check in and out (those wait on the phone, see
 *    $lib/components/hours/queue.ts).
 *  - Scripts and styles never change under the same name: once kept, they are served from the
 *    cache. Only the ones a page used are kept, so a visitor who never opens the worker's day
 *    downloads nothing extra; a new version of the app starts a new cache.
 *  - The installed app starts at `/werk/start`; without a connection it opens the kept day.
 *  - Logging in or out forgets the kept day: a phone may be shared.
 *  - No other page is kept: they show personal data that must be fresh.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL_CACHE = `shell-${version}`;
const PAGE_CACHE = 'werk-pages';
const BUILD = new Set(build);
const STATIC = new Set(files);
const OFFLINE_PAGE = '/werk';
const APP_START = '/werk/start';
const FORGET_ON = new Set(['/inloggen', '/uitloggen']);
/** The message the worker's day sends (see src/routes/werk/+page.svelte). */
const KEEP_DAY = 'keep-worker-day';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await (await caches.open(SHELL_CACHE)).addAll([...STATIC]);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== SHELL_CACHE && key !== PAGE_CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

/** A script, style or static file: from the cache, else from the network (and kept). */
async function fromShell(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Keeps the scripts and styles a page names, so it can start again without a connection. */
async function keepShellOf(html: string): Promise<void> {
  const cache = await caches.open(SHELL_CACHE);
  const names = new Set((html.match(/\/_app\/immutable\/[^"'\s)]+/g) ?? []).filter((name) => BUILD.has(name)));
  await Promise.all(
    [...names].map(async (name) => {
      if (!(await cache.match(name))) await cache.add(name).catch(() => undefined);
    }),
  );
}

/**
 * Keeps a copy of the worker's day (only the page itself: not a redirect to the login page, not
 * an error), after what it needs to start: a kept page always starts.
 */
async function keepDay(response: Response): Promise<void> {
  if (!response.ok || response.redirected) return;
  const page = response.clone();
  await keepShellOf(await response.text());
  await (await caches.open(PAGE_CACHE)).put(OFFLINE_PAGE, page);
}

/** The worker's day: fresh when the network answers, the last copy when it does not. */
async function workerDay(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (cause) {
    const copy = await (await caches.open(PAGE_CACHE)).match(OFFLINE_PAGE);
    if (copy) return copy;
    throw cause;
  }
}

async function appStart(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (cause) {
    if (await (await caches.open(PAGE_CACHE)).match(OFFLINE_PAGE)) return Response.redirect(new URL(OFFLINE_PAGE, sw.location.origin).href, 303);
    throw cause;
  }
}

/**
 * The worker's day asks to be kept each time it is shown or has sent something: however it was
 * opened (a link inside the app does not pass here), the copy is the latest.
 */
sw.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type !== KEEP_DAY) return;
  event.waitUntil(fetch(OFFLINE_PAGE, { headers: { accept: 'text/html' } }).then(keepDay));
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (FORGET_ON.has(url.pathname) && request.method === 'POST') {
    event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  if (BUILD.has(url.pathname) || STATIC.has(url.pathname)) event.respondWith(fromShell(request));
  else if (request.mode === 'navigate' && url.pathname === OFFLINE_PAGE) event.respondWith(workerDay(request));
  else if (request.mode === 'navigate' && url.pathname === APP_START) event.respondWith(appStart(request));
});
