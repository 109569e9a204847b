import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amsterdamInstant, amsterdamLocal, amsterdamMinuteOfDay, FREQUENCY_WEEKS, localDaysBetween, occurrences, parseSeriesRule,
  SERIES_FREQUENCIES, seriesRule, type SeriesFrequency,
} from './recurrence.js';

const t = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('amsterdamInstant / amsterdamLocal', () => {
  it('converts winter and summer time', () => {
    expect(amsterdamInstant('2027-01-12T10:00').toISOString()).toBe('2027-01-12T09:00:00.000Z');
    expect(amsterdamInstant('2027-07-12T10:00').toISOString()).toBe('2027-07-12T08:00:00.000Z');
    expect(amsterdamLocal(t('2027-01-12T09:00:00Z'))).toBe('2027-01-12T10:00');
    expect(amsterdamLocal(t('2027-07-12T08:00:00Z'))).toBe('2027-07-12T10:00');
  });

  it('moves a time in the missing hour of the last Sunday of March 2027 forward by the gap', () => {
    // 28 March 2027: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    expect(amsterdamInstant('2027-03-28T01:59').toISOString()).toBe('2027-03-28T00:59:00.000Z');
    expect(amsterdamInstant('2027-03-28T02:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(amsterdamInstant('2027-03-28T02:30').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(amsterdamLocal(amsterdamInstant('2027-03-28T02:30'))).toBe('2027-03-28T03:30');
    expect(amsterdamInstant('2027-03-28T03:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
  });

  it('takes the first (summer-time) instant of the doubled hour of the last Sunday of October 2027', () => {
    // 31 October 2027: 03:00 CEST goes back to 02:00 CET (01:00 UTC); 02:30 happens at 00:30 and at 01:30 UTC.
    expect(amsterdamInstant('2027-10-31T02:30').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(amsterdamLocal(t('2027-10-31T00:30:00Z'))).toBe('2027-10-31T02:30');
    expect(amsterdamLocal(t('2027-10-31T01:30:00Z'))).toBe('2027-10-31T02:30');
    expect(amsterdamInstant('2027-10-31T03:00').toISOString()).toBe('2027-10-31T02:00:00.000Z');
    expect(amsterdamInstant('2027-10-31T01:59').toISOString()).toBe('2027-10-30T23:59:00.000Z');
  });

  it('refuses what is not a local date-time', () => {
    expect(() => amsterdamInstant('2027-02-30T10:00')).toThrow(RangeError);
    expect(() => amsterdamInstant('2027-02-10T24:00')).toThrow(RangeError);
    expect(() => amsterdamInstant('2027-02-10T10:00Z')).toThrow(RangeError);
  });

  it('round-trips every instant outside the doubled hour', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2100, 0, 1) / 60_000 }), (minute) => {
      const instant = new Date(minute * 60_000);
      const back = amsterdamInstant(amsterdamLocal(instant));
      // In the doubled hour the local time names two instants; the first one is chosen.
      if (back.getTime() !== instant.getTime()) expect(back.getTime()).toBe(instant.getTime() - 3_600_000);
      expect(amsterdamLocal(back)).toBe(amsterdamLocal(instant));
    }));
  });
});

describe('seriesRule', () => {
  it('writes RFC 5545 text with a local DTSTART in Amsterdam and a UTC UNTIL at the end of the local day', () => {
    expect(seriesRule('weekly', '2027-03-16T10:00')).toBe('DTSTART;TZID=Europe/Amsterdam:20270316T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1');
    expect(seriesRule('every_2_weeks', '2027-03-16T10:00', '2027-06-01')).toBe(
      'DTSTART;TZID=Europe/Amsterdam:20270316T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20270601T215959Z');
    expect(seriesRule('every_4_weeks', '2027-01-05T08:15', '2027-01-31')).toContain('INTERVAL=4;UNTIL=20270131T225959Z');
  });

  it('reads back what it wrote', () => {
    for (const frequency of SERIES_FREQUENCIES) {
      expect(parseSeriesRule(seriesRule(frequency, '2027-10-19T14:45', '2028-01-01'))).toEqual({ frequency, firstLocal: '2027-10-19T14:45', until: '2028-01-01' });
      expect(parseSeriesRule(seriesRule(frequency, '2027-10-19T14:45'))).toEqual({ frequency, firstLocal: '2027-10-19T14:45', until: null });
    }
  });

  it('refuses an end before the start', () => {
    expect(() => seriesRule('weekly', '2027-03-16T10:00', '2027-03-15')).toThrow(RangeError);
  });
});

describe('occurrences', () => {
  it('keeps 10:00 local across the last Sunday of March 2027: the UTC instant moves an hour earlier', () => {
    const rule = seriesRule('weekly', '2027-03-16T10:00');
    const found = occurrences(rule, t('2027-03-01T00:00:00Z'), t('2027-04-07T00:00:00Z'));
    expect(iso(found)).toEqual(['2027-03-16T09:00:00.000Z', '2027-03-23T09:00:00.000Z', '2027-03-30T08:00:00.000Z', '2027-04-06T08:00:00.000Z']);
    expect(found.map(amsterdamLocal)).toEqual(['2027-03-16T10:00', '2027-03-23T10:00', '2027-03-30T10:00', '2027-04-06T10:00']);
  });

  it('keeps 10:00 local across the last Sunday of October 2027: the UTC instant moves an hour later', () => {
    const found = occurrences(seriesRule('every_2_weeks', '2027-10-19T10:00'), t('2027-10-01T00:00:00Z'), t('2027-11-20T00:00:00Z'));
    expect(iso(found)).toEqual(['2027-10-19T08:00:00.000Z', '2027-11-02T09:00:00.000Z', '2027-11-16T09:00:00.000Z']);
  });

  it('a series on the Sunday of the change itself, at a time in the missing hour, starts after the gap that day only', () => {
    const found = occurrences(seriesRule('weekly', '2027-03-21T02:30'), t('2027-03-20T00:00:00Z'), t('2027-04-05T00:00:00Z'));
    expect(found.map(amsterdamLocal)).toEqual(['2027-03-21T02:30', '2027-03-28T03:30', '2027-04-04T02:30']);
  });

  it('stops at the until date (included) and is half-open [from, until)', () => {
    const rule = seriesRule('weekly', '2027-03-16T10:00', '2027-03-30');
    expect(iso(occurrences(rule, t('2027-01-01T00:00:00Z'), t('2028-01-01T00:00:00Z')))).toEqual(['2027-03-16T09:00:00.000Z', '2027-03-23T09:00:00.000Z', '2027-03-30T08:00:00.000Z']);
    expect(iso(occurrences(rule, t('2027-03-23T09:00:00Z'), t('2027-03-30T08:00:00Z')))).toEqual(['2027-03-23T09:00:00.000Z']);
    expect(occurrences(rule, t('2027-03-24T00:00:00Z'), t('2027-03-24T00:00:00Z'))).toEqual([]);
  });

  it('takes the parts as well as the text', () => {
    expect(iso(occurrences({ frequency: 'every_4_weeks', firstLocal: '2027-01-05T08:15', until: null }, t('2027-01-01T00:00:00Z'), t('2027-04-01T00:00:00Z'))))
      .toEqual(['2027-01-05T07:15:00.000Z', '2027-02-02T07:15:00.000Z', '2027-03-02T07:15:00.000Z', '2027-03-30T06:15:00.000Z']);
  });

  // Times in the missing hour are left out here: on the day of the change they move (tested above).
  const firstLocal = fc.record({
    day: fc.integer({ min: 0, max: 5 * 365 }),
    minute: fc.integer({ min: 0, max: 95 }).map((q) => q * 15).filter((m) => m < 120 || m >= 180),
  }).map(({ day, minute }) => {
    const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    return `${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  });

  it('every occurrence has the first one\'s local time of day and weekday, and they lie exactly 7, 14 or 28 local days apart', () => {
    fc.assert(fc.property(firstLocal, fc.constantFrom<SeriesFrequency>(...SERIES_FREQUENCIES), fc.integer({ min: 0, max: 400 }), (first, frequency, spanDays) => {
      const start = amsterdamInstant(first);
      // half a day past the last local day of the span: a clock change moves an instant by an hour only
      const found = occurrences(seriesRule(frequency, first), start, new Date(start.getTime() + spanDays * 86_400_000 + 12 * 3_600_000));
      expect(found[0]?.getTime()).toBe(start.getTime());
      const weekday = (d: Date) => new Date(`${amsterdamLocal(d).slice(0, 10)}T00:00:00Z`).getUTCDay();
      for (const [i, at] of found.entries()) {
        expect(amsterdamLocal(at).slice(11)).toBe(first.slice(11));
        expect(amsterdamMinuteOfDay(at)).toBe(amsterdamMinuteOfDay(start));
        expect(weekday(at)).toBe(weekday(start));
        if (i > 0) expect(localDaysBetween(found[i - 1]!, at)).toBe(7 * FREQUENCY_WEEKS[frequency]);
      }
      // none missing: as many as fit in the span
      expect(found.length).toBe(Math.floor(spanDays / (7 * FREQUENCY_WEEKS[frequency])) + 1);
    }), { numRuns: 300 });
  });

  it('gives the same occurrences however the window is cut', () => {
    fc.assert(fc.property(firstLocal, fc.constantFrom<SeriesFrequency>(...SERIES_FREQUENCIES), fc.integer({ min: 1, max: 200 }), (first, frequency, cutDays) => {
      const rule = seriesRule(frequency, first);
      const start = amsterdamInstant(first);
      const cut = new Date(start.getTime() + cutDays * 86_400_000 + 3_600_000 * 5);
      const end = new Date(start.getTime() + 300 * 86_400_000);
      expect(iso([...occurrences(rule, start, cut), ...occurrences(rule, cut, end)])).toEqual(iso(occurrences(rule, start, end)));
    }), { numRuns: 100 });
  });
});
