import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit, experience, programmes, type Executor } from '@buurtservice/db';
import { amsterdamDate, STAFF_ROLES } from '@buurtservice/shared';
import type { Caller } from '../auth.js';
import { appError } from '../errors.js';
import { Contract, DateTime, IdParams, IsoDate, Nullable, Obj, Uuid } from '../schemas/common.js';
import { callerOf } from '../scope.js';
import { workExperiencePdf } from '../services/pdf.js';

/**
 * The work-experience record (docs/api-hours.md, "Work experience"): hours per month and per
 * service, certificates and the trajectory status. Seen by the worker self, their coach and the
 * programme's admins; anyone else (another worker, a dispatcher who is not the coach) is told it
 * does not exist. Certificates and the trajectory are changed by the coach or an admin, audited.
 */

// The outcome categories the programme reports on (the enum trajectory_status of migration …2900_work_experience).
const Status = Type.Union([
  Type.Literal('active'), Type.Literal('completed'), Type.Literal('stopped_early'), Type.Literal('subsidised_work'), Type.Literal('regular_work'),
]);
const ServiceName = Obj({ nl: Type.String(), en: Type.String() });
const ServiceMinutes = Obj({ code: Type.String(), name: ServiceName, minutes: Type.Integer(), jobs: Type.Integer() });
const CertificateSchema = Obj({ id: Uuid, name: Type.String(), issuedOn: IsoDate, issuer: Type.String() });
const TrajectorySchema = Obj({
  status: Status,
  since: Nullable(DateTime),
  history: Type.Array(Obj({ status: Status, note: Nullable(Type.String()), actorName: Nullable(Type.String()), at: DateTime })),
});
const ExperienceSchema = Obj({
  worker: Obj({ id: Uuid, name: Type.String(), startedOn: IsoDate, contract: Contract }),
  canEdit: Type.Boolean({ description: 'whether this caller may change certificates and the trajectory' }),
  trajectory: TrajectorySchema,
  totalMinutes: Type.Integer(),
  months: Type.Array(Obj({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }), minutes: Type.Integer(), byService: Type.Array(ServiceMinutes) })),
  services: Type.Array(ServiceMinutes),
  certificates: Type.Array(CertificateSchema),
});
const Pdf = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

const trajectoryJson = (t: experience.Trajectory) => ({
  status: t.status,
  since: t.since?.toISOString() ?? null,
  history: t.history.map((e) => ({ status: e.status, note: e.note, actorName: e.actorName, at: e.at.toISOString() })),
});

/** A file name an employer's computer accepts: letters and digits of the worker's name. */
const fileName = (name: string) => `werkervaring-${name.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'medewerker'}.pdf`;

export const experienceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;
  const security = [{ bearer: [] }];

  const mayChange = (caller: Caller, subject: experience.ExperienceSubject) =>
    caller.role === 'programme_admin' || subject.coachId === caller.userId;

  /** The worker whose record this caller may see (self, coach, admin), else 404. */
  async function subjectFor(ex: Executor, caller: Caller, workerId: string, purpose: 'see' | 'change') {
    const subject = await experience.findSubject(ex, caller.programmeId, workerId);
    const self = caller.role === 'worker' && caller.userId === workerId;
    if (!subject || !(mayChange(caller, subject) || (purpose === 'see' && self))) throw appError('not_found');
    return subject;
  }

  async function record(caller: Caller, workerId: string) {
    const subject = await subjectFor(db, caller, workerId, 'see');
    const [hours, certificates, trajectory] = await Promise.all([
      experience.hours(db, caller.programmeId, workerId),
      experience.certificates(db, caller.programmeId, workerId),
      experience.trajectory(db, caller.programmeId, workerId),
    ]);
    return { subject, hours, certificates, trajectory: trajectory! };
  }

  const auditWorker = (ex: Executor, caller: Caller, workerId: string, action: string, details: Record<string, string | number | boolean | null>) =>
    audit(ex, { programmeId: caller.programmeId, actorUserId: caller.userId, action, subjectType: 'worker', subjectId: workerId, details });

  app.get('/workers/:workerId/experience', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: {
      tags: ['experience'], summary: "A worker's work experience: hours per month and service (confirmed jobs), certificates, trajectory", security,
      params: IdParams('workerId'), response: { 200: ExperienceSchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const r = await record(caller, request.params.workerId);
    return {
      worker: { id: r.subject.id, name: r.subject.name, startedOn: r.subject.startedOn, contract: r.subject.contract },
      canEdit: mayChange(caller, r.subject),
      trajectory: trajectoryJson(r.trajectory),
      ...r.hours,
      certificates: r.certificates,
    };
  });

  app.get('/workers/:workerId/experience.pdf', {
    config: { access: ['worker', ...STAFF_ROLES] },
    schema: { tags: ['experience'], summary: 'The statement of work experience as PDF, for the worker to show an employer', security, params: IdParams('workerId'), response: { 200: Pdf } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const r = await record(caller, request.params.workerId);
    const [programme, settings] = await Promise.all([programmes.getProgramme(db, caller.programmeId), app.settings.get(caller.programmeId)]);
    const pdf = await workExperiencePdf({
      issuer: { name: settings.legalName || `Buurtservice ${programme.name}`, address: settings.billingAddress || settings.servicePointAddress },
      worker: { name: r.subject.name, startedOn: r.subject.startedOn },
      issuedAt: new Date(),
      totalMinutes: r.hours.totalMinutes,
      services: r.hours.services.map((s) => ({ name: s.name.nl, minutes: s.minutes, jobs: s.jobs })),
      months: r.hours.months,
      certificates: r.certificates,
    });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName(r.subject.name)}"`).send(pdf);
  });

  app.post('/workers/:workerId/certificates', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['experience'], summary: 'Add a certificate the worker earned (coach or admin); the same one again is not added twice', security,
      params: IdParams('workerId'),
      body: Obj({ name: Text(200), issuedOn: IsoDate, issuer: Text(200) }, { examples: [{ name: 'VCA Basisveiligheid', issuedOn: '2026-10-12', issuer: 'Stichting Samenwerken Voor Veiligheid' }] }),
      response: { 201: CertificateSchema, 200: CertificateSchema },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { workerId } = request.params;
    const b = request.body;
    // A certificate comes after the fact: a date after today (Amsterdam) is a typing mistake.
    if (b.issuedOn > amsterdamDate()) throw appError('date_invalid', [{ field: '/issuedOn', code: 'date_invalid' }]);
    const added = await db.transaction().execute(async (tx) => {
      await subjectFor(tx, caller, workerId, 'change');
      const result = await experience.addCertificate(tx, {
        programmeId: caller.programmeId, workerId, name: b.name.trim(), issuedOn: b.issuedOn, issuer: b.issuer.trim(), createdBy: caller.userId,
      });
      if (result.created) await auditWorker(tx, caller, workerId, 'worker.certificate_added', { certificateId: result.certificate.id, name: result.certificate.name });
      return result;
    });
    return reply.status(added.created ? 201 : 200).send(added.certificate);
  });

  app.delete('/workers/:workerId/certificates/:certificateId', {
    config: { access: STAFF_ROLES },
    schema: { tags: ['experience'], summary: 'Remove a certificate (coach or admin)', security, params: IdParams('workerId', 'certificateId'), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { workerId, certificateId } = request.params;
    await db.transaction().execute(async (tx) => {
      await subjectFor(tx, caller, workerId, 'change');
      const removed = await experience.removeCertificate(tx, { programmeId: caller.programmeId, workerId, certificateId });
      if (!removed) throw appError('not_found');
      await auditWorker(tx, caller, workerId, 'worker.certificate_removed', { certificateId, name: removed.name });
    });
    return reply.status(204).send(null);
  });

  app.put('/workers/:workerId/trajectory', {
    config: { access: STAFF_ROLES },
    schema: {
      tags: ['experience'], summary: "Set the worker's trajectory status, with a note (coach or admin)", security,
      params: IdParams('workerId'),
      body: Obj({ status: Status, note: Type.Optional(Text(1000)) }, { examples: [{ status: 'regular_work', note: 'Vaste baan bij een hoveniersbedrijf.' }] }),
      response: { 200: TrajectorySchema },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { workerId } = request.params;
    const { status } = request.body;
    const note = request.body.note?.trim() ?? null;
    return db.transaction().execute(async (tx) => {
      await subjectFor(tx, caller, workerId, 'change');
      const set = await experience.setTrajectory(tx, { programmeId: caller.programmeId, workerId, status, note, actorUserId: caller.userId });
      if (!set) throw appError('not_found');
      if (set.changed) await auditWorker(tx, caller, workerId, 'worker.trajectory_set', { status });
      return trajectoryJson((await experience.trajectory(tx, caller.programmeId, workerId))!);
    });
  });
};
