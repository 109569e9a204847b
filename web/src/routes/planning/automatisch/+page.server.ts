import { fail, redirect } from '@sveltejs/kit';
import { errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import type { Board, Plan, PlanAccepted } from '$lib/api/bookings';
import { mondayOf } from '$lib/components/dispatch/time';
import { dictionary } from '$lib/i18n';
import { withQuery } from '$lib/server/api';
import { requireRole } from '$lib/server/auth';
import { boardParams, boardQuery } from '$lib/server/dispatch';
import { failStatus, idempotencyHeader, idempotencyKeyOf, isUuid, newIdempotencyKey, text } from '$lib/server/forms';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** More than a week of jobs is not one plan. */
const MAX_PROPOSALS = 500;

interface AcceptedProposal {
  bookingId: string;
  startsAt: string;
  workers: { workerId: string; leads: boolean }[];
}

/** A proposal as the review form carries it (hidden field, JSON); null when it was tampered with. */
function proposalOf(bookingId: string, value: string): AcceptedProposal | null {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { startsAt, workers } = parsed as { startsAt?: unknown; workers?: unknown };
    if (typeof startsAt !== 'string' || !ISO_INSTANT.test(startsAt) || !Array.isArray(workers) || workers.length === 0 || workers.length > 20) return null;
    const team: AcceptedProposal['workers'] = [];
    for (const w of workers as unknown[]) {
      const { workerId, leads } = (w ?? {}) as { workerId?: unknown; leads?: unknown };
      if (typeof workerId !== 'string' || !isUuid(workerId) || typeof leads !== 'boolean') return null;
      team.push({ workerId, leads });
    }
    return { bookingId, startsAt, workers: team };
  } catch {
    return null;
  }
}

/**
 * Auto-plan for the board's day or week: the proposal to review (nothing is stored), or after
 * accepting (`?klaar=1`) what was applied and what failed.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, url, STAFF_ROLES);
  const locale = locals.locale;
  const { date: asked, span } = boardParams(url);
  const date = span === 'week' ? mondayOf(asked) : asked;
  const board = locals.api.get<Board>(withQuery('/dispatch/board', { date, span }));

  if (url.searchParams.get('klaar') === '1') {
    const applied = (url.searchParams.get('toegepast') ?? '').split(',').filter(isUuid);
    const failed = (url.searchParams.get('mislukt') ?? '')
      .split(',')
      .map((item) => item.split('~'))
      .filter((parts): parts is [string, string] => parts.length === 2 && isUuid(parts[0]) && /^[a-z_]{1,60}$/.test(parts[1] ?? ''))
      .map(([bookingId, code]) => ({ bookingId, message: errorMessage(code, locale) }));
    return { date, span, board: dataOrError(await board, locale), plan: null, result: { applied, failed }, key: null };
  }

  const [plan, boardResult] = await Promise.all([locals.api.post<Plan>('/dispatch/autoplan', { date, span }), board]);
  return {
    date,
    span,
    board: dataOrError(boardResult, locale),
    plan: dataOrError(plan, locale),
    result: null,
    key: newIdempotencyKey(),
  };
};

export const actions: Actions = {
  /** Apply the ticked proposals; each on its own (all of its workers or none). */
  accepteren: async ({ request, locals, url }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const { date, span } = boardParams(url);
    const form = await request.formData();
    const key = idempotencyKeyOf(form);
    const ticked = form.getAll('voorstel').filter((v): v is string => typeof v === 'string' && isUuid(v)).slice(0, MAX_PROPOSALS);
    const proposals = ticked.map((id) => proposalOf(id, text(form, `plan-${id}`))).filter((p): p is AcceptedProposal => p !== null);
    const all = form.getAll('alle').filter((v): v is string => typeof v === 'string' && isUuid(v));
    if (proposals.length === 0) {
      return fail(400, { message: dictionary(locale).dispatch.autoplan.noneTicked, unticked: all, key: newIdempotencyKey() });
    }
    const result = await locals.api.post<PlanAccepted>('/dispatch/autoplan/accept', { proposals }, idempotencyHeader(key));
    if (!result.ok) {
      return fail(failStatus(result.status), { message: errorMessage(result.error.code, locale), unticked: all.filter((id) => !ticked.includes(id)), key: newIdempotencyKey() });
    }
    const params = new URLSearchParams(boardQuery(date, span));
    params.set('klaar', '1');
    params.set('toegepast', result.data.applied.join(','));
    params.set('mislukt', result.data.failed.map((f) => `${f.bookingId}~${f.code}`).join(','));
    redirect(303, `/planning/automatisch?${params.toString()}`);
  },
};
