import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, catalogue } from '@buurtservice/db';
import {
  amsterdamDate, customerCategory, priceJob, ROLES, STAFF_ROLES, tariffInForce, type CustomerCategory,
} from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { isUniqueViolation } from '../pg-errors.js';
import { Category, IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf, householdFor, organisationFor } from '../scope.js';
import type { CachedService } from '../services/catalogue-cache.js';

const Text = (max: number) => Obj({ nl: Type.String({ minLength: 2, maxLength: max }), en: Type.String({ minLength: 2, maxLength: max }) });
const Location = Type.Union([Type.Literal('customer_address'), Type.Literal('service_point')]);
const Skill = Type.String({ pattern: '^[a-z0-9-]{2,40}$' });

const ServiceSchema = Obj({
  id: Uuid,
  code: Type.String(),
  name: Text(80),
  description: Text(1000),
  location: Location,
  defaultDurationMinutes: Type.Integer(),
  minWorkers: Type.Integer(),
  maxWorkers: Type.Integer(),
  requiredSkill: Type.String(),
  active: Type.Boolean(),
  centsPerWorkerHour: Nullable(Type.Integer({ description: "Price of one hour of one worker for this customer's category" })),
});

const TariffSchema = Obj({ id: Uuid, category: Category, centsPerWorkerHour: Type.Integer(), validFrom: IsoDate });

const CustomerQuery = {
  householdId: Type.Optional(Uuid),
  organisationId: Type.Optional(Uuid),
};

export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  /**
   * The tariff category of the customer a request is about: the caller themselves (resident,
   * organisation member) or, for staff acting on someone's behalf, the household or organisation named.
   */
  async function categoryFor(caller: Caller, target: { householdId?: string | undefined; organisationId?: string | undefined }, today: string): Promise<CustomerCategory | null> {
    if (target.householdId && target.organisationId) throw appError('customer_required');
    if (target.householdId) {
      const h = await householdFor(db, caller, target.householdId);
      const pass = h.city_pass_verified_at && h.city_pass_expires_on ? { expiresOn: h.city_pass_expires_on, verified: true } : null;
      return customerCategory({ kind: 'household', cityPass: pass }, today);
    }
    if (target.organisationId) {
      await organisationFor(db, caller, target.organisationId);
      return 'organisation';
    }
    if (caller.role === 'organisation_member') return 'organisation';
    if (caller.role === 'resident') {
      return customerCategory({ kind: 'household', cityPass: caller.cityPassExpiresOn ? { expiresOn: caller.cityPassExpiresOn, verified: true } : null }, today);
    }
    return null;
  }

  app.get('/services', {
    config: { access: ROLES },
    schema: {
      tags: ['catalogue'],
      summary: "The programme's services, with the price per worker-hour for the customer",
      security: [{ bearer: [] }],
      querystring: Obj({ ...CustomerQuery, all: Type.Optional(Type.Boolean({ description: 'Admins: include inactive services' })) }),
      response: { 200: Obj({ services: Type.Array(ServiceSchema) }) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const today = amsterdamDate();
    const [cat, category] = await Promise.all([app.catalogue.get(caller.programmeId), categoryFor(caller, request.query, today)]);
    const price = category ? tariffInForce(cat.tariffs, category, today)?.centsPerWorkerHour ?? null : null;
    const all = request.query.all === true && caller.role === 'programme_admin';
    return { services: cat.services.filter((s) => all || s.active).map((s) => ({ ...s, centsPerWorkerHour: price })) };
  });

  app.post('/quotes', {
    config: { access: ['resident', 'organisation_member', ...STAFF_ROLES] },
    schema: {
      tags: ['catalogue'],
      summary: 'Price a prospective job: workers × minutes × the tariff of the customer on that date',
      security: [{ bearer: [] }],
      body: Obj({
        serviceId: Uuid,
        workers: Type.Integer({ minimum: 1, maximum: 20 }),
        minutes: Type.Integer({ minimum: 15, maximum: 720, multipleOf: 15 }),
        date: Type.Optional(IsoDate),
        ...CustomerQuery,
      }, { examples: [{ serviceId: '0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a', workers: 2, minutes: 180 }] }),
      response: {
        200: Obj({ category: Category, centsPerWorkerHour: Type.Integer(), workerMinutes: Type.Integer(), totalCents: Type.Integer(), tariffValidFrom: IsoDate }),
      },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const b = request.body;
    const date = b.date ?? amsterdamDate();
    const [cat, category] = await Promise.all([app.catalogue.get(caller.programmeId), categoryFor(caller, b, date)]);
    if (!category) throw appError('customer_required');
    const service: CachedService | undefined = cat.servicesById.get(b.serviceId);
    if (!service) throw appError('not_found');
    if (!service.active) throw appError('service_inactive');
    if (b.workers < service.minWorkers || b.workers > service.maxWorkers) throw appError('workers_out_of_range', [{ field: '/workers', code: 'workers_out_of_range' }]);
    const tariff = tariffInForce(cat.tariffs, category, date);
    if (!tariff) throw appError('tariff_missing');
    return { category, ...priceJob(b.workers, b.minutes, tariff.centsPerWorkerHour), tariffValidFrom: tariff.validFrom };
  });

  app.patch('/services/:serviceId', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['catalogue'],
      summary: 'Edit a service',
      security: [{ bearer: [] }],
      params: IdParams('serviceId'),
      body: Type.Partial(Obj({
        name: Text(80),
        description: Text(1000),
        location: Location,
        defaultDurationMinutes: Type.Integer({ minimum: 15, maximum: 720, multipleOf: 15 }),
        minWorkers: Type.Integer({ minimum: 1, maximum: 20 }),
        maxWorkers: Type.Integer({ minimum: 1, maximum: 20 }),
        requiredSkill: Skill,
        active: Type.Boolean(),
        sortOrder: Type.Integer({ minimum: 0, maximum: 1000 }),
      }), { additionalProperties: false, minProperties: 1, examples: [{ active: false }] }),
      response: { 200: ServiceSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const b = request.body;
    const current = (await app.catalogue.get(caller.programmeId)).servicesById.get(request.params.serviceId);
    if (!current) throw appError('not_found');
    if ((b.minWorkers ?? current.minWorkers) > (b.maxWorkers ?? current.maxWorkers)) throw appError('workers_out_of_range', [{ field: '/minWorkers', code: 'workers_out_of_range' }]);
    const updated = await db.transaction().execute(async (tx) => {
      const row = await catalogue.updateService(tx, caller.programmeId, request.params.serviceId, {
        ...(b.name && { name_nl: b.name.nl, name_en: b.name.en }),
        ...(b.description && { description_nl: b.description.nl, description_en: b.description.en }),
        ...(b.location && { location: b.location }),
        ...(b.defaultDurationMinutes !== undefined && { default_duration_minutes: b.defaultDurationMinutes }),
        ...(b.minWorkers !== undefined && { min_workers: b.minWorkers }),
        ...(b.maxWorkers !== undefined && { max_workers: b.maxWorkers }),
        ...(b.requiredSkill && { required_skill: b.requiredSkill }),
        ...(b.active !== undefined && { active: b.active }),
        ...(b.sortOrder !== undefined && { sort_order: b.sortOrder }),
      });
      if (!row) throw appError('not_found');
      await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'service.updated', subjectType: 'service', subjectId: row.id, details: { fields: Object.keys(b).join(',') } });
      return row;
    });
    app.catalogue.invalidate(caller.programmeId);
    const fresh = (await app.catalogue.get(caller.programmeId)).servicesById.get(updated.id);
    if (!fresh) throw appError('not_found');
    return { ...fresh, centsPerWorkerHour: null };
  });

  app.get('/tariffs', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['catalogue'], summary: 'All tariffs of the programme, past and future', security: [{ bearer: [] }], response: { 200: Obj({ tariffs: Type.Array(TariffSchema) }) } },
  }, async (request) => {
    const rows = await catalogue.listTariffs(db, callerOf(request).programmeId);
    return { tariffs: rows.map((t) => ({ id: t.id, category: t.category, centsPerWorkerHour: t.cents_per_worker_hour, validFrom: t.valid_from })) };
  });

  app.post('/tariffs', {
    config: { access: ['programme_admin'] },
    schema: {
      tags: ['catalogue'],
      summary: 'Set a new price from a date (today or later); earlier prices stay as they were',
      security: [{ bearer: [] }],
      body: Obj({ category: Category, centsPerWorkerHour: Type.Integer({ minimum: 0, maximum: 100000 }), validFrom: IsoDate }, { examples: [{ category: 'resident', centsPerWorkerHour: 1100, validFrom: '2027-01-01' }] }),
      response: { 201: TariffSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const b = request.body;
    if (b.validFrom < amsterdamDate()) throw appError('tariff_in_past', [{ field: '/validFrom', code: 'tariff_in_past' }]);
    try {
      const row = await db.transaction().execute(async (tx) => {
        const t = await catalogue.insertTariff(tx, { programme_id: caller.programmeId, category: b.category, cents_per_worker_hour: b.centsPerWorkerHour, valid_from: b.validFrom, created_by: caller.userId });
        await audit(tx, { programmeId: caller.programmeId, actorUserId: caller.userId, action: 'tariff.created', subjectType: 'tariff', subjectId: t.id, details: { category: b.category, cents: b.centsPerWorkerHour, validFrom: b.validFrom } });
        return t;
      });
      app.catalogue.invalidate(caller.programmeId);
      return reply.status(201).send({ id: row.id, category: row.category, centsPerWorkerHour: row.cents_per_worker_hour, validFrom: row.valid_from });
    } catch (err) {
      if (isUniqueViolation(err)) throw appError('tariff_exists');
      throw err;
    }
  });
};
