/**
 * Calendar and clock helpers of the dispatcher's pages, in the programme's time zone
 * (Europe/Amsterdam). Pure: used by the pages on the server and in the browser.
 */
import { amsterdamDate, TIME_ZONE, type Locale } from '@buurtservice/shared';

function intlLocale(locale: Locale): string {
  return locale === 'nl' ? 'nl-NL' : 'en-GB';
}

/** 'YYYY-MM-DD' plus `days` (may be negative). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(isoDate: string): number {
  const day = new Date(`${isoDate}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the ISO week of a calendar day. */
export function mondayOf(isoDate: string): string {
  return addDays(isoDate, 1 - weekdayOf(isoDate));
}

/** The calendar day in Amsterdam of an instant. */
export function dayOf(instant: string): string {
  return amsterdamDate(new Date(instant));
}

/** "10:00": the clock time in Amsterdam of an instant. */
export function clockOf(instant: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TIME_ZONE }).format(new Date(instant));
}

/** "10:00–13:00" of a start and an end. */
export function clockRange(startsAt: string, endsAt: string, locale: Locale): string {
  return `${clockOf(startsAt, locale)}–${clockOf(endsAt, locale)}`;
}

/** Minutes since midnight as "08:30". */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Minutes since midnight in Amsterdam of an instant (for a time field). */
export function minuteOfDay(instant: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TIME_ZONE }).formatToParts(new Date(instant));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/** A calendar day with its weekday: "dinsdag 3 december 2026". */
export function longDay(isoDate: string, locale: Locale, withYear = true): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** A calendar day short: "di 3 dec". */
export function shortDay(isoDate: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** Name of an ISO weekday (1 = Monday): "maandag". */
export function weekdayName(weekday: number, locale: Locale): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** An instant as "3 dec 2026 10:00" in Amsterdam. */
export function dayAndClock(instant: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TIME_ZONE }).format(new Date(instant));
}

/** The offset of Amsterdam from UTC, in minutes, at an instant (60 in winter, 120 in summer). */
function offsetAt(utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(utcMillis / 60_000) * 60_000) / 60_000);
}

/**
 * The instant of a wall-clock time in Amsterdam, as ISO 8601 with its offset:
 * ('2026-12-03', 600) → '2026-12-03T10:00:00+01:00'. A time that does not exist (the hour skipped
 * in March) moves forward with the clock.
 */
export function amsterdamInstant(isoDate: string, minute: number): string {
  const [y, mo, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, 0, minute);
  let offset = offsetAt(wall - 60 * 60_000);
  if (offsetAt(wall - offset * 60_000) !== offset) offset = offsetAt(wall - offset * 60_000);
  const instant = new Date(wall - offset * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const localIso = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${localIso}${sign}${hhmm(abs)}`;
}

/** Short name of an ISO weekday (1 = Monday): "ma". */
export function weekdayShort(weekday: number, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}
