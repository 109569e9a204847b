import { sql } from 'kysely';
import { planning, type BookingState } from '@buurtservice/shared';
import type { Executor } from '../database.js';

/**
 * What the planner (shared/src/planning) needs, loaded in one statement for the jobs and one for
 * the workers: the suggestions for one job and the auto-plan of a week both score in memory afterwards.
 *
 * The buurt criterion: the `buurten` table has names only, no borders, so no neighbours are
 * loaded and the planner knows "same buurt" or not.
 */

export interface WorkerWindow {
  programmeId: string;
  /** assignments and absences that overlap [from, until) are loaded; make it whole ISO weeks (the cap counts per week) */
  from: Date;
  until: Date;
  /** the local month 'YYYY-MM' whose hours count for fair shares */
  month: string;
  /** only these customers' history is needed ("worked for this customer before"); all when left out */
  customers?: readonly { householdId?: string | null; organisationId?: string | null }[];
  /** only active workers (default) */
  activeOnly?: boolean;
}

export interface ScheduledAssignment {
  workerId: string;
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
  leads: boolean;
}

/** Active assignments of every worker of the programme that overlap [from, until), in time order. */
export async function assignmentsBetween(db: Executor, programmeId: string, from: Date, until: Date): Promise<ScheduledAssignment[]> {
  const rows = await db
    .selectFrom('booking_assignments')
    .select(['worker_id', 'booking_id', 'leads', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at')])
    .where('programme_id', '=', programmeId)
    .where('released_at', 'is', null)
    .where(sql<boolean>`during && tstzrange(${from}, ${until}, '[)')`)
    .orderBy(sql`lower(during)`)
    .orderBy('worker_id')
    .execute();
  return rows.map((r) => ({ workerId: r.worker_id, bookingId: r.booking_id, startsAt: r.starts_at, endsAt: r.ends_at, leads: r.leads }));
}

/**
 * An instant as epoch milliseconds (what the planner compares), so JSON carries a plain number.
 * date_part works in double precision: several times cheaper than extract's numeric over thousands of rows.
 */
const epochMs = (instant: ReturnType<typeof sql>) => sql`floor(date_part('epoch', ${instant}) * 1000)::bigint`;

/** The lists of one kind, per worker id (a worker without any is left out). */
type PerWorker<T> = Record<string, T> | null;

interface WorkersDocument {
  /** [id, display name, active, contract, weekly cap, home buurt], by name */
  workers: [string, string, boolean, planning.WorkerContract, number | null, string | null][] | null;
  /** skill → level */
  skills: PerWorker<Record<string, planning.SkillLevel>>;
  /** [weekday, start minute, end minute] */
  availability: PerWorker<[number, number, number][]>;
  /** [kind, start ms, end ms] */
  absences: PerWorker<[planning.AbsenceKind, number, number][]>;
  /** [booking id, start ms, end ms], in time order */
  assignments: PerWorker<[string, number, number][]>;
  monthMinutes: PerWorker<number>;
  /** [household id, organisation id] */
  customers: PerWorker<[string | null, string | null][]>;
}

/**
 * The workers of a programme as the planner sees them, in one statement and one round trip: a
 * single JSON document with the workers and, per kind, each worker's list grouped in the database
 * (instants as epoch ms). One JSON parse replaces thousands of rows with timestamps to parse.
 *
 * Each part is an independent scalar subquery (one pass over its table, no joins to plan). The
 * month's minutes are summed in SQL; the assignments are listed in full for the window because the
 * planner counts the weekly cap from them (`WorkerLoad`).
 */
export async function planningWorkers(db: Executor, w: WorkerWindow): Promise<planning.PlanWorker[]> {
  const households = (w.customers ?? []).flatMap((c) => (c.householdId ? [c.householdId] : []));
  const organisations = (w.customers ?? []).flatMap((c) => (c.organisationId ? [c.organisationId] : []));
  const customerFilter = w.customers === undefined
    ? sql<boolean>`true`
    : sql<boolean>`(b.household_id = any(${households}::uuid[]) or b.organisation_id = any(${organisations}::uuid[]))`;
  const month = `${w.month}-01`;
  const p = w.programmeId;
  const { rows: [row] } = await sql<{ doc: WorkersDocument }>`
    with win as (
      select tstzrange(${w.from}, ${w.until}, '[)') as during,
        tstzrange((${month}::date)::timestamp at time zone 'Europe/Amsterdam',
                  ((${month}::date) + interval '1 month')::timestamp at time zone 'Europe/Amsterdam', '[)') as this_month
    )
    select json_build_object(
      'workers', (
        select json_agg(json_build_array(w.user_id, u.display_name, w.active, w.contract, w.weekly_cap_minutes, w.home_buurt_id) order by u.display_name, w.user_id)
        from workers w join users u on u.id = w.user_id
        where w.programme_id = ${p} and (w.active or ${w.activeOnly === false})),
      'skills', (select json_object_agg(worker_id, list) from (
        select worker_id, json_object_agg(skill, level order by skill) as list
        from worker_skills where programme_id = ${p}
        group by worker_id) g),
      'availability', (select json_object_agg(worker_id, list) from (
        select worker_id, json_agg(json_build_array(weekday, start_minute, end_minute) order by weekday, start_minute) as list
        from worker_availability where programme_id = ${p}
        group by worker_id) g),
      -- absences and active assignments that overlap the window
      'absences', (select json_object_agg(worker_id, list) from (
        select x.worker_id, json_agg(json_build_array(x.kind, ${epochMs(sql`lower(x.during)`)}, ${epochMs(sql`upper(x.during)`)}) order by lower(x.during)) as list
        from worker_absences x, win
        where x.programme_id = ${p} and x.during && win.during
        group by x.worker_id) g),
      'assignments', (select json_object_agg(worker_id, list) from (
        select a.worker_id, json_agg(json_build_array(a.booking_id, ${epochMs(sql`lower(a.during)`)}, ${epochMs(sql`upper(a.during)`)}) order by lower(a.during)) as list
        from booking_assignments a, win
        where a.programme_id = ${p} and a.released_at is null and a.during && win.during
        group by a.worker_id) g),
      -- minutes of active assignments inside the local month (fair shares)
      'monthMinutes', (select json_object_agg(worker_id, minutes) from (
        select a.worker_id, round((sum(date_part('epoch', upper(a.during * win.this_month) - lower(a.during * win.this_month))) / 60)::numeric)::int as minutes
        from booking_assignments a, win
        where a.programme_id = ${p} and a.released_at is null and a.during && win.this_month
        group by a.worker_id) g),
      -- worked for the customer before: an assignment that was kept and has begun
      'customers', (select json_object_agg(worker_id, list) from (
        select k.worker_id, json_agg(json_build_array(k.household_id, k.organisation_id)) as list
        from (
          select distinct a.worker_id, b.household_id, b.organisation_id
          from booking_assignments a join bookings b on b.id = a.booking_id
          where a.programme_id = ${p} and a.released_at is null and lower(a.during) < now() and ${customerFilter}) k
        group by k.worker_id) g)
    ) as doc`.execute(db);
  const d = row!.doc;
  return (d.workers ?? []).map(([id, displayName, active, contract, weeklyCapMinutes, homeBuurtId]) => ({
    id, displayName, active, contract, weeklyCapMinutes, homeBuurtId,
    skills: d.skills?.[id] ?? {},
    availability: (d.availability?.[id] ?? []).map(([weekday, startMinute, endMinute]) => ({ weekday, startMinute, endMinute })),
    absences: (d.absences?.[id] ?? []).map(([kind, start, end]) => ({ kind, start, end })),
    assignments: (d.assignments?.[id] ?? []).map(([bookingId, start, end]) => ({ bookingId, start, end })),
    monthMinutes: d.monthMinutes?.[id] ?? 0,
    customers: new Set((d.customers?.[id] ?? []).map(([householdId, organisationId]) => planning.customerKey({ householdId, organisationId }))),
  }));
}

interface JobRow {
  id: string;
  state: BookingState;
  household_id: string | null;
  organisation_id: string | null;
  required_skill: string;
  buurt_id: string | null;
  starts_at: Date | null;
  window_start: string | null;
  window_end: string | null;
  duration_minutes: number;
  workers_needed: number;
  /** [worker id, leads, start ms] */
  assigned: [string, boolean, number][];
}

export interface PlanningJob extends planning.PlanJob {
  state: BookingState;
  householdId: string | null;
  organisationId: string | null;
}

/** The jobs matching `where`, each with its active assignments (in the order they were made), in one statement. */
async function jobs(db: Executor, programmeId: string, where: ReturnType<typeof sql<boolean>>): Promise<PlanningJob[]> {
  const rows = (await sql<JobRow>`
    select b.id, b.state, b.household_id, b.organisation_id, s.required_skill, b.starts_at, b.window_start::text as window_start,
      b.window_end::text as window_end, b.duration_minutes, b.workers_needed,
      case b.place when 'home' then h.buurt_id when 'organisation_location' then l.buurt_id end as buurt_id,
      coalesce((
        select json_agg(json_build_array(a.worker_id, a.leads, ${epochMs(sql`lower(a.during)`)}) order by a.assigned_at)
        from booking_assignments a where a.booking_id = b.id and a.released_at is null), '[]') as assigned
    from bookings b
    join services s on s.id = b.service_id
    left join households h on h.id = b.household_id
    left join organisation_locations l on l.id = b.location_id
    where b.programme_id = ${programmeId} and ${where}
    order by coalesce(b.starts_at, b.window_start::timestamp at time zone 'Europe/Amsterdam'), b.created_at, b.id`.execute(db)).rows;
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    householdId: r.household_id,
    organisationId: r.organisation_id,
    skill: r.required_skill,
    customer: planning.customerKey({ householdId: r.household_id, organisationId: r.organisation_id }),
    buurtId: r.buurt_id,
    durationMinutes: r.duration_minutes,
    workersNeeded: r.workers_needed,
    startsAt: r.starts_at?.getTime() ?? null,
    window: r.window_start && r.window_end ? { start: r.window_start, end: r.window_end } : null,
    assigned: r.assigned.map(([workerId, leads, startsAt]) => ({ workerId, leads, startsAt })),
  }));
}

/** One booking as a job to plan, or undefined when the programme has no such booking. */
export async function planningJob(db: Executor, programmeId: string, bookingId: string): Promise<PlanningJob | undefined> {
  return (await jobs(db, programmeId, sql<boolean>`b.id = ${bookingId}`))[0];
}

/**
 * The jobs to plan in local days [from, until): ready to plan, with a fixed start inside them or a
 * window that overlaps them.
 */
export async function jobsToPlan(db: Executor, programmeId: string, from: string, until: string): Promise<PlanningJob[]> {
  return jobs(db, programmeId, sql<boolean>`b.state = 'ready_to_plan' and (
    (b.starts_at >= (${from}::date)::timestamp at time zone 'Europe/Amsterdam' and b.starts_at < (${until}::date)::timestamp at time zone 'Europe/Amsterdam')
    or (b.window_start < ${until}::date and b.window_end >= ${from}::date))`);
}
