import { json } from '@sveltejs/kit';
import { errorMessage } from '@buurtservice/shared';
import { parseQueuedItem } from '$lib/components/hours/queue';
import { sendQueuedItem } from '$lib/server/hours';
import type { RequestHandler } from './$types';

/**
 * Where the phone's queue sends each check-in and entry (JSON, one at a time); passed on to the
 * API with the session. The answer's status tells the queue what to do: 2xx done (also a
 * resend), 401 log in again, 5xx try later, any other 4xx refused for good with its message.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
  const locale = locals.locale;
  const answer = (status: number, code: string) => json({ code, message: errorMessage(code, locale) }, { status });
  if (!locals.user) return locals.apiUnavailable ? answer(503, 'not_ready') : answer(401, 'unauthenticated');
  if (locals.user.role !== 'worker') return answer(403, 'forbidden');

  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return answer(400, 'validation_failed');
  }
  const item = parseQueuedItem(body);
  if (!item) return answer(400, 'validation_failed');

  const result = await sendQueuedItem(locals.api, item);
  if (result.ok) return json({ booking: result.data.booking }, { status: 200 });
  if (result.status >= 500) return answer(503, 'not_ready');
  return json({ code: result.error.code, message: errorMessage(result.error.code, locale) }, { status: result.status });
};
