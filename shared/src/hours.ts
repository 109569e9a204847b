import type { ProgrammeSettings } from './settings.js';

/**
 * The hour rules (issue 5), written down once: how the time a worker logs on a job becomes the
 * minutes the customer pays. Pure; the database (`time_entries`) stores the outcome and keeps the
 * rule that a worker never logs overlapping time, the API and the phone use the same functions.
 *
 *  1. Worked minutes: end − start − break, in whole minutes (seconds left over are dropped: a
 *     check-out at 11:07:40 after a check-in at 10:00:00 is 67 minutes).
 *  2. Billable minutes: rounded UP to the next multiple of `hoursRoundingMinutes` (15: 67 → 75;
 *     an exact multiple stays), then at least `minimumMinutesPerVisit` (0: no minimum).
 *  3. Time ranges are half-open [start, end): a job ending at 12:00 and the next starting at 12:00
 *     do not overlap.
 */

export interface TimeRange {
  startsAt: Date;
  endsAt: Date;
}

export interface TimeEntryTimes extends TimeRange {
  breakMinutes: number;
}

/** Longest span one entry may cover: a longer one is a forgotten check-out, not a day's work. */
export const MAX_ENTRY_SPAN_MINUTES = 24 * 60;

/** How far ahead of the server's clock a phone's time may be: clocks differ a little, hours are not logged in advance. */
export const MAX_FUTURE_MINUTES = 5;

export type TimeEntryInvalidReason =
  | 'time_invalid'
  | 'end_not_after_start'
  | 'span_too_long'
  | 'break_invalid'
  | 'break_too_long'
  | 'in_future';

/** An entry the hour rules refuse; the API answers `time_entry_invalid` with the reason. */
export class TimeEntryInvalidError extends Error {
  readonly code = 'time_entry_invalid';
  constructor(readonly reason: TimeEntryInvalidReason, message: string = reason) {
    super(message);
  }
}

const MINUTE = 60_000;

/** The minutes worked: end − start − break, whole minutes; throws TimeEntryInvalidError. */
export function workedMinutes(entry: TimeEntryTimes): number {
  const start = entry.startsAt.getTime();
  const end = entry.endsAt.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new TimeEntryInvalidError('time_invalid', 'start or end is not a valid time');
  if (end <= start) throw new TimeEntryInvalidError('end_not_after_start', 'the end must be after the start');
  const span = Math.floor((end - start) / MINUTE);
  if (span > MAX_ENTRY_SPAN_MINUTES) throw new TimeEntryInvalidError('span_too_long', `an entry covers at most ${MAX_ENTRY_SPAN_MINUTES} minutes`);
  const pause = entry.breakMinutes;
  if (!Number.isInteger(pause) || pause < 0) throw new TimeEntryInvalidError('break_invalid', 'the break is a whole number of minutes, 0 or more');
  if (pause >= span) throw new TimeEntryInvalidError('break_too_long', 'the break must be shorter than the time between start and end');
  return span - pause;
}

/** Refuses a time more than MAX_FUTURE_MINUTES after `now` (reason `in_future`): a check-in or the end of an entry. */
export function notInFuture(at: Date, now: Date): void {
  if (at.getTime() > now.getTime() + MAX_FUTURE_MINUTES * MINUTE) {
    throw new TimeEntryInvalidError('in_future', `a time may be at most ${MAX_FUTURE_MINUTES} minutes ahead`);
  }
}

export type HourRules = Pick<ProgrammeSettings, 'hoursRoundingMinutes' | 'minimumMinutesPerVisit'>;

function checkRules(rules: HourRules): void {
  if (!Number.isInteger(rules.hoursRoundingMinutes) || rules.hoursRoundingMinutes < 1) throw new RangeError('hoursRoundingMinutes must be a whole number of minutes, 1 or more');
  if (!Number.isInteger(rules.minimumMinutesPerVisit) || rules.minimumMinutesPerVisit < 0) throw new RangeError('minimumMinutesPerVisit must be a whole number of minutes, 0 or more');
}

/** `minutes` rounded up to the next multiple of `step` (an exact multiple stays). */
export function roundUpToStep(minutes: number, step: number): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError('minutes must be a whole number, 0 or more');
  if (!Number.isInteger(step) || step < 1) throw new RangeError('step must be a whole number, 1 or more');
  return Math.ceil(minutes / step) * step;
}

/**
 * The minutes the customer pays for one worker's visit: raw minutes rounded up to the programme's
 * step, then at least the minimum per visit. (A minimum that is not a multiple of the step is
 * taken as it is: with step 15 and minimum 50, 10 minutes bill 50.)
 */
export function billableMinutes(rawMinutes: number, rules: HourRules): number {
  checkRules(rules);
  return Math.max(roundUpToStep(rawMinutes, rules.hoursRoundingMinutes), rules.minimumMinutesPerVisit);
}

/**
 * The part of an entry's billable minutes beyond a benefit worker's weekly cap: the worker's other
 * billable minutes in the entry's ISO week come first, this entry fills what is left of the cap and
 * the rest is over (a dispatcher must confirm it). `capMinutes` null (no benefit): never over.
 */
export function minutesOverCap(entryMinutes: number, otherMinutesInWeek: number, capMinutes: number | null): number {
  if (capMinutes === null) return 0;
  return Math.min(entryMinutes, Math.max(0, otherMinutesInWeek + entryMinutes - capMinutes));
}

/** Whether two half-open ranges [start, end) share any time. */
export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/**
 * The first two of one worker's entries that overlap (earliest start first), or null when none
 * do. O(n log n): sorted by start, each entry is compared with the one that reaches furthest so far.
 */
export function findOverlap<T extends TimeRange>(entries: readonly T[]): [T, T] | null {
  const sorted = [...entries].sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime() || x.endsAt.getTime() - y.endsAt.getTime());
  let furthest: T | undefined;
  for (const entry of sorted) {
    if (furthest && overlaps(furthest, entry)) return [furthest, entry];
    if (!furthest || entry.endsAt.getTime() > furthest.endsAt.getTime()) furthest = entry;
  }
  return null;
}
