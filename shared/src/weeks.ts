import { dateToDay, dayToDate } from './planning/time.js';

/**
 * ISO weeks 'YYYY-Www' (Monday to Sunday; the week's Thursday decides its year), as the
 * dispatcher's week names them (docs/api-hours.md). Pure calendar arithmetic on dates
 * 'YYYY-MM-DD': the week runs from Monday 00:00 in Amsterdam, which the database works out.
 */

const WEEK = /^(\d{4})-W(\d{2})$/;

/** ISO weekday of a day number, 1 = Monday (1970-01-01 was a Thursday). */
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7 + 1;

/** The ISO week 'YYYY-Www' of a date 'YYYY-MM-DD'. */
export function isoWeekOf(date: string): string {
  const thursday = dateToDay(date) + 4 - weekdayOf(dateToDay(date));
  const year = dayToDate(thursday).slice(0, 4);
  const week = Math.floor((thursday - dateToDay(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The dates of an ISO week: its Monday and the Monday after (exclusive), or null when it is not a
 * week ('2027-W53', 'W00' and anything not shaped 'YYYY-Www').
 */
export function isoWeekRange(week: string): { from: string; until: string } | null {
  const match = WEEK.exec(week);
  if (!match) return null;
  const jan4 = dateToDay(`${match[1]}-01-04`);
  const monday = jan4 + 1 - weekdayOf(jan4) + (Number(match[2]) - 1) * 7;
  if (isoWeekOf(dayToDate(monday)) !== week) return null;
  return { from: dayToDate(monday), until: dayToDate(monday + 7) };
}

/** The week number of 'YYYY-Www': 9 for '2027-W09'. */
export function weekNumber(week: string): number {
  return Number(week.slice(6));
}

/** The ISO week `weeks` before (negative) or after a week. */
export function shiftWeek(week: string, weeks: number): string {
  const range = isoWeekRange(week);
  if (!range) throw new RangeError(`${week} is not an ISO week`);
  return isoWeekOf(dayToDate(dateToDay(range.from) + weeks * 7));
}
