import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, households, programmes, users } from '@buurtservice/db';
import { normalisePostcode, STAFF_ROLES } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { Address, Email, IdParams, Name, Nullable, Obj, Password, Phone, Uuid } from '../schemas/common.js';
import { callerOf, householdFor } from '../scope.js';
import { hashPassword, passwordProblem } from '../services/passwords.js';

const HouseholdSchema = Obj({
  id: Uuid,
  name: Type.String(),
  street: Type.String(),
  houseNumber: Type.Integer(),
  houseNumberSuffix: Type.String(),
  postcode: Type.String(),
  city: Type.String(),
  buurt: Nullable(Type.String()),
  phone: Nullable(Type.String()),
});

type HouseholdLike = { id: string; name: string; street: string; house_number: number; house_number_suffix: string; postcode: string; city: string; buurt_name: string | null; phone: string | null };
const toHousehold = (h: HouseholdLike) => ({
  id: h.id, name: h.name, street: h.street, houseNumber: h.house_number, houseNumberSuffix: h.house_number_suffix,
  postcode: h.postcode, city: h.city, buurt: h.buurt_name, phone: h.phone,
});

export const householdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get('/households', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['households'],
      summary: 'Find households: by name, postcode (+ house number) or phone',
      security: [{ bearer: [] }],
      querystring: Obj({ q: Type.String({ minLength: 2, maxLength: 60 }) }),
      response: { 200: Obj({ households: Type.Array(HouseholdSchema) }) },
    },
  }, async (request) => {
    const rows = await households.searchHouseholds(db, callerOf(request).programmeId, request.query.q);
    return { households: rows.map(toHousehold) };
  });

  app.get('/households/:householdId', {
    config: { access: ['resident', ...STAFF_ROLES] },
    schema: { tags: ['households'], summary: 'A household (your own, or any of the programme for staff)', security: [{ bearer: [] }], params: IdParams('householdId'), response: { 200: HouseholdSchema } },
  }, async (request) => toHousehold(await householdFor(db, callerOf(request), request.params.householdId)));

  app.post('/households', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['households'],
      summary: 'Staff create a household for a resident (who may have no email); staff act on their behalf from then on',
      security: [{ bearer: [] }],
      body: Obj({
        name: Name,
        phone: Type.Optional(Phone),
        ...Address,
        contact: Obj({ displayName: Name, email: Type.Optional(Email), password: Type.Optional(Password) }),
      }, { examples: [{ name: 'Mevr. Pietersen', street: 'Wisselaan', houseNumber: 3, postcode: '4823 JA', city: 'Breda', phone: '076 500 00 00', contact: { displayName: 'Anna Pietersen' } }] }),
      response: { 201: HouseholdSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    const postcode = normalisePostcode(b.postcode);
    if (!postcode) throw appError('postcode_invalid', [{ field: '/postcode', code: 'postcode_invalid' }]);
    const area = await programmes.findAreaForPostcode(db, postcode);
    if (!area || area.programmeId !== caller.programmeId) throw appError('postcode_outside_area', [{ field: '/postcode', code: 'postcode_outside_area' }]);
    if (Boolean(b.contact.email) !== Boolean(b.contact.password)) throw appError('validation_failed', [{ field: '/contact/password', code: 'required_with_email' }]);
    if (b.contact.password) {
      const problem = passwordProblem(b.contact.password);
      if (problem) throw appError(problem, [{ field: '/contact/password', code: problem }]);
    }
    const passwordHash = b.contact.password ? await hashPassword(b.contact.password) : null;
    try {
      const household = await db.transaction().execute(async (tx) => {
        const h = await households.insertHousehold(tx, {
          programme_id: caller.programmeId, name: b.name, street: b.street, house_number: b.houseNumber, house_number_suffix: b.houseNumberSuffix ?? '',
          postcode, city: b.city, buurt_id: area.buurtId, phone: b.phone ?? null,
        });
        await users.insertUser(tx, {
          programme_id: caller.programmeId, role: 'resident', household_id: h.id, display_name: b.contact.displayName,
          email: b.contact.email?.toLowerCase() ?? null, password_hash: passwordHash, phone: b.phone ?? null, created_by: caller.userId,
        });
        await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, onBehalfOfHouseholdId: h.id, action: 'household.created', subjectType: 'household', subjectId: h.id });
        return h;
      });
      return reply.status(201).send(toHousehold({ ...household, buurt_name: area.buurtName }));
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_idx')) throw appError('email_taken', [{ field: '/contact/email', code: 'email_taken' }]);
      throw err;
    }
  });
};
