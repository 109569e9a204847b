import { error } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiResult } from '$lib/api/types';

/**
 * The data of an API answer a page cannot do without; otherwise the error page: 404 and 403 as
 * the API said, anything else as "briefly unavailable" with the API's message.
 */
export function dataOrError<T>(result: ApiResult<T>, locale: Locale): T {
  if (result.ok) return result.data;
  const { status, error: apiError } = result;
  if (status === 404) error(404, errorMessage('not_found', locale));
  if (status === 403) error(403, errorMessage('forbidden', locale));
  error(status >= 400 && status < 500 ? status : 503, errorMessage(status >= 500 ? 'not_ready' : apiError.code, locale));
}
