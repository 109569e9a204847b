/**
 * Dates and times of bookings as people read them, in Amsterdam time: "dinsdag 3 maart, 10:00–13:00".
 * Used by the server (to check a chosen day) and by the pages (to show one).
 */
import { TIME_ZONE, type Locale } from '@buurtservice/shared';
import type { Booking } from '$lib/api/bookings';

function intlLocale(locale: Locale): string {
  return locale === 'nl' ? 'nl-NL' : 'en-GB';
}

const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The wall clock in Amsterdam at an instant: date 'YYYY-MM-DD' and time 'HH:MM'. */
export function amsterdamClock(instant: string | Date): { date: string; time: string } {
  const parts = partsFormatter.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** Minutes Amsterdam is ahead of UTC at an instant (60 in winter, 120 in summer). */
function offsetMinutes(epochMs: number): number {
  const { date, time } = amsterdamClock(new Date(epochMs));
  const wall = Date.parse(`${date}T${time}:00Z`);
  return Math.round((wall - Math.floor(epochMs / 60_000) * 60_000) / 60_000);
}

/**
 * A wall-clock time in Amsterdam as an ISO 8601 instant with its offset, e.g. ('2027-03-02',
 * '10:00') → '2027-03-02T10:00:00+01:00'. Daylight saving time is taken into account.
 */
export function amsterdamInstant(date: string, time: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let offset = offsetMinutes(wall - offsetMinutes(wall) * 60_000);
  // Near a change of the clock the first guess can be an hour off: check once more.
  offset = offsetMinutes(wall - offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${date}T${time}:00${sign}${hh}:${mm}`;
}

/** A calendar day 'YYYY-MM-DD' plus `days`. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "dinsdag 3 maart" (with the year when it is not this year's). */
export function formatWeekday(isoDate: string, locale: Locale, today: string): string {
  const sameYear = isoDate.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat(intlLocale(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** "10:00" in Amsterdam. */
export function formatTime(instant: string | Date): string {
  return amsterdamClock(instant).time;
}

/** An instant as "dinsdag 3 maart, 10:00". */
export function formatMoment(instant: string, locale: Locale, today: string): string {
  const { date, time } = amsterdamClock(instant);
  return `${formatWeekday(date, locale, today)}, ${time}`;
}

/** When a job is, in one line: "dinsdag 3 maart, 10:00–13:00", or the week it is planned in. */
export function formatWhen(
  booking: Pick<Booking, 'startsAt' | 'windowStart' | 'windowEnd' | 'durationMinutes'>,
  locale: Locale,
  today: string,
  between: (from: string, until: string) => string,
): string {
  if (booking.startsAt) {
    const start = amsterdamClock(booking.startsAt);
    const end = formatTime(new Date(Date.parse(booking.startsAt) + booking.durationMinutes * 60_000));
    return `${formatWeekday(start.date, locale, today)}, ${start.time}–${end}`;
  }
  if (booking.windowStart && booking.windowEnd) {
    return between(formatWeekday(booking.windowStart.slice(0, 10), locale, today), formatWeekday(booking.windowEnd.slice(0, 10), locale, today));
  }
  return '';
}
