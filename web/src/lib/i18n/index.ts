import { LOCALES, type Locale } from '@buurtservice/shared';
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
