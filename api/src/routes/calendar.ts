import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, bookings, calendarFeeds, experience, type Executor } from '@buurtservice/db';
import { isStaff, STAFF_ROLES, type Locale } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { requestLocale } from '../plugins/errors.js';
import { isCustomerOf } from '../schemas/bookings.js';
import { DateTime, IdParams, Nullable, Obj } from '../schemas/common.js';
import { callerOf } from '../scope.js';
import { assignmentEvent, bookingEvent, feedName, icsCalendar } from '../services/calendar.js';

/**
 * Calendars (docs/api-hours.md, "Calendars"): a worker's private feed of assignments, which a
 * calendar app polls without logging in (the secret in the address is the key), and one booking
 * as an .ics file for the customer's own calendar.
 */

const Ics = Type.Unsafe<string>({ type: 'string', description: 'text/calendar' });
const DAY_MS = 86_400_000;
/** What the feed holds: the last month, for looking back, and the coming year. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 366;

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];
  const feedUrl = (token: string) => new URL(`/agenda/${token}.ics`, app.config.publicWebUrl).toString();

  /** The worker self or staff of the programme; anyone else: 404. */
  async function feedOwner(ex: Executor, caller: Caller, workerId: string) {
    const self = caller.role === 'worker' && caller.userId === workerId;
    if (!self && !isStaff(caller.role)) throw appError('not_found');
    if (!(await experience.findSubject(ex, caller.programmeId, workerId))) throw appError('not_found');
    return { programmeId: caller.programmeId, workerId };
  }

  const auditFeed = (ex: Executor, caller: Caller, workerId: string, action: string) =>
    audit(ex, { programmeId: caller.programmeId, actorUserId: caller.userId, action, subjectType: 'worker', subjectId: workerId });

  const icsHeaders = (fileName: string) => ({
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    // personal, and it changes: no shared cache may keep it
    'cache-control': 'private, no-store',
  });

  app.get('/workers/:workerId/calendar-feed', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['calendar'], summary: "Whether the worker has a calendar feed, and since when (its address is only shown when it is made)", security,
      params: IdParams('workerId'), response: { 200: Obj({ feed: Nullable(Obj({ createdAt: DateTime })) }) },
    },
  }, async (request) => {
    const owner = await feedOwner(db, callerOf(request), request.params.workerId);
    const feed = await calendarFeeds.feedOf(db, owner);
    return { feed: feed && { createdAt: feed.createdAt.toISOString() } };
  });

  app.post('/workers/:workerId/calendar-feed', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['calendar'], summary: "Make a new private calendar feed address for the worker's jobs; the old address stops working", security,
      params: IdParams('workerId'), response: { 201: Obj({ url: Type.String({ format: 'uri' }), createdAt: DateTime }) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const made = await db.transaction().execute(async (tx) => {
      const owner = await feedOwner(tx, caller, request.params.workerId);
      const feed = await calendarFeeds.createFeed(tx, owner);
      await auditFeed(tx, caller, owner.workerId, 'worker.calendar_feed_created');
      return feed;
    });
    return reply.status(201).send({ url: feedUrl(made.token), createdAt: made.createdAt.toISOString() });
  });

  app.delete('/workers/:workerId/calendar-feed', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: { tags: ['calendar'], summary: "Revoke the worker's calendar feed (its address stops working)", security, params: IdParams('workerId'), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    await db.transaction().execute(async (tx) => {
      const owner = await feedOwner(tx, caller, request.params.workerId);
      if (await calendarFeeds.revokeFeed(tx, owner)) await auditFeed(tx, caller, owner.workerId, 'worker.calendar_feed_revoked');
    });
    return reply.status(204).send(null);
  });

  app.get('/calendar/:token.ics', {
    config: { access: 'public' },
    schema: {
      tags: ['calendar'], summary: "A worker's calendar feed: their jobs from 30 days ago to a year ahead, in Europe/Amsterdam time (no login: the secret is the key)",
      params: Obj({ token: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 200: Ics },
    },
  }, async (request, reply) => {
    const owner = await calendarFeeds.ownerOfToken(db, request.params.token);
    if (!owner) throw appError('not_found');
    const now = app.config.clock?.() ?? new Date();
    const [schedule, user, settings] = await Promise.all([
      bookings.workerSchedule(db, { ...owner, from: new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS), until: new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS) }),
      db.selectFrom('users').select('locale').where('id', '=', owner.workerId).executeTakeFirstOrThrow(),
      app.settings.get(owner.programmeId),
    ]);
    const locale: Locale = user.locale === 'en' ? 'en' : 'nl';
    const events = schedule.filter((item) => item.booking.state !== 'cancelled').map((item) => assignmentEvent(item, locale, settings.servicePointAddress));
    return reply.headers(icsHeaders('buurtservice.ics')).send(icsCalendar(feedName(locale), events, now));
  });

  app.get('/bookings/:bookingId/calendar.ics', {
    config: { access: ['resident', 'organisation_member', 'worker', ...STAFF_ROLES] },
    schema: { tags: ['calendar'], summary: 'One booking as an .ics file, to add to a calendar', security, params: IdParams('bookingId'), response: { 200: Ics } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const view = await bookings.findBooking(db, caller.programmeId, request.params.bookingId);
    const assigned = caller.role === 'worker' && view?.assignments.some((a) => a.workerId === caller.userId);
    if (!view || !(isStaff(caller.role) || isCustomerOf(caller, view) || assigned)) throw appError('not_found');
    const settings = await app.settings.get(caller.programmeId);
    const event = bookingEvent(view, requestLocale(request), settings.servicePointAddress, assigned ? caller.userId : undefined);
    return reply.headers(icsHeaders(`klus-${view.id.slice(0, 8)}.ics`)).send(icsCalendar(event.summary, [event]));
  });
};
