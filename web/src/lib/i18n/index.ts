import { LOCALES, TIME_ZONE, type Locale } from '@buurtservice/shared';
import { en } from './en';
import { nl, type Dictionary } from './nl';

export type { Dictionary };

export const DEFAULT_LOCALE: Locale = 'nl';
export const LANG_COOKIE = 'lang';

const dictionaries: Record<Locale, Dictionary> = { nl, en };

export function dictionary(locale: Locale): Dictionary {
  return dictionaries[locale];
}

export function parseLocale(value: string | null | undefined): Locale | null {
  return value && (LOCALES as readonly string[]).includes(value) ? (value as Locale) : null;
}

function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

/** 45 → "45 minuten"; 90 → "1,5 uur"; 120 → "2 uur". */
export function formatDuration(minutes: number, locale: Locale): string {
  const t = dictionary(locale).duration;
  if (minutes < 60) return t.minutes(minutes);
  return t.hours(formatNumber(minutes / 60, locale));
}

/** Worker-minutes as a number of cheques (hours), e.g. 90 → "1,5". */
export function formatCheques(workerMinutes: number, locale: Locale): string {
  return formatNumber(workerMinutes / 60, locale);
}

/** Worker-minutes as hours, always in hours: 300 → "5 uur", 150 → "2,5 uur", 0 → "0 uur". */
export function formatHours(minutes: number, locale: Locale): string {
  return dictionary(locale).duration.hours(formatNumber(minutes / 60, locale));
}

/** A change of hours with its sign: 300 → "+5 uur", -60 → "−1 uur". */
export function formatHoursChange(minutes: number, locale: Locale): string {
  const sign = minutes > 0 ? '+' : minutes < 0 ? '−' : '';
  return `${sign}${formatHours(Math.abs(minutes), locale)}`;
}

function intlLocale(locale: Locale): string {
  return locale === 'nl' ? 'nl-NL' : 'en-GB';
}

/** A calendar day 'YYYY-MM-DD' as "31 december 2027" (no time zone: the day is the day). */
export function formatDay(isoDate: string, locale: Locale): string {
  const instant = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(instant.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(instant);
}

/** The day of an instant in Amsterdam, e.g. "3 december 2026". */
export function formatDate(instant: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE }).format(new Date(instant));
}

/** An instant in Amsterdam with its time, e.g. "3 december 2026 om 14:05". */
export function formatDateTime(instant: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(instant));
}
