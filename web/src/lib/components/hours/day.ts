/**
 * The worker's day as the phone shows it: what the server knows, with what still waits on the
 * phone laid over it (a check-in or check-out made offline shows at once, marked "waiting").
 * Pure; tested beside it.
 */
import { amsterdamDate } from '@buurtservice/shared';
import type { QueuedItem } from './queue';
import type { TimeEntry, WorkerJob } from './types';

/** An entry as the worker sees it: stored by the server, or still waiting on the phone. */
export interface ShownEntry {
  id: string;
  startsAt: string;
  endsAt: string;
  breakMinutes: number;
  /** What the customer pays (stored) or the minutes worked (waiting: the server rounds them). */
  minutes: number;
  waiting: boolean;
}

export interface ShownCheckIn {
  id: string;
  startedAt: string;
  waiting: boolean;
}

export interface JobView {
  job: WorkerJob;
  checkIn: ShownCheckIn | null;
  entries: ShownEntry[];
  /** A check-in, check-out or entry of this job still waits on the phone. */
  waiting: boolean;
}

function shownEntry(entry: TimeEntry): ShownEntry {
  return { id: entry.id, startsAt: entry.startsAt, endsAt: entry.endsAt, breakMinutes: entry.breakMinutes, minutes: entry.billableMinutes, waiting: false };
}

function rawMinutes(startsAt: string, endsAt: string, breakMinutes: number): number {
  return Math.max(0, Math.floor((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000) - breakMinutes);
}

/** One job with the phone's waiting items for it laid over the server's answer. */
export function jobView(job: WorkerJob, pending: readonly QueuedItem[]): JobView {
  const mine = pending.filter((item) => item.bookingId === job.bookingId);
  const closedOnPhone = new Set(mine.flatMap((item) => (item.kind === 'time_entry' && item.checkInId ? [item.checkInId] : [])));
  const stored = new Set(job.entries.map((e) => e.id));

  const entries = job.entries.map(shownEntry);
  for (const item of mine) {
    if (item.kind !== 'time_entry' || stored.has(item.id)) continue;
    entries.push({ id: item.id, startsAt: item.startsAt, endsAt: item.endsAt, breakMinutes: item.breakMinutes, minutes: rawMinutes(item.startsAt, item.endsAt, item.breakMinutes), waiting: true });
  }
  entries.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  // The latest check-in on the phone wins over the server's (it was made after the page loaded).
  const phoneCheckIn = mine.filter((item) => item.kind === 'check_in').at(-1);
  let checkIn: ShownCheckIn | null = null;
  if (phoneCheckIn && !closedOnPhone.has(phoneCheckIn.id) && job.checkIn?.id !== phoneCheckIn.id) {
    checkIn = { id: phoneCheckIn.id, startedAt: phoneCheckIn.startedAt, waiting: true };
  } else if (job.checkIn && job.checkIn.closedAt === null && !closedOnPhone.has(job.checkIn.id)) {
    checkIn = { id: job.checkIn.id, startedAt: job.checkIn.startedAt, waiting: false };
  }
  return { job, checkIn, entries, waiting: mine.length > 0 };
}

export interface DaySections {
  /** Jobs of earlier days that still need hours from this worker. */
  open: JobView[];
  today: JobView[];
  /** Later days, each with its jobs, earliest first. */
  coming: { day: string; jobs: JobView[] }[];
}

/** The day of a job in Amsterdam. */
export function jobDay(job: Pick<WorkerJob, 'startsAt'>): string {
  return amsterdamDate(new Date(job.startsAt));
}

/**
 * The page's sections. An earlier job stays in view while hours can still be logged and this
 * worker has none yet (or is still checked in): that is what "nog in te vullen" means.
 */
export function daySections(views: readonly JobView[], today: string): DaySections {
  const sorted = [...views].sort((a, b) => Date.parse(a.job.startsAt) - Date.parse(b.job.startsAt));
  const sections: DaySections = { open: [], today: [], coming: [] };
  for (const view of sorted) {
    const day = jobDay(view.job);
    if (day < today) {
      if (view.job.canLog && (view.entries.length === 0 || view.checkIn !== null)) sections.open.push(view);
    } else if (day === today) {
      sections.today.push(view);
    } else {
      const last = sections.coming.at(-1);
      if (last?.day === day) last.jobs.push(view);
      else sections.coming.push({ day, jobs: [view] });
    }
  }
  return sections;
}

/** A worker may check in this long before a job of tomorrow starts (a job just after midnight). */
export const CHECK_IN_AHEAD_MS = 2 * 3_600_000;

/**
 * The one big button of a job: check out while checked in; check in on the job's day (or just
 * before a job that starts after midnight); none for earlier days (hours are entered
 * afterwards) or when the hours are closed.
 */
export function mainAction(view: JobView, today: string, now: Date = new Date()): 'check_in' | 'check_out' | null {
  if (view.checkIn) return 'check_out';
  if (!view.job.canLog) return null;
  const day = jobDay(view.job);
  if (day === today || (day > today && Date.parse(view.job.startsAt) - now.getTime() <= CHECK_IN_AHEAD_MS)) return 'check_in';
  return null;
}
