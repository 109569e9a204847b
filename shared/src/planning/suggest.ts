import { absenceAt, assess, explain, WorkerLoad } from './score.js';
import { dateToDay, localDate, localInstant, localTime, MINUTE_MS, weekStartDay } from './time.js';
import type { PlanJob, PlanWorker, PlanningContext, Reason } from './types.js';

/** Where a flexible job may start: 08:00 to 17:00 local, on the quarter hour, ending by 17:00 when it can. */
export const DAY_START_MINUTE = 8 * 60;
export const DAY_END_MINUTE = 17 * 60;
export const START_STEP_MINUTES = 15;

/**
 * The candidate starts of a job, in time order: the fixed start (or the team's start once someone
 * is assigned), else every quarter hour from 08:00 on each day of its window (within `days` when
 * given) so that it ends by 17:00 (a job longer than the day starts at 08:00), none before `now`.
 */
export function startOptions(job: PlanJob, now: number, opts: { step?: number; days?: { from: string; until: string } } = {}): number[] {
  const pinned = job.assigned[0]?.startsAt;
  if (pinned !== undefined) return [pinned];
  if (job.startsAt !== null) return [job.startsAt];
  if (!job.window) return [];
  const step = opts.step ?? START_STEP_MINUTES;
  let first = dateToDay(job.window.start);
  let last = dateToDay(job.window.end);
  if (opts.days) {
    first = Math.max(first, dateToDay(opts.days.from));
    last = Math.min(last, dateToDay(opts.days.until) - 1);
  }
  const latest = Math.max(DAY_START_MINUTE, DAY_END_MINUTE - job.durationMinutes);
  const out: number[] = [];
  for (let day = first; day <= last; day++) {
    for (let minute = DAY_START_MINUTE; minute <= latest; minute += step) {
      const at = localInstant(day, minute);
      if (at >= now) out.push(at);
    }
  }
  return out;
}

/**
 * A good start for a flexible job: the candidate start at which the most workers are eligible and
 * within their usual hours (the earliest of equals). Null when no start is left in the window.
 */
export function chooseStart(job: PlanJob, loads: readonly WorkerLoad[], ctx: PlanningContext): number | null {
  const options = startOptions(job, ctx.now);
  const skilled = loads.filter((l) => l.worker.active && l.worker.skills[job.skill] !== undefined);
  const span = job.durationMinutes * MINUTE_MS;
  let best: number | null = null;
  let bestCount = -1;
  // The hot loop of a flexible job's suggestions (days × quarter hours × workers): the local time
  // is worked out once per start, and the checks run cheapest first.
  for (const start of options) {
    const end = start + span;
    const local = localTime(start);
    const m1 = local.minute + job.durationMinutes;
    const week = weekStartDay(local.day);
    let count = 0;
    for (const load of skilled) {
      const w = load.worker;
      if (!w.availability.some((s) => s.weekday === local.weekday && s.startMinute <= local.minute && s.endMinute >= m1)) continue;
      if (w.weeklyCapMinutes !== null && (load.weekMinutes.get(week) ?? 0) + job.durationMinutes > w.weeklyCapMinutes) continue;
      if (load.overlaps(start, end, job.id) || absenceAt(w, start, end)) continue;
      count++;
    }
    if (count > bestCount) {
      best = start;
      bestCount = count;
      if (count === skilled.length) break;
    }
  }
  return best;
}

export interface Suggestion {
  workerId: string;
  displayName: string;
  score: number;
  eligible: boolean;
  canLead: boolean;
  reasons: Reason[];
}

/**
 * The workers for one job, best first: eligible before ineligible, then by score, then by name.
 * Workers already on the job are left out. `startsAt` chooses the time of a flexible job; without
 * it a good start is chosen (`chooseStart`).
 */
export function suggest(job: PlanJob, workers: readonly PlanWorker[], ctx: PlanningContext & { startsAt?: number }): { startsAt: number | null; suggestions: Suggestion[] } {
  const assigned = new Set(job.assigned.map((a) => a.workerId));
  const loads = workers.filter((w) => !assigned.has(w.id)).map((w) => new WorkerLoad(w));
  const start = job.assigned[0]?.startsAt ?? job.startsAt ?? ctx.startsAt ?? chooseStart(job, loads, ctx);
  if (start === null) return { startsAt: null, suggestions: [] };
  const end = start + job.durationMinutes * MINUTE_MS;
  const suggestions = loads.map((load) => {
    const a = assess(job, start, end, load, ctx);
    return {
      workerId: load.worker.id, displayName: load.worker.displayName, score: a.score, eligible: a.eligible, canLead: a.canLead,
      reasons: explain(job, start, end, load, ctx),
    };
  });
  suggestions.sort((x, y) => Number(y.eligible) - Number(x.eligible) || y.score - x.score
    || (x.displayName < y.displayName ? -1 : x.displayName > y.displayName ? 1 : 0) || (x.workerId < y.workerId ? -1 : 1));
  return { startsAt: start, suggestions };
}

/** Whether a local date lies in a flexible job's window (for a chosen start). */
export function inWindow(job: PlanJob, start: number): boolean {
  if (!job.window) return true;
  const date = localDate(start);
  return date >= job.window.start && date <= job.window.end;
}
