import * as rruleModule from 'rrule';
import { TIME_ZONE } from './dates.js';

/**
 * Recurring jobs: "every Tuesday at 10:00", kept at the same LOCAL wall-clock time in
 * Europe/Amsterdam across the clock changes (10:00 before and after the last Sunday of March is
 * 10:00 both times; the UTC instant moves by an hour).
 *
 * How: the rule is an RFC 5545 RRULE with `DTSTART;TZID=Europe/Amsterdam:…`. To expand it we do not
 * use rrule's own `tzid` handling (it depends on the host's zone and is easy to get wrong); we
 * expand on "floating" local date-times (the local wall-clock written into a Date as if it were
 * UTC, which is how rrule computes anyway), then turn each local date-time into an instant with
 * `amsterdamInstant`.
 *
 * The two hours that are not one-to-one, chosen like Temporal's `disambiguation: 'compatible'`:
 *  - the hour that does not exist (last Sunday of March, 02:00–02:59 local): moved forward by the
 *    length of the gap, 02:30 becomes 03:30 CEST (the same instant as 01:30 CET);
 *  - the hour that happens twice (last Sunday of October, 02:00–02:59 local): the first of the
 *    two, still in summer time (02:30 CEST = 00:30 UTC).
 */

// rrule 2.8 ships CommonJS as `main` (which Node's ESM loader only offers as the default export)
// and ES modules as `module` (which bundlers such as Vite take, without a default export). This
// finds the classes in both.
// (A function, so a bundler does not warn about reading `default` from an ES namespace that has none.)
type RRuleModule = typeof rruleModule;
function rruleExports(namespace: object): RRuleModule {
  const commonJs = (namespace as { default?: RRuleModule }).default;
  return commonJs?.RRule ? commonJs : (namespace as RRuleModule);
}
const { RRule } = rruleExports(rruleModule);

export const SERIES_FREQUENCIES = ['weekly', 'every_2_weeks', 'every_4_weeks'] as const;
export type SeriesFrequency = (typeof SERIES_FREQUENCIES)[number];

/** Weeks between two occurrences. */
export const FREQUENCY_WEEKS: Record<SeriesFrequency, number> = { weekly: 1, every_2_weeks: 2, every_4_weeks: 4 };

/** A wall-clock time in Amsterdam, 'YYYY-MM-DDTHH:mm' (no offset). */
export type LocalDateTime = string;

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** The Amsterdam wall-clock at an instant, written into a Date as if it were UTC ("floating"), to the second. */
function floatingOf(instant: Date): Date {
  const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partsFormatter.formatToParts(instant)) if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

/** Amsterdam's offset from UTC at an instant, in milliseconds (3600000 in winter, 7200000 in summer). */
function offsetAt(instant: Date): number {
  const whole = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return floatingOf(whole).getTime() - whole.getTime();
}

function parseLocal(local: LocalDateTime): Date {
  const m = LOCAL_RE.exec(local);
  if (!m) throw new RangeError(`not a local date-time 'YYYY-MM-DDTHH:mm': ${local}`);
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const floating = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (floating.getUTCMonth() !== mo - 1 || floating.getUTCDate() !== d || h > 23 || mi > 59) throw new RangeError(`no such date-time: ${local}`);
  return floating;
}

function formatLocal(floating: Date): LocalDateTime {
  return floating.toISOString().slice(0, 16);
}

/** The Amsterdam wall-clock time at an instant, 'YYYY-MM-DDTHH:mm'. */
export function amsterdamLocal(instant: Date): LocalDateTime {
  return formatLocal(floatingOf(instant));
}

/** The instant of a floating local date-time; see the top of this file for the two ambiguous hours. */
function instantOfFloating(floating: Date): Date {
  const t = floating.getTime();
  // The offsets a day either side: equal on most days, different on the day of a change (Amsterdam
  // changes at most once a day).
  const before = offsetAt(new Date(t - DAY));
  const after = offsetAt(new Date(t + DAY));
  const fits = (offset: number) => floatingOf(new Date(t - offset)).getTime() === t;
  const candidates = [...new Set([before, after])].map((offset) => t - offset).filter((c) => fits(t - c));
  // Doubled hour: both fit, take the earlier instant. Gap: neither fits, keep the offset before the
  // gap, which lands the wall-clock as far after the gap as it was into it.
  if (candidates.length === 0) return new Date(t - before);
  return new Date(Math.min(...candidates));
}

/** The instant of an Amsterdam wall-clock time 'YYYY-MM-DDTHH:mm' (02:30 on the day summer time starts gives 03:30 CEST; in October the first 02:30). */
export function amsterdamInstant(local: LocalDateTime): Date {
  return instantOfFloating(parseLocal(local));
}

/** The date that follows 'YYYY-MM-DD'. */
function nextDate(date: string): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date 'YYYY-MM-DD': ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY).toISOString().slice(0, 10);
}

export interface SeriesRuleParts {
  frequency: SeriesFrequency;
  /** the first occurrence, local wall-clock */
  firstLocal: LocalDateTime;
  /** the last local date an occurrence may fall on (included), or open-ended */
  until: string | null;
}

/**
 * The RFC 5545 text of a series:
 * `DTSTART;TZID=Europe/Amsterdam:20270322T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20270601T215959Z`.
 * `until` is a local date (included); RFC 5545 asks for UNTIL in UTC when DTSTART has a TZID, so it
 * is the last second of that local day as a UTC time.
 */
export function seriesRule(frequency: SeriesFrequency, firstLocal: LocalDateTime, until?: string | null): string {
  const interval = FREQUENCY_WEEKS[frequency];
  if (interval === undefined) throw new RangeError(`unknown frequency ${String(frequency)}`);
  const dtstart = parseLocal(firstLocal);
  const start = RRule.optionsToString({ dtstart, tzid: TIME_ZONE });
  const untilInstant = until ? new Date(amsterdamInstant(`${nextDate(until)}T00:00`).getTime() - 1000) : null;
  if (untilInstant && untilInstant.getTime() < instantOfFloating(dtstart).getTime()) throw new RangeError('until lies before the first occurrence');
  // Without tzid rrule writes UNTIL in UTC with a Z, as the RFC wants.
  const rule = RRule.optionsToString({ freq: RRule.WEEKLY, interval, ...(untilInstant ? { until: untilInstant } : {}) });
  return `${start}\n${rule}`;
}

/** Reads a rule written by `seriesRule` back into its parts. */
export function parseSeriesRule(rule: string): SeriesRuleParts {
  const options = RRule.parseString(rule);
  if (options.freq !== RRule.WEEKLY) throw new RangeError('a series repeats weekly');
  if (options.tzid !== undefined && options.tzid !== null && options.tzid !== TIME_ZONE) throw new RangeError(`a series is in ${TIME_ZONE}`);
  const frequency = SERIES_FREQUENCIES.find((f) => FREQUENCY_WEEKS[f] === (options.interval ?? 1));
  if (!frequency) throw new RangeError(`no frequency every ${String(options.interval)} weeks`);
  if (!options.dtstart) throw new RangeError('a series rule needs a DTSTART');
  // rrule reads DTSTART;TZID=… as the local wall-clock in a UTC Date (floating), and UNTIL…Z as the real instant.
  return {
    frequency,
    firstLocal: formatLocal(options.dtstart),
    until: options.until ? amsterdamLocal(options.until).slice(0, 10) : null,
  };
}

/**
 * The instants of the occurrences that start in [from, until), in order. `series` is a rule text
 * (`seriesRule`) or its parts. Every occurrence has the first one's local wall-clock time.
 */
export function occurrences(series: string | SeriesRuleParts, from: Date, until: Date): Date[] {
  const parts = typeof series === 'string' ? parseSeriesRule(series) : series;
  if (until.getTime() <= from.getTime()) return [];
  const dtstart = parseLocal(parts.firstLocal);
  const lastFloating = parts.until ? new Date(parseLocal(`${nextDate(parts.until)}T00:00`).getTime() - 1000) : null;
  const floatingRule = new RRule({
    freq: RRule.WEEKLY, interval: FREQUENCY_WEEKS[parts.frequency], dtstart, ...(lastFloating ? { until: lastFloating } : {}),
  });
  // The floating window a day wider on each side than the instants: any offset fits inside.
  const found = floatingRule.between(new Date(floatingOf(from).getTime() - DAY), new Date(floatingOf(until).getTime() + DAY), true);
  return found.map(instantOfFloating).filter((at) => at.getTime() >= from.getTime() && at.getTime() < until.getTime());
}

/** Whole local calendar days from one instant's Amsterdam date to another's. */
export function localDaysBetween(a: Date, b: Date): number {
  const day = (d: Date) => Math.floor(floatingOf(d).getTime() / DAY);
  return day(b) - day(a);
}

/** Minutes since local midnight of an instant in Amsterdam (10:00 → 600). */
export function amsterdamMinuteOfDay(instant: Date): number {
  const f = floatingOf(instant);
  return f.getUTCHours() * 60 + f.getUTCMinutes();
}
