import { error } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiClient } from './client';

/**
 * Passes a PDF from the API on to the browser, which never talks to the API itself. Streams the
 * body as it arrives; keeps the API's file name; never lets a shared cache keep a copy.
 */
export async function passOnPdf(api: ApiClient, locale: Locale, path: string): Promise<Response> {
  const response = await api.download(path);
  if (!response) error(503, errorMessage('not_ready', locale));
  if (!response.ok) {
    await response.body?.cancel();
    if (response.status === 404 || response.status === 403) error(response.status, errorMessage(response.status === 404 ? 'not_found' : 'forbidden', locale));
    if (response.status === 401) error(401, errorMessage('token_invalid', locale));
    error(503, errorMessage('not_ready', locale));
  }
  if (!response.headers.get('content-type')?.startsWith('application/pdf')) {
    await response.body?.cancel();
    error(503, errorMessage('internal_error', locale));
  }
  const headers = new Headers({
    'content-type': 'application/pdf',
    'cache-control': 'private, no-store',
    'content-disposition': response.headers.get('content-disposition') ?? 'inline',
  });
  const length = response.headers.get('content-length');
  if (length) headers.set('content-length', length);
  return new Response(response.body, { status: 200, headers });
}
