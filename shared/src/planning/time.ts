import { TIME_ZONE } from '../dates.js';

/**
 * Local wall-clock time in Europe/Amsterdam on the planner's hot path. Amsterdam's offset from UTC
 * is a whole number of hours and changes only on a whole UTC hour, so it is looked up once per UTC
 * hour (Intl is slow) and kept; everything else is arithmetic on the shifted instant.
 */

const HOUR = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const offsetFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const offsets = new Map<number, number>();

/** Amsterdam's offset from UTC at an instant, in milliseconds (3 600 000 in winter, 7 200 000 in summer). */
export function amsterdamOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const parts = offsetFormatter.formatToParts(new Date(hour * HOUR));
    const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    offset = local - hour * HOUR;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

export interface LocalTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday */
  weekday: number;
  /** minutes since local midnight */
  minute: number;
  /** the local day as a day number (days since 1970-01-01 of the wall calendar) */
  day: number;
}

/** The local day, weekday and minute of the day in Amsterdam at an instant. */
export function localTime(ms: number): LocalTime {
  const shifted = ms + amsterdamOffset(ms);
  const day = Math.floor(shifted / DAY_MS);
  const minute = Math.floor((shifted - day * DAY_MS) / MINUTE_MS);
  // 1970-01-01 was a Thursday (ISO 4)
  const weekday = ((day + 3) % 7 + 7) % 7 + 1;
  return { weekday, minute, day };
}

/** The local date 'YYYY-MM-DD' in Amsterdam at an instant. */
export function localDate(ms: number): string {
  return dayToDate(localTime(ms).day);
}

/** Day number (days since 1970-01-01) of a date 'YYYY-MM-DD'. */
export function dateToDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant of a local wall-clock time in Amsterdam (for a time skipped by the clock change, the instant after it). */
export function localInstant(day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  const first = wall - amsterdamOffset(wall - amsterdamOffset(wall));
  return wall - amsterdamOffset(first);
}

/** Monday of the ISO week (Amsterdam) that holds a local day, as a day number. */
export function weekStartDay(day: number): number {
  return day - (((day + 3) % 7) + 7) % 7;
}

/**
 * Minutes of [start, end) in each Amsterdam ISO week, keyed by the week's Monday (a day number):
 * the way the database's cap trigger counts a job over the Sunday-to-Monday midnight.
 */
export function minutesPerWeek(start: number, end: number): [number, number][] {
  const first = weekStartDay(localTime(start).day);
  const [, firstEnd] = weekBounds(first);
  // nearly every job lies inside one week
  if (end <= firstEnd) return [[first, Math.round((end - start) / MINUTE_MS)]];
  const out: [number, number][] = [];
  for (let week = first; ; week += 7) {
    const [weekBegin, weekEnd] = weekBounds(week);
    if (weekBegin >= end) break;
    const from = Math.max(start, weekBegin);
    const until = Math.min(end, weekEnd);
    if (until > from) out.push([week, Math.round((until - from) / MINUTE_MS)]);
  }
  return out;
}

const bounds = new Map<number, [number, number]>();

/** The instants [Monday 00:00, next Monday 00:00) of an ISO week in Amsterdam, by its Monday's day number. */
export function weekBounds(week: number): [number, number] {
  let b = bounds.get(week);
  if (!b) {
    b = [localInstant(week, 0), localInstant(week + 7, 0)];
    if (bounds.size > 10_000) bounds.clear();
    bounds.set(week, b);
  }
  return b;
}
