/**
 * Reading hours the worker types afterwards (day, start, end, break) and the ids the phone gives
 * each check-in and entry. Pure; used by the page in the browser and by the form action on the
 * server (without JavaScript), so both say the same about the same input.
 */
import { amsterdamDate, notInFuture, TimeEntryInvalidError, workedMinutes, type TimeEntryInvalidReason } from '@buurtservice/shared';
import { amsterdamInstant } from '../booking/format';

/** The break choices of the forms, in minutes. */
export const BREAK_CHOICES: readonly number[] = [0, 15, 30, 45, 60, 90, 120];

export interface EntryInput {
  date: string;
  start: string;
  end: string;
  breakMinutes: string;
}

export type EntryField = 'date' | 'start' | 'end' | 'break';
export type EntryProblem = 'date' | 'start' | 'end' | 'endBeforeStart' | 'tooLong' | 'break' | 'breakTooLong' | 'inFuture';

export type ReadEntry =
  | { ok: true; startsAt: string; endsAt: string; breakMinutes: number; minutes: number }
  | { ok: false; errors: Partial<Record<EntryField, EntryProblem>> };

/** What the hour rules of `shared` refuse, as the field and the words the worker sees. */
const PROBLEMS: Record<TimeEntryInvalidReason, [EntryField, EntryProblem]> = {
  time_invalid: ['end', 'endBeforeStart'],
  end_not_after_start: ['end', 'endBeforeStart'],
  span_too_long: ['end', 'tooLong'],
  break_invalid: ['break', 'break'],
  break_too_long: ['break', 'breakTooLong'],
  in_future: ['end', 'inFuture'],
};

/** "8:30", "08:30" or "8.30" → "08:30"; null when it is no time of day. */
export function clockTime(value: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(value.trim());
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  return h < 24 && m < 60 ? `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}` : null;
}

function isoDay(value: string): string | null {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const parsed = new Date(`${v}T12:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === v ? v : null;
}

/**
 * The entry a worker typed: the day and the clock times in Amsterdam, the break in minutes.
 * The end is on the same day as the start; the hour rules of `shared` decide the rest.
 */
export function readEntry(input: EntryInput, now: Date = new Date()): ReadEntry {
  const errors: Partial<Record<EntryField, EntryProblem>> = {};
  const date = isoDay(input.date);
  const start = clockTime(input.start);
  const end = clockTime(input.end);
  const breakMinutes = /^\d{1,4}$/.test(input.breakMinutes.trim()) ? Number(input.breakMinutes.trim()) : input.breakMinutes.trim() === '' ? 0 : null;
  if (!date || date > amsterdamDate(now)) errors.date = 'date';
  if (!start) errors.start = 'start';
  if (!end) errors.end = 'end';
  if (breakMinutes === null) errors.break = 'break';
  if (Object.keys(errors).length > 0 || !date || !start || !end || breakMinutes === null) return { ok: false, errors };

  const startsAt = amsterdamInstant(date, start);
  const endsAt = amsterdamInstant(date, end);
  try {
    notInFuture(new Date(endsAt), now);
    const minutes = workedMinutes({ startsAt: new Date(startsAt), endsAt: new Date(endsAt), breakMinutes });
    return { ok: true, startsAt, endsAt, breakMinutes, minutes };
  } catch (cause) {
    if (!(cause instanceof TimeEntryInvalidError)) throw cause;
    const [field, problem] = PROBLEMS[cause.reason];
    return { ok: false, errors: { [field]: problem } };
  }
}

/**
 * The check-out of an open check-in: from the check-in to `now`, minus the break. Refused when
 * less than a minute has passed, or when the break is as long as the time worked.
 */
export function checkOutTimes(
  startedAt: string,
  breakMinutes: number,
  now: Date = new Date(),
): { ok: true; startsAt: string; endsAt: string; minutes: number } | { ok: false; problem: 'tooSoon' | 'breakTooLong' } {
  const endsAt = new Date(Math.max(now.getTime(), Date.parse(startedAt)));
  if (endsAt.getTime() - Date.parse(startedAt) < 60_000) return { ok: false, problem: 'tooSoon' };
  try {
    const minutes = workedMinutes({ startsAt: new Date(startedAt), endsAt, breakMinutes });
    return { ok: true, startsAt: startedAt, endsAt: endsAt.toISOString(), minutes };
  } catch {
    return { ok: false, problem: 'breakTooLong' };
  }
}

/** A random (version 4) id; also where `crypto.randomUUID` is missing (a page not served over https). */
export function newId(random: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof random.randomUUID === 'function') return random.randomUUID();
  const bytes = random.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
