import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, organisations, programmes, users } from '@buurtservice/db';
import { isKvkNumber, normalisePostcode, STAFF_ROLES } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { Address, Email, IdParams, Name, Nullable, Obj, Password, Phone, Uuid } from '../schemas/common.js';
import { callerOf, organisationFor } from '../scope.js';
import { hashPassword, passwordProblem } from '../services/passwords.js';

const LocationSchema = Obj({ id: Uuid, name: Type.String(), street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Type.String(), postcode: Type.String(), city: Type.String() });
const OrganisationSchema = Obj({
  id: Uuid,
  name: Type.String(),
  kvkNumber: Type.String(),
  vatNumber: Nullable(Type.String()),
  billingAddress: Obj({ street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Type.String(), postcode: Type.String(), city: Type.String() }),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  locations: Type.Array(LocationSchema),
});

type OrgRow = organisations.OrganisationRow;
type LocRow = Awaited<ReturnType<typeof organisations.listLocations>>[number];
const toLocation = (l: LocRow) => ({ id: l.id, name: l.name, street: l.street, houseNumber: l.house_number, houseNumberSuffix: l.house_number_suffix, postcode: l.postcode, city: l.city });
const toOrganisation = (o: OrgRow, locations: LocRow[]) => ({
  id: o.id, name: o.name, kvkNumber: o.kvk_number, vatNumber: o.vat_number,
  billingAddress: { street: o.billing_street, houseNumber: o.billing_house_number, houseNumberSuffix: o.billing_house_number_suffix, postcode: o.billing_postcode, city: o.billing_city },
  email: o.email, phone: o.phone, locations: locations.map(toLocation),
});

const LocationBody = Obj({ name: Name, ...Address });

export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function postcodeInProgramme(input: string, programmeId: string, field: string) {
    const postcode = normalisePostcode(input);
    if (!postcode) throw appError('postcode_invalid', [{ field, code: 'postcode_invalid' }]);
    const area = await programmes.findAreaForPostcode(db, postcode);
    return { postcode, buurtId: area && area.programmeId === programmeId ? area.buurtId : null };
  }

  app.get('/organisations', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['organisations'], summary: "The programme's organisations", security: [{ bearer: [] }], response: { 200: Obj({ organisations: Type.Array(OrganisationSchema) }) } },
  }, async (request) => {
    const programmeId = callerOf(request).programmeId;
    const rows = await organisations.listOrganisations(db, programmeId);
    const all = await Promise.all(rows.map(async (o) => toOrganisation(o, await organisations.listLocations(db, programmeId, o.id))));
    return { organisations: all };
  });

  app.get('/organisations/:organisationId', {
    config: { access: ['organisation_member', ...STAFF_ROLES] },
    schema: { tags: ['organisations'], summary: 'An organisation with its locations', security: [{ bearer: [] }], params: IdParams('organisationId'), response: { 200: OrganisationSchema } },
  }, async (request) => {
    const caller = callerOf(request);
    const o = await organisationFor(db, caller, request.params.organisationId);
    return toOrganisation(o, await organisations.listLocations(db, caller.programmeId, o.id));
  });

  app.post('/organisations', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['organisations'],
      summary: 'Create an organisation, optionally with its first member who can sign in',
      security: [{ bearer: [] }],
      body: Obj({
        name: Name,
        kvkNumber: Type.String({ maxLength: 20 }),
        vatNumber: Type.Optional(Type.String({ pattern: '^NL[0-9]{9}B[0-9]{2}$' })),
        billingAddress: Obj(Address),
        email: Type.Optional(Email),
        phone: Type.Optional(Phone),
        member: Type.Optional(Obj({ displayName: Name, email: Email, password: Password })),
      }, { examples: [{ name: 'Basisschool De Vlier', kvkNumber: '41234567', billingAddress: { street: 'Vlierstraat', houseNumber: 1, postcode: '4823 AB', city: 'Breda' } }] }),
      response: { 201: OrganisationSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    if (!isKvkNumber(b.kvkNumber)) throw appError('kvk_invalid', [{ field: '/kvkNumber', code: 'kvk_invalid' }]);
    const billing = await postcodeInProgramme(b.billingAddress.postcode, caller.programmeId, '/billingAddress/postcode');
    if (b.member) {
      const problem = passwordProblem(b.member.password);
      if (problem) throw appError(problem, [{ field: '/member/password', code: problem }]);
    }
    const memberHash = b.member ? await hashPassword(b.member.password) : null;
    try {
      const org = await db.transaction().execute(async (tx) => {
        const o = await organisations.insertOrganisation(tx, {
          programme_id: caller.programmeId, name: b.name, kvk_number: b.kvkNumber, vat_number: b.vatNumber ?? null,
          billing_street: b.billingAddress.street, billing_house_number: b.billingAddress.houseNumber, billing_house_number_suffix: b.billingAddress.houseNumberSuffix ?? '',
          billing_postcode: billing.postcode, billing_city: b.billingAddress.city, email: b.email?.toLowerCase() ?? null, phone: b.phone ?? null,
        });
        if (b.member && memberHash) {
          await users.insertUser(tx, {
            programme_id: caller.programmeId, role: 'organisation_member', organisation_id: o.id, display_name: b.member.displayName,
            email: b.member.email.toLowerCase(), password_hash: memberHash, created_by: caller.userId,
          });
        }
        await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'organisation.created', subjectType: 'organisation', subjectId: o.id });
        return o;
      });
      return reply.status(201).send(toOrganisation(org, []));
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_idx')) throw appError('email_taken', [{ field: '/member/email', code: 'email_taken' }]);
      if (isUniqueViolation(err)) throw appError('kvk_taken', [{ field: '/kvkNumber', code: 'kvk_taken' }]);
      throw err;
    }
  });

  app.post('/organisations/:organisationId/locations', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['organisations'],
      summary: 'Add a location where jobs for the organisation are done',
      security: [{ bearer: [] }],
      params: IdParams('organisationId'),
      body: LocationBody,
      response: { 201: LocationSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const org = await organisationFor(db, caller, request.params.organisationId);
    const b = request.body;
    const where = await postcodeInProgramme(b.postcode, caller.programmeId, '/postcode');
    const loc = await db.transaction().execute(async (tx) => {
      const l = await organisations.insertLocation(tx, {
        programme_id: caller.programmeId, organisation_id: org.id, name: b.name, street: b.street, house_number: b.houseNumber,
        house_number_suffix: b.houseNumberSuffix ?? '', postcode: where.postcode, city: b.city, buurt_id: where.buurtId,
      });
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'organisation.location_added', subjectType: 'organisation', subjectId: org.id });
      return l;
    });
    return reply.status(201).send(toLocation(loc));
  });
};
