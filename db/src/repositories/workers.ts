import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from '../database.js';
import type { AbsenceKind, SkillLevel, WorkerContract, Workers } from '../schema.js';

/**
 * Workers of a programme: contract, skills, weekly availability and absences. A worker is a user
 * with role `worker`; the worker's id is that user's id. Every function takes an executor (the
 * pool or the caller's transaction) and the programme: another programme's worker does not exist here.
 */

export type WorkerRow = Selectable<Workers>;
export const WORKER_CONTRACTS = ['paid', 'volunteer', 'benefit', 'trainee'] as const satisfies readonly WorkerContract[];
export const SKILL_LEVELS = ['learning', 'independent', 'lead'] as const satisfies readonly SkillLevel[];

export type WorkerErrorCode =
  | 'worker_not_found'
  /** the user is not an account with role worker in this programme */
  | 'not_a_worker_account'
  | 'worker_exists'
  | 'skill_listed_twice'
  | 'weekly_cap_required'
  | 'weekly_cap_only_for_benefit'
  | 'coach_not_staff'
  | 'buurt_not_found'
  | 'availability_overlaps'
  | 'absence_overlaps'
  | 'range_invalid';

/** A refused change to a worker, with a stable code for the API. */
export class WorkerError extends Error {
  constructor(readonly code: WorkerErrorCode, message: string = code) {
    super(message);
  }
}

interface PgError { code?: string; constraint?: string }

function workerError(err: unknown): unknown {
  const e = err as PgError;
  if (e.code === '23505' && e.constraint === 'workers_pkey') return new WorkerError('worker_exists', 'this user is already a worker');
  if (e.code === '23505' && e.constraint === 'worker_skills_pkey') return new WorkerError('skill_listed_twice');
  if (e.code === '23503') {
    if (e.constraint?.includes('home_buurt')) return new WorkerError('buurt_not_found');
    if (e.constraint?.includes('coach')) return new WorkerError('coach_not_staff');
    return new WorkerError('not_a_worker_account');
  }
  if (e.code === '23514' && e.constraint === 'worker_coach_is_staff') return new WorkerError('coach_not_staff');
  if (e.code === '23514' && e.constraint === 'worker_cap_only_on_benefit') return new WorkerError('weekly_cap_required', 'a worker on a benefit needs a weekly cap, and only they have one');
  if (e.code === '23P01' && e.constraint === 'worker_availability_no_overlap') return new WorkerError('availability_overlaps');
  if (e.code === '23P01' && e.constraint === 'worker_absences_no_overlap') return new WorkerError('absence_overlaps');
  return err;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw workerError(err);
  }
}

function checkCap(contract: WorkerContract, weeklyCapMinutes: number | null | undefined): void {
  if (contract === 'benefit' && (weeklyCapMinutes === null || weeklyCapMinutes === undefined)) throw new WorkerError('weekly_cap_required');
  if (contract !== 'benefit' && weeklyCapMinutes !== null && weeklyCapMinutes !== undefined) throw new WorkerError('weekly_cap_only_for_benefit');
}

// The coach's role is part of the foreign key (only staff coach); it is read from the user itself.
const coachRole = (programmeId: string, coachId: string | null) =>
  coachId === null ? sql<null>`null` : sql<'dispatcher' | 'programme_admin'>`(select role from users where programme_id = ${programmeId} and id = ${coachId})`;

export interface NewWorker {
  programmeId: string;
  userId: string;
  contract: WorkerContract;
  /** required for `benefit`, null otherwise */
  weeklyCapMinutes?: number | null;
  homeBuurtId?: string | null;
  coachId?: string | null;
  /** 'YYYY-MM-DD' */
  startedOn: string;
  active?: boolean;
}

export async function createWorker(db: Executor, w: NewWorker): Promise<WorkerRow> {
  checkCap(w.contract, w.weeklyCapMinutes);
  return mapped(db
    .insertInto('workers')
    .values({
      user_id: w.userId,
      programme_id: w.programmeId,
      contract: w.contract,
      weekly_cap_minutes: w.weeklyCapMinutes ?? null,
      home_buurt_id: w.homeBuurtId ?? null,
      coach_id: w.coachId ?? null,
      coach_role: coachRole(w.programmeId, w.coachId ?? null),
      started_on: w.startedOn,
      active: w.active ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow());
}

export interface WorkerChanges {
  contract?: WorkerContract;
  weeklyCapMinutes?: number | null;
  homeBuurtId?: string | null;
  coachId?: string | null;
  startedOn?: string;
  active?: boolean;
}

/**
 * Changes a worker. A move to a benefit must bring its cap along; a move away from one drops the
 * cap. (The database checks the pair either way.)
 */
export async function updateWorker(db: Executor, programmeId: string, workerId: string, changes: WorkerChanges): Promise<WorkerRow> {
  const c = { ...changes };
  if (c.contract !== undefined) {
    if (c.contract !== 'benefit' && c.weeklyCapMinutes === undefined) c.weeklyCapMinutes = null;
    checkCap(c.contract, c.weeklyCapMinutes);
  }
  const row = await mapped(db
    .updateTable('workers')
    .set({
      ...(c.contract !== undefined ? { contract: c.contract } : {}),
      ...(c.weeklyCapMinutes !== undefined ? { weekly_cap_minutes: c.weeklyCapMinutes } : {}),
      ...(c.homeBuurtId !== undefined ? { home_buurt_id: c.homeBuurtId } : {}),
      ...(c.coachId !== undefined ? { coach_id: c.coachId, coach_role: coachRole(programmeId, c.coachId) } : {}),
      ...(c.startedOn !== undefined ? { started_on: c.startedOn } : {}),
      ...(c.active !== undefined ? { active: c.active } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('programme_id', '=', programmeId)
    .where('user_id', '=', workerId)
    .returningAll()
    .executeTakeFirst());
  if (!row) throw new WorkerError('worker_not_found');
  return row;
}

export interface Skill {
  skill: string;
  level: SkillLevel;
}

export interface AvailabilitySlot {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** minutes since local midnight (Europe/Amsterdam) */
  startMinute: number;
  endMinute: number;
}

export interface WorkerProfile {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  contract: WorkerContract;
  weeklyCapMinutes: number | null;
  homeBuurtId: string | null;
  homeBuurtName: string | null;
  coachId: string | null;
  coachName: string | null;
  startedOn: string;
  active: boolean;
  skills: Skill[];
  availability: AvailabilitySlot[];
}

/** Workers with their skills and availability, by name. */
export async function listWorkers(db: Executor, programmeId: string, filter: { activeOnly?: boolean; skill?: string; workerId?: string } = {}): Promise<WorkerProfile[]> {
  const rows = await db
    .selectFrom('workers as w')
    .innerJoin('users as u', 'u.id', 'w.user_id')
    .leftJoin('buurten as b', 'b.id', 'w.home_buurt_id')
    .leftJoin('users as c', 'c.id', 'w.coach_id')
    .select([
      'w.user_id', 'u.display_name', 'u.email', 'u.phone', 'w.contract', 'w.weekly_cap_minutes', 'w.home_buurt_id', 'b.name as buurt_name',
      'w.coach_id', 'c.display_name as coach_name', 'w.started_on', 'w.active',
    ])
    .where('w.programme_id', '=', programmeId)
    .$if(filter.activeOnly === true, (q) => q.where('w.active', '=', true))
    .$if(filter.workerId !== undefined, (q) => q.where('w.user_id', '=', filter.workerId!))
    .$if(filter.skill !== undefined, (q) => q.where((eb) => eb.exists(
      eb.selectFrom('worker_skills as s').select('s.skill').whereRef('s.worker_id', '=', 'w.user_id').where('s.skill', '=', filter.skill!))))
    .orderBy('u.display_name')
    .orderBy('w.user_id')
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.user_id);
  const [skills, slots] = await Promise.all([
    db.selectFrom('worker_skills').select(['worker_id', 'skill', 'level']).where('worker_id', 'in', ids).orderBy('skill').execute(),
    db.selectFrom('worker_availability').select(['worker_id', 'weekday', 'start_minute', 'end_minute']).where('worker_id', 'in', ids).orderBy('weekday').orderBy('start_minute').execute(),
  ]);
  return rows.map((r) => ({
    id: r.user_id,
    displayName: r.display_name,
    email: r.email,
    phone: r.phone,
    contract: r.contract,
    weeklyCapMinutes: r.weekly_cap_minutes,
    homeBuurtId: r.home_buurt_id,
    homeBuurtName: r.buurt_name,
    coachId: r.coach_id,
    coachName: r.coach_name,
    startedOn: r.started_on,
    active: r.active,
    skills: skills.filter((s) => s.worker_id === r.user_id).map((s) => ({ skill: s.skill, level: s.level })),
    availability: slots.filter((s) => s.worker_id === r.user_id).map((s) => ({ weekday: s.weekday, startMinute: s.start_minute, endMinute: s.end_minute })),
  }));
}

export async function findWorker(db: Executor, programmeId: string, workerId: string): Promise<WorkerProfile | undefined> {
  return (await listWorkers(db, programmeId, { workerId }))[0];
}

async function assertWorker(db: Executor, programmeId: string, workerId: string): Promise<void> {
  const found = await db.selectFrom('workers').select('user_id').where('programme_id', '=', programmeId).where('user_id', '=', workerId).executeTakeFirst();
  if (!found) throw new WorkerError('worker_not_found');
}

/** Replaces a worker's skills. */
export async function setSkills(tx: Tx, programmeId: string, workerId: string, skills: readonly Skill[]): Promise<void> {
  await assertWorker(tx, programmeId, workerId);
  await tx.deleteFrom('worker_skills').where('programme_id', '=', programmeId).where('worker_id', '=', workerId).execute();
  if (skills.length > 0) {
    await mapped(tx.insertInto('worker_skills').values(skills.map((s) => ({ programme_id: programmeId, worker_id: workerId, skill: s.skill, level: s.level }))).execute());
  }
}

/** Replaces a worker's weekly availability; overlapping slots on one day are refused. */
export async function setAvailability(tx: Tx, programmeId: string, workerId: string, slots: readonly AvailabilitySlot[]): Promise<void> {
  await assertWorker(tx, programmeId, workerId);
  await tx.deleteFrom('worker_availability').where('programme_id', '=', programmeId).where('worker_id', '=', workerId).execute();
  if (slots.length > 0) {
    await mapped(tx.insertInto('worker_availability').values(slots.map((s) => ({
      programme_id: programmeId, worker_id: workerId, weekday: s.weekday, start_minute: s.startMinute, end_minute: s.endMinute,
    }))).execute());
  }
}

export interface Absence {
  id: string;
  workerId: string;
  kind: AbsenceKind;
  startsAt: Date;
  endsAt: Date;
  note: string | null;
}

/** Records leave or sickness from `startsAt` until (not including) `endsAt`; an overlap with another absence is refused. */
export async function addAbsence(db: Executor, a: { programmeId: string; workerId: string; kind: AbsenceKind; startsAt: Date; endsAt: Date; note?: string | null; recordedBy?: string | null }): Promise<Absence> {
  if (!(a.startsAt < a.endsAt)) throw new WorkerError('range_invalid', 'an absence ends after it starts');
  const row = await mapped(db
    .insertInto('worker_absences')
    .values({
      programme_id: a.programmeId, worker_id: a.workerId, kind: a.kind, during: sql<string>`tstzrange(${a.startsAt}, ${a.endsAt}, '[)')`,
      note: a.note ?? null, recorded_by: a.recordedBy ?? null,
    })
    .returning(['id', 'worker_id', 'kind', 'note', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at')])
    .executeTakeFirstOrThrow());
  return { id: row.id, workerId: row.worker_id, kind: row.kind, startsAt: row.starts_at, endsAt: row.ends_at, note: row.note };
}

export async function removeAbsence(db: Executor, programmeId: string, absenceId: string): Promise<boolean> {
  const r = await db.deleteFrom('worker_absences').where('programme_id', '=', programmeId).where('id', '=', absenceId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Absences of a worker (or of every worker, without `workerId`) that overlap [from, until). */
export async function listAbsences(db: Executor, f: { programmeId: string; workerId?: string; from: Date; until: Date }): Promise<Absence[]> {
  const rows = await db
    .selectFrom('worker_absences')
    .select(['id', 'worker_id', 'kind', 'note', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at')])
    .where('programme_id', '=', f.programmeId)
    .$if(f.workerId !== undefined, (q) => q.where('worker_id', '=', f.workerId!))
    .where(sql<boolean>`during && tstzrange(${f.from}, ${f.until}, '[)')`)
    .orderBy(sql`lower(during)`)
    .execute();
  return rows.map((r) => ({ id: r.id, workerId: r.worker_id, kind: r.kind, startsAt: r.starts_at, endsAt: r.ends_at, note: r.note }));
}

export interface WeeklyLoad {
  workerId: string;
  /** Monday 'YYYY-MM-DD' of the ISO week in Amsterdam */
  weekStart: string;
  assignedMinutes: number;
  weeklyCapMinutes: number | null;
}

/**
 * Minutes assigned to each worker in the ISO week (Europe/Amsterdam) that holds `date`, counted
 * the way the database's cap trigger counts them (the part of each active assignment inside the week).
 */
export async function weeklyLoad(db: Executor, programmeId: string, date: string): Promise<WeeklyLoad[]> {
  const r = await sql<{ worker_id: string; week_start: string; minutes: number; weekly_cap_minutes: number | null }>`
    with week as (
      select date_trunc('week', ${date}::date)::date as week_start,
        tstzrange(date_trunc('week', ${date}::date)::timestamp at time zone 'Europe/Amsterdam',
                  (date_trunc('week', ${date}::date) + interval '7 days')::timestamp at time zone 'Europe/Amsterdam', '[)') as during
    )
    select w.user_id as worker_id, week.week_start, w.weekly_cap_minutes,
      coalesce(round(sum(extract(epoch from upper(a.during * week.during) - lower(a.during * week.during)) / 60)), 0)::int as minutes
    from workers w
    cross join week
    left join booking_assignments a on a.worker_id = w.user_id and a.released_at is null and a.during && week.during
    where w.programme_id = ${programmeId}
    group by w.user_id, week.week_start, w.weekly_cap_minutes
    order by w.user_id`.execute(db);
  return r.rows.map((x) => ({ workerId: x.worker_id, weekStart: x.week_start, assignedMinutes: x.minutes, weeklyCapMinutes: x.weekly_cap_minutes }));
}
