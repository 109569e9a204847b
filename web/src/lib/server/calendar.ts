import { error } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';

/**
 * Passes an iCalendar file from the API on to the browser or calendar app: the API's 404 as 404
 * (an unknown or revoked feed, a booking that is not the caller's), never kept by a shared cache.
 */
export async function passOnCalendar(response: Response | null, locale: Locale): Promise<Response> {
  if (!response) error(503, errorMessage('not_ready', locale));
  if (!response.ok || !response.headers.get('content-type')?.startsWith('text/calendar')) {
    await response.body?.cancel();
    if (response.status === 404) error(404, errorMessage('not_found', locale));
    if (response.status === 403) error(403, errorMessage('forbidden', locale));
    if (response.status === 401) error(401, errorMessage('token_invalid', locale));
    error(503, errorMessage('not_ready', locale));
  }
  return new Response(response.body, {
    status: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, no-store',
      'content-disposition': response.headers.get('content-disposition') ?? 'attachment; filename="buurtservice.ics"',
    },
  });
}
