import { sql } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { TrajectoryStatus, WorkerContract } from '../schema.js';

/**
 * The work-experience record of a worker (issue 5): the hours they really worked, per month and
 * per service, the certificates they earned and their trajectory status with its history.
 *
 * Hours are the worker's raw logged minutes (end − start − break, not rounded up for billing) on
 * bookings that are confirmed or settled: the customer (or staff) agreed the work happened.
 * A month is a calendar month in Europe/Amsterdam, of the moment the entry started.
 */

export type { TrajectoryStatus };

export interface ExperienceSubject {
  id: string;
  name: string;
  startedOn: string;
  contract: WorkerContract;
  coachId: string | null;
  trajectoryStatus: TrajectoryStatus;
}

export interface ServiceName { nl: string; en: string }

export interface ServiceMinutes {
  code: string;
  name: ServiceName;
  minutes: number;
  /** distinct bookings */
  jobs: number;
}

export interface MonthHours {
  /** 'YYYY-MM' in Europe/Amsterdam */
  month: string;
  minutes: number;
  byService: ServiceMinutes[];
}

export interface Hours {
  totalMinutes: number;
  /** oldest month first; months without hours left out */
  months: MonthHours[];
  /** most minutes first */
  services: ServiceMinutes[];
}

export interface Certificate {
  id: string;
  name: string;
  issuedOn: string;
  issuer: string;
}

export interface TrajectoryEvent {
  status: TrajectoryStatus;
  note: string | null;
  actorName: string | null;
  at: Date;
}

export interface Trajectory {
  status: TrajectoryStatus;
  /** when the worker reached the current status; null: since the start, never changed */
  since: Date | null;
  /** newest first */
  history: TrajectoryEvent[];
}

/** The worker of this programme the record is about, with their coach; undefined when there is none. */
export async function findSubject(db: Executor, programmeId: string, workerId: string): Promise<ExperienceSubject | undefined> {
  const row = await db
    .selectFrom('workers as w')
    .innerJoin('users as u', 'u.id', 'w.user_id')
    .select(['w.user_id', 'u.display_name', 'w.started_on', 'w.contract', 'w.coach_id', 'w.trajectory_status'])
    .where('w.programme_id', '=', programmeId)
    .where('w.user_id', '=', workerId)
    .executeTakeFirst();
  return row && {
    id: row.user_id, name: row.display_name, startedOn: row.started_on, contract: row.contract, coachId: row.coach_id, trajectoryStatus: row.trajectory_status,
  };
}

interface HoursRow {
  month: string | null;
  code: string;
  name_nl: string;
  name_en: string;
  minutes: number;
  jobs: number;
}

/**
 * The worker's hours. One statement: the grouping sets give the minutes per (month, service) and,
 * in the rows without a month, per service over all months with its number of distinct jobs (a
 * job's entries can fall in two months, so the jobs per service are not a sum of the months).
 */
export async function hours(db: Executor, programmeId: string, workerId: string): Promise<Hours> {
  const rows = (await sql<HoursRow>`
    select month, code, name_nl, name_en, sum(raw_minutes)::int as minutes, count(distinct booking_id)::int as jobs
    from (
      select to_char(lower(e.during) at time zone 'Europe/Amsterdam', 'YYYY-MM') as month, s.code, s.name_nl, s.name_en, e.raw_minutes, e.booking_id
      from time_entries e
      join bookings b on b.id = e.booking_id
      join services s on s.id = b.service_id
      where e.programme_id = ${programmeId} and e.worker_id = ${workerId} and b.state in ('confirmed', 'settled')
    ) worked
    group by grouping sets ((month, code, name_nl, name_en), (code, name_nl, name_en))`.execute(db)).rows;

  const service = (r: HoursRow): ServiceMinutes => ({ code: r.code, name: { nl: r.name_nl, en: r.name_en }, minutes: r.minutes, jobs: r.jobs });
  const byMinutes = (a: ServiceMinutes, b: ServiceMinutes) => b.minutes - a.minutes || a.code.localeCompare(b.code);
  const services = rows.filter((r) => r.month === null).map(service).sort(byMinutes);
  const months = new Map<string, ServiceMinutes[]>();
  for (const r of rows) if (r.month !== null) months.set(r.month, [...(months.get(r.month) ?? []), service(r)]);
  return {
    totalMinutes: services.reduce((sum, s) => sum + s.minutes, 0),
    months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, list]) => ({
      month, minutes: list.reduce((sum, s) => sum + s.minutes, 0), byService: list.sort(byMinutes),
    })),
    services,
  };
}

export async function certificates(db: Executor, programmeId: string, workerId: string): Promise<Certificate[]> {
  const rows = await db.selectFrom('worker_certificates').select(['id', 'name', 'issued_on', 'issuer'])
    .where('programme_id', '=', programmeId).where('worker_id', '=', workerId)
    .orderBy('issued_on', 'desc').orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, issuedOn: r.issued_on, issuer: r.issuer }));
}

export interface NewCertificate {
  programmeId: string;
  workerId: string;
  name: string;
  issuedOn: string;
  issuer: string;
  createdBy: string;
}

/**
 * Adds a certificate, once: the same name, date and issuer again (a retried request) finds the
 * certificate that is there (`created` false). The worker must exist in this programme (the
 * caller checked; the foreign key has the last word).
 */
export async function addCertificate(tx: Tx, c: NewCertificate): Promise<{ certificate: Certificate; created: boolean }> {
  const inserted = await tx.insertInto('worker_certificates')
    .values({ programme_id: c.programmeId, worker_id: c.workerId, name: c.name, issued_on: c.issuedOn, issuer: c.issuer, created_by: c.createdBy })
    .onConflict((oc) => oc.columns(['worker_id', 'name', 'issued_on', 'issuer']).doNothing())
    .returning(['id', 'name', 'issued_on', 'issuer'])
    .executeTakeFirst();
  const row = inserted ?? await tx.selectFrom('worker_certificates').select(['id', 'name', 'issued_on', 'issuer'])
    .where('programme_id', '=', c.programmeId).where('worker_id', '=', c.workerId)
    .where('name', '=', c.name).where('issued_on', '=', c.issuedOn).where('issuer', '=', c.issuer)
    .executeTakeFirstOrThrow();
  return { certificate: { id: row.id, name: row.name, issuedOn: row.issued_on, issuer: row.issuer }, created: inserted !== undefined };
}

/** Removes a certificate of this worker; the removed one, or undefined when there was none. */
export async function removeCertificate(tx: Tx, s: { programmeId: string; workerId: string; certificateId: string }): Promise<Certificate | undefined> {
  const row = await tx.deleteFrom('worker_certificates')
    .where('programme_id', '=', s.programmeId).where('worker_id', '=', s.workerId).where('id', '=', s.certificateId)
    .returning(['id', 'name', 'issued_on', 'issuer'])
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, issuedOn: row.issued_on, issuer: row.issuer };
}

export async function trajectory(db: Executor, programmeId: string, workerId: string): Promise<Trajectory | undefined> {
  const subject = await findSubject(db, programmeId, workerId);
  if (!subject) return undefined;
  const rows = await db
    .selectFrom('worker_trajectory_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.status', 'e.note', 'u.display_name', 'e.at'])
    .where('e.programme_id', '=', programmeId)
    .where('e.worker_id', '=', workerId)
    .orderBy('e.id', 'desc')
    .execute();
  const history = rows.map((r) => ({ status: r.status, note: r.note, actorName: r.display_name, at: r.at }));
  // The current status holds since the oldest event of the newest run of that status (a note
  // added later, with the same status, does not move it).
  let since: Date | null = null;
  for (const e of history) {
    if (e.status !== subject.trajectoryStatus) break;
    since = e.at;
  }
  return { status: subject.trajectoryStatus, since, history };
}

/**
 * Sets the trajectory status and records the change with its note. The worker row is locked, so
 * two coaches at once take turns. The same status with the same note as the newest event (a
 * retried request) records nothing again (`changed` false).
 */
export async function setTrajectory(
  tx: Tx, t: { programmeId: string; workerId: string; status: TrajectoryStatus; note: string | null; actorUserId: string },
): Promise<{ changed: boolean } | undefined> {
  const worker = await tx.selectFrom('workers').select('trajectory_status')
    .where('programme_id', '=', t.programmeId).where('user_id', '=', t.workerId).forUpdate().executeTakeFirst();
  if (!worker) return undefined;
  const newest = await tx.selectFrom('worker_trajectory_events').select(['status', 'note'])
    .where('worker_id', '=', t.workerId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const repeat = worker.trajectory_status === t.status && (newest ? newest.status === t.status && newest.note === t.note : t.note === null);
  if (repeat) return { changed: false };
  await tx.updateTable('workers').set({ trajectory_status: t.status, updated_at: sql<Date>`now()` })
    .where('programme_id', '=', t.programmeId).where('user_id', '=', t.workerId).execute();
  await tx.insertInto('worker_trajectory_events')
    .values({ programme_id: t.programmeId, worker_id: t.workerId, status: t.status, note: t.note, actor_user_id: t.actorUserId })
    .execute();
  return { changed: true };
}
