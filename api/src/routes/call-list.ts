import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, outbox } from '@buurtservice/db';
import { STAFF_ROLES, type Locale as LocaleCode } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { renderMessage } from '../jobs/notification-jobs.js';
import { DateTime, IdParams, Locale, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';

/**
 * The dispatchers' call list (docs/api-bookings.md, "Call list"): messages that reached no one —
 * the person has no e-mail address (often a household the counter looks after), or every try to
 * send failed — so a dispatcher phones instead and ticks the message off. Staff only.
 */

const Reason = Type.Union([Type.Literal('no_email'), Type.Literal('not_delivered')], {
  description: 'no_email: nobody it is for has an e-mail address; not_delivered: every try to send it failed',
});
const PersonKind = Type.Union([Type.Literal('household'), Type.Literal('organisation'), Type.Literal('user')]);

const CallSchema = Obj({
  id: Uuid,
  kind: Type.String({ description: 'the message kind, e.g. booking_rescheduled' }),
  reason: Reason,
  createdAt: DateTime,
  givenUpAt: DateTime,
  person: Obj({ kind: PersonKind, id: Uuid, name: Type.String(), phone: Nullable(Type.String()) }),
  bookingId: Nullable(Uuid),
  subject: Type.String({ description: 'what the message says, in the asked language' }),
  text: Type.String(),
});
const CallRecordSchema = Obj({ id: Uuid, calledAt: DateTime, calledBy: Uuid, note: Nullable(Type.String()) });

export const callListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const now = () => app.config.clock?.() ?? new Date();

  app.get('/dispatch/calls', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'The call list: messages that reached no one, to tell the person by phone (the longest-waiting first)',
      security: [{ bearer: [] }],
      querystring: Obj({ locale: Type.Optional(Locale) }),
      response: { 200: Obj({ calls: Type.Array(CallSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const locale: LocaleCode = request.query.locale ?? 'nl';
    const rows = await outbox.callList(db, caller.programmeId, now());
    return {
      calls: rows.map((r) => {
        const person = r.household_id
          ? { kind: 'household' as const, id: r.household_id }
          : r.organisation_id ? { kind: 'organisation' as const, id: r.organisation_id } : { kind: 'user' as const, id: r.user_id! };
        const payload = (r.payload ?? {}) as { bookingId?: unknown };
        let content: { subject: string; text: string };
        try {
          content = renderMessage(r.kind, r.payload, locale, null);
        } catch {
          content = { subject: r.kind, text: '' };
        }
        return {
          id: r.id,
          kind: r.kind,
          reason: r.last_error === outbox.NO_RECIPIENT ? 'no_email' as const : 'not_delivered' as const,
          createdAt: r.created_at.toISOString(),
          givenUpAt: r.given_up_at.toISOString(),
          person: { ...person, name: r.name, phone: r.phone },
          bookingId: typeof payload.bookingId === 'string' ? payload.bookingId : null,
          ...content,
        };
      }),
    };
  });

  app.get('/dispatch/calls/count', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'How many messages are on the call list (for a notice; the list itself is GET /dispatch/calls)',
      security: [{ bearer: [] }],
      response: { 200: Obj({ count: Type.Integer() }) },
    },
  }, async (request) => ({ count: await outbox.callCount(db, callerOf(request).programmeId, now()) }));

  app.post('/dispatch/calls/:messageId/called', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['dispatch'],
      summary: 'Tick a message off the call list: the person was phoned. Ticking it again changes nothing and answers the first tick',
      security: [{ bearer: [] }],
      params: IdParams('messageId'),
      body: Obj({ note: Type.Optional(Type.String({ maxLength: 500, description: 'what was agreed, in a few words' })) }, { examples: [{ note: 'Mevrouw weet het, komt donderdag' }] }),
      response: { 200: CallRecordSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const note = request.body.note?.trim() || null;
    const done = await db.transaction().execute(async (tx) => {
      const marked = await outbox.markCalled(tx, { programmeId: caller.programmeId, id: request.params.messageId, userId: caller.userId, note, now: now() });
      if (marked?.fresh) {
        await audit(tx, {
          programmeId: caller.programmeId, actorUserId: caller.userId, action: 'call_list.called', subjectType: 'outbox', subjectId: marked.record.id,
          details: { note: note !== null },
        });
      }
      return marked;
    });
    if (!done) throw appError('not_found');
    const r = done.record;
    return { id: r.id, calledAt: r.called_at.toISOString(), calledBy: r.called_by, note: r.call_note };
  });
};
