import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hoursWeek } from '@buurtservice/db';
import { amsterdamDate, isoWeekOf, isoWeekRange, STAFF_ROLES } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { Contract, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';

/**
 * The dispatcher's week (docs/api-hours.md, "Dispatcher's week"): per worker the minutes
 * scheduled, logged and confirmed in one ISO week, and the exceptions to act on. Staff only; the
 * figures and the rules of each exception are in db/src/repositories/hours-week.ts.
 */

const DateTime = Type.String({ format: 'date-time', examples: ['2027-03-01T10:00:00+01:00'] });
const IsoWeek = Type.String({ pattern: '^[0-9]{4}-W[0-9]{2}$', description: 'ISO week YYYY-Www (Europe/Amsterdam)', examples: ['2027-W09'] });
const Kind = Type.Union([Type.Literal('missing_check_out'), Type.Literal('over_cap'), Type.Literal('open_dispute'), Type.Literal('no_hours')]);

const HoursWeekSchema = Obj({
  week: IsoWeek,
  from: IsoDate,
  until: IsoDate,
  workers: Type.Array(Obj({
    workerId: Uuid, name: Type.String(), contract: Contract, weeklyCapMinutes: Nullable(Type.Integer()),
    scheduledMinutes: Type.Integer(), loggedMinutes: Type.Integer(), confirmedMinutes: Type.Integer(),
  })),
  exceptions: Type.Array(Obj({
    kind: Kind, bookingId: Uuid, workerId: Nullable(Uuid), workerName: Nullable(Type.String()), customerName: Type.String(),
    startsAt: DateTime, endsAt: DateTime,
    detail: Obj({
      minutes: Nullable(Type.Integer({ description: 'over_cap: the minutes beyond the weekly cap' })),
      reason: Nullable(Type.String({ description: "open_dispute: the customer's reason" })),
      since: Nullable(Type.String({ format: 'date-time', description: 'missing_check_out: the check-in; open_dispute: when it was disputed' })),
    }),
  })),
});

export const hoursWeekRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const now = () => app.config.clock?.() ?? new Date();

  app.get('/dispatch/hours-week', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: "The dispatcher's week: per worker the minutes scheduled, logged and confirmed, and the exceptions to act on",
      security: [{ bearer: [] }],
      querystring: Obj({ week: Type.Optional(IsoWeek) }),
      response: { 200: HoursWeekSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const at = now();
    const week = request.query.week ?? isoWeekOf(amsterdamDate(at));
    const range = isoWeekRange(week);
    if (!range) throw appError('validation_failed', [{ field: '/week', code: 'format' }]);
    const q = { programmeId: caller.programmeId, monday: range.from };
    const [workers, exceptions] = await Promise.all([hoursWeek.workerWeeks(db, q), hoursWeek.weekExceptions(db, { ...q, now: at })]);
    return {
      week, ...range,
      workers,
      exceptions: exceptions.map((e) => ({
        ...e, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString(),
        detail: { ...e.detail, since: e.detail.since?.toISOString() ?? null },
      })),
    };
  });
};
