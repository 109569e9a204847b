import { sql } from 'kysely';
import { planning, type BookingState } from '@buurtservice/shared';
import type { Executor } from '../database.js';

/**
 * What the planner (shared/src/planning) needs, loaded in a few set-based queries run side by side:
 * the suggestions for one job and the auto-plan of a week both score in memory afterwards.
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

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** The workers of a programme as the planner sees them (six queries, side by side). */
export async function planningWorkers(db: Executor, w: WorkerWindow): Promise<planning.PlanWorker[]> {
  const households = (w.customers ?? []).flatMap((c) => (c.householdId ? [c.householdId] : []));
  const organisations = (w.customers ?? []).flatMap((c) => (c.organisationId ? [c.organisationId] : []));
  const customerFilter = w.customers === undefined
    ? sql<boolean>`true`
    : sql<boolean>`(b.household_id = any(${households}::uuid[]) or b.organisation_id = any(${organisations}::uuid[]))`;
  const [workers, skills, slots, absences, assignments, month, history] = await Promise.all([
    db.selectFrom('workers as w')
      .innerJoin('users as u', 'u.id', 'w.user_id')
      .select(['w.user_id', 'u.display_name', 'w.active', 'w.contract', 'w.weekly_cap_minutes', 'w.home_buurt_id'])
      .where('w.programme_id', '=', w.programmeId)
      .$if(w.activeOnly !== false, (q) => q.where('w.active', '=', true))
      .orderBy('u.display_name')
      .orderBy('w.user_id')
      .execute(),
    db.selectFrom('worker_skills').select(['worker_id', 'skill', 'level']).where('programme_id', '=', w.programmeId).execute(),
    db.selectFrom('worker_availability').select(['worker_id', 'weekday', 'start_minute', 'end_minute']).where('programme_id', '=', w.programmeId)
      .orderBy('worker_id').orderBy('weekday').orderBy('start_minute').execute(),
    db.selectFrom('worker_absences')
      .select(['worker_id', 'kind', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at')])
      .where('programme_id', '=', w.programmeId)
      .where(sql<boolean>`during && tstzrange(${w.from}, ${w.until}, '[)')`)
      .execute(),
    assignmentsBetween(db, w.programmeId, w.from, w.until),
    sql<{ worker_id: string; minutes: number }>`
      with m as (
        select tstzrange((${`${w.month}-01`}::date)::timestamp at time zone 'Europe/Amsterdam',
                         ((${`${w.month}-01`}::date) + interval '1 month')::timestamp at time zone 'Europe/Amsterdam', '[)') as during
      )
      select a.worker_id, round(sum(extract(epoch from upper(a.during * m.during) - lower(a.during * m.during)) / 60))::int as minutes
      from booking_assignments a cross join m
      where a.programme_id = ${w.programmeId} and a.released_at is null and a.during && m.during
      group by a.worker_id`.execute(db),
    // Worked for the customer before: an assignment that was kept and has begun.
    sql<{ worker_id: string; household_id: string | null; organisation_id: string | null }>`
      select distinct a.worker_id, b.household_id, b.organisation_id
      from booking_assignments a join bookings b on b.id = a.booking_id
      where a.programme_id = ${w.programmeId} and a.released_at is null and lower(a.during) < now() and ${customerFilter}`.execute(db),
  ]);
  const skillsBy = groupBy(skills, (r) => r.worker_id);
  const slotsBy = groupBy(slots, (r) => r.worker_id);
  const absencesBy = groupBy(absences, (r) => r.worker_id);
  const assignmentsBy = groupBy(assignments, (r) => r.workerId);
  const monthBy = new Map(month.rows.map((r) => [r.worker_id, r.minutes]));
  const historyBy = groupBy(history.rows, (r) => r.worker_id);
  return workers.map((r) => ({
    id: r.user_id,
    displayName: r.display_name,
    active: r.active,
    contract: r.contract,
    weeklyCapMinutes: r.weekly_cap_minutes,
    homeBuurtId: r.home_buurt_id,
    skills: Object.fromEntries((skillsBy.get(r.user_id) ?? []).map((s) => [s.skill, s.level])),
    availability: (slotsBy.get(r.user_id) ?? []).map((s) => ({ weekday: s.weekday, startMinute: s.start_minute, endMinute: s.end_minute })),
    absences: (absencesBy.get(r.user_id) ?? []).map((a) => ({ kind: a.kind, start: a.starts_at.getTime(), end: a.ends_at.getTime() })),
    assignments: (assignmentsBy.get(r.user_id) ?? []).map((a) => ({ bookingId: a.bookingId, start: a.startsAt.getTime(), end: a.endsAt.getTime() })),
    monthMinutes: monthBy.get(r.user_id) ?? 0,
    customers: new Set((historyBy.get(r.user_id) ?? []).map((h) => planning.customerKey({ householdId: h.household_id, organisationId: h.organisation_id }))),
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
}

export interface PlanningJob extends planning.PlanJob {
  state: BookingState;
  householdId: string | null;
  organisationId: string | null;
}

async function jobs(db: Executor, programmeId: string, where: ReturnType<typeof sql<boolean>>): Promise<PlanningJob[]> {
  const rows = (await sql<JobRow>`
    select b.id, b.state, b.household_id, b.organisation_id, s.required_skill, b.starts_at, b.window_start::text as window_start,
      b.window_end::text as window_end, b.duration_minutes, b.workers_needed,
      case b.place when 'home' then h.buurt_id when 'organisation_location' then l.buurt_id end as buurt_id
    from bookings b
    join services s on s.id = b.service_id
    left join households h on h.id = b.household_id
    left join organisation_locations l on l.id = b.location_id
    where b.programme_id = ${programmeId} and ${where}
    order by coalesce(b.starts_at, b.window_start::timestamp at time zone 'Europe/Amsterdam'), b.created_at, b.id`.execute(db)).rows;
  if (rows.length === 0) return [];
  const assigned = await db
    .selectFrom('booking_assignments')
    .select(['booking_id', 'worker_id', 'leads', sql<Date>`lower(during)`.as('starts_at')])
    .where('booking_id', 'in', rows.map((r) => r.id))
    .where('released_at', 'is', null)
    .orderBy('assigned_at')
    .execute();
  const assignedBy = groupBy(assigned, (a) => a.booking_id);
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
    assigned: (assignedBy.get(r.id) ?? []).map((a) => ({ workerId: a.worker_id, leads: a.leads, startsAt: a.starts_at.getTime() })),
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
