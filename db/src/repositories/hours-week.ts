import { sql } from 'kysely';
import type { Executor } from '../database.js';
import type { WorkerContract } from '../schema.js';

/**
 * The dispatcher's week (docs/api-hours.md, "Dispatcher's week"): per worker the minutes
 * scheduled, logged and confirmed in one ISO week (Europe/Amsterdam, Monday 00:00 to Monday 00:00:
 * 167 or 169 hours in the weeks of the clock changes), and the exceptions to act on. Two
 * statements, each one round trip, whatever the number of workers.
 *
 * Where a minute belongs:
 *  - scheduled: active assignments, the part of each inside the week (a job over the Sunday to
 *    Monday midnight counts in both weeks with its part in each, as the weekly cap does);
 *  - logged: the billable minutes of the entries that START in the week (billable minutes are
 *    rounded per entry and cannot be split);
 *  - confirmed: `booking_hours.confirmed_minutes`, in the week of the worker's first entry on that
 *    booking (a dispatcher may set minutes for a worker without entries: then the booking's first
 *    entry), so confirmed minutes sit beside the logged minutes they confirm.
 *
 * The exceptions take the clock as a parameter (`now`), so tests can move it:
 *  - missing_check_out: an open check-in, more than 1 hour after the worker's assignment ended;
 *  - over_cap: entries with over-cap minutes of a booking not yet confirmed (per booking and worker);
 *  - open_dispute: a disputed booking;
 *  - no_hours: an active assignment that ended more than 2 days ago, without any entry of that
 *    worker on that booking, the booking not cancelled, confirmed or settled; not while the worker
 *    is still checked in there (that is the missing check-out, one thing to act on, not two).
 * An exception belongs to the week its `startsAt` falls in: the worker's assignment (missing
 * check-out, no hours), the first over-cap entry, or the job (a dispute).
 */

export type WeekExceptionKind = 'missing_check_out' | 'over_cap' | 'open_dispute' | 'no_hours';

/** The order the page lists exceptions of the same moment in. */
export const EXCEPTION_KINDS: readonly WeekExceptionKind[] = ['missing_check_out', 'over_cap', 'open_dispute', 'no_hours'];

/** Hours after the assignment's end that an open check-in becomes a missing check-out. */
export const MISSING_CHECK_OUT_AFTER_HOURS = 1;
/** Days after a job's end that an assigned worker without an entry becomes an exception. */
export const NO_HOURS_AFTER_DAYS = 2;

export interface WorkerWeek {
  workerId: string;
  name: string;
  contract: WorkerContract;
  weeklyCapMinutes: number | null;
  scheduledMinutes: number;
  loggedMinutes: number;
  confirmedMinutes: number;
}

export interface WeekException {
  kind: WeekExceptionKind;
  bookingId: string;
  workerId: string | null;
  workerName: string | null;
  customerName: string;
  startsAt: Date;
  endsAt: Date;
  detail: {
    /** over_cap: the minutes beyond the weekly cap */
    minutes: number | null;
    /** open_dispute: the customer's reason */
    reason: string | null;
    /** missing_check_out: when the worker checked in; open_dispute: when the hours were disputed */
    since: Date | null;
  };
}

export interface WeekQuery {
  programmeId: string;
  /** the Monday of the ISO week, 'YYYY-MM-DD' */
  monday: string;
}

/** The week [Monday 00:00, next Monday 00:00) in Amsterdam, as the cap trigger counts it. */
const weekRange = (monday: string) => sql<string>`tstzrange(
  ${monday}::date::timestamp at time zone 'Europe/Amsterdam',
  (${monday}::date + 7)::timestamp at time zone 'Europe/Amsterdam', '[)')`;

interface WorkerWeekRecord {
  worker_id: string;
  name: string;
  contract: WorkerContract;
  weekly_cap_minutes: number | null;
  scheduled: number;
  logged: number;
  confirmed: number;
}

/**
 * Every active worker of the programme, and any inactive one with minutes in the week, by name.
 * The confirmed minutes start from the bookings with an entry in the week (an index search), not
 * from every settled booking ever.
 */
export async function workerWeeks(db: Executor, q: WeekQuery): Promise<WorkerWeek[]> {
  const { rows } = await sql<WorkerWeekRecord>`
    with week as (select ${weekRange(q.monday)} as during),
    scheduled as (
      select a.worker_id, round(sum(extract(epoch from upper(a.during * week.during) - lower(a.during * week.during))) / 60)::int as minutes
      from booking_assignments a cross join week
      where a.programme_id = ${q.programmeId} and a.released_at is null and a.during && week.during
      group by a.worker_id
    ),
    entries as (
      select e.booking_id, e.worker_id, e.billable_minutes
      from time_entries e cross join week
      where e.programme_id = ${q.programmeId} and e.during && week.during and lower(e.during) <@ week.during
    ),
    logged as (select worker_id, sum(billable_minutes)::int as minutes from entries group by worker_id),
    confirmed as (
      select h.worker_id, sum(h.confirmed_minutes)::int as minutes
      from booking_hours h
      join (select distinct booking_id from entries) b on b.booking_id = h.booking_id
      cross join week
      where h.programme_id = ${q.programmeId}
        and coalesce(
          (select min(lower(e.during)) from time_entries e where e.booking_id = h.booking_id and e.worker_id = h.worker_id),
          (select min(lower(e.during)) from time_entries e where e.booking_id = h.booking_id)) <@ week.during
      group by h.worker_id
    )
    select w.user_id as worker_id, u.display_name as name, w.contract, w.weekly_cap_minutes,
      coalesce(s.minutes, 0) as scheduled, coalesce(l.minutes, 0) as logged, coalesce(c.minutes, 0) as confirmed
    from workers w
    join users u on u.id = w.user_id
    left join scheduled s on s.worker_id = w.user_id
    left join logged l on l.worker_id = w.user_id
    left join confirmed c on c.worker_id = w.user_id
    where w.programme_id = ${q.programmeId}
      and (w.active or s.worker_id is not null or l.worker_id is not null or c.worker_id is not null)
    order by u.display_name, w.user_id`.execute(db);
  return rows.map((r) => ({
    workerId: r.worker_id, name: r.name, contract: r.contract, weeklyCapMinutes: r.weekly_cap_minutes,
    scheduledMinutes: r.scheduled, loggedMinutes: r.logged, confirmedMinutes: r.confirmed,
  }));
}

interface ExceptionRecord {
  kind: WeekExceptionKind;
  booking_id: string;
  worker_id: string | null;
  worker_name: string | null;
  customer_name: string;
  starts_at: Date;
  ends_at: Date;
  minutes: number | null;
  reason: string | null;
  since: Date | null;
}

// Hours are closed once confirmed or settled; a cancelled job has none to log.
const CLOSED_STATES = sql`('confirmed', 'settled', 'cancelled')`;

/** The week's exceptions at `now`, earliest first. */
export async function weekExceptions(db: Executor, q: WeekQuery & { now: Date }): Promise<WeekException[]> {
  const { rows } = await sql<ExceptionRecord>`
    with week as (select ${weekRange(q.monday)} as during),
    found as (
      select 'missing_check_out' as kind, c.booking_id, c.worker_id, lower(a.during) as starts_at, upper(a.during) as ends_at,
        null::int as minutes, null::text as reason, c.started_at as since
      from time_check_ins c
      join booking_assignments a on a.booking_id = c.booking_id and a.worker_id = c.worker_id and a.released_at is null
      cross join week
      where c.programme_id = ${q.programmeId} and c.closed_at is null
        and upper(a.during) + make_interval(hours => ${MISSING_CHECK_OUT_AFTER_HOURS}) < ${q.now}::timestamptz
        and lower(a.during) <@ week.during
      union all
      select 'over_cap', e.booking_id, e.worker_id, min(lower(e.during)), max(upper(e.during)),
        sum(e.over_cap_minutes)::int, null, null
      from time_entries e
      join bookings b on b.id = e.booking_id and b.state not in ${CLOSED_STATES}
      cross join week
      where e.programme_id = ${q.programmeId} and e.over_cap_minutes > 0 and e.during && week.during and lower(e.during) <@ week.during
      group by e.booking_id, e.worker_id
      union all
      select 'open_dispute', b.id, null, job.starts_at, job.ends_at, null, d.reason, d.at
      from bookings b
      cross join week
      cross join lateral (
        select coalesce(min(lower(a.during)), b.starts_at) as starts_at,
          coalesce(max(upper(a.during)), b.starts_at + make_interval(mins => b.duration_minutes)) as ends_at
        from booking_assignments a where a.booking_id = b.id and a.released_at is null
      ) job
      left join lateral (
        select ev.reason, ev.at from booking_events ev
        where ev.booking_id = b.id and ev.to_state = 'disputed' order by ev.id desc limit 1
      ) d on true
      where b.programme_id = ${q.programmeId} and b.state = 'disputed' and job.starts_at <@ week.during
      union all
      select 'no_hours', a.booking_id, a.worker_id, lower(a.during), upper(a.during), null, null, null
      from booking_assignments a
      join bookings b on b.id = a.booking_id and b.state not in ${CLOSED_STATES}
      cross join week
      where a.programme_id = ${q.programmeId} and a.released_at is null and a.during && week.during and lower(a.during) <@ week.during
        and upper(a.during) + make_interval(days => ${NO_HOURS_AFTER_DAYS}) < ${q.now}::timestamptz
        and not exists (select 1 from time_entries e where e.booking_id = a.booking_id and e.worker_id = a.worker_id)
        and not exists (select 1 from time_check_ins c where c.booking_id = a.booking_id and c.worker_id = a.worker_id and c.closed_at is null)
    )
    select f.kind, f.booking_id, f.worker_id, u.display_name as worker_name, coalesce(h.name, o.name) as customer_name,
      f.starts_at, f.ends_at, f.minutes, f.reason, f.since
    from found f
    join bookings b on b.id = f.booking_id
    left join households h on h.id = b.household_id
    left join organisations o on o.id = b.organisation_id
    left join users u on u.id = f.worker_id
    order by f.starts_at, array_position(${sql.val([...EXCEPTION_KINDS])}::text[], f.kind), u.display_name, f.booking_id`.execute(db);
  return rows.map((r) => ({
    kind: r.kind, bookingId: r.booking_id, workerId: r.worker_id, workerName: r.worker_name, customerName: r.customer_name,
    startsAt: r.starts_at, endsAt: r.ends_at, detail: { minutes: r.minutes, reason: r.reason, since: r.since },
  }));
}
