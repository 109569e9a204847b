import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billableMinutes, findOverlap, MAX_ENTRY_SPAN_MINUTES, MAX_FUTURE_MINUTES, minutesOverCap, notInFuture, overlaps, roundUpToStep,
  TimeEntryInvalidError, workedMinutes, type TimeRange,
} from './hours.js';
import { DEFAULT_SETTINGS } from './settings.js';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const raw = fc.integer({ min: 0, max: 24 * 60 });
const step = fc.integer({ min: 1, max: 120 });
const minimum = fc.integer({ min: 0, max: 240 });

describe('workedMinutes', () => {
  it('is end − start − break in whole minutes, leftover seconds dropped', () => {
    expect(workedMinutes({ startsAt: at('2027-03-01T10:00:00+01:00'), endsAt: at('2027-03-01T11:07:00+01:00'), breakMinutes: 0 })).toBe(67);
    expect(workedMinutes({ startsAt: at('2027-03-01T10:00:00+01:00'), endsAt: at('2027-03-01T11:07:59+01:00'), breakMinutes: 0 })).toBe(67);
    expect(workedMinutes({ startsAt: at('2027-03-01T09:00:00+01:00'), endsAt: at('2027-03-01T13:00:00+01:00'), breakMinutes: 30 })).toBe(210);
  });

  it('counts real elapsed time over a clock change (Amsterdam, 28 March 2027: 02:00 → 03:00)', () => {
    expect(workedMinutes({ startsAt: at('2027-03-28T01:30:00+01:00'), endsAt: at('2027-03-28T03:30:00+02:00'), breakMinutes: 0 })).toBe(60);
  });

  it('refuses an end not after the start, a bad break, a break as long as the span, and a span over a day', () => {
    const refuse = (e: Parameters<typeof workedMinutes>[0], reason: string) => {
      let caught: unknown;
      try { workedMinutes(e); } catch (err) { caught = err; }
      expect(caught).toBeInstanceOf(TimeEntryInvalidError);
      expect(caught).toMatchObject({ code: 'time_entry_invalid', reason });
    };
    const s = at('2027-03-01T10:00:00Z');
    refuse({ startsAt: s, endsAt: s, breakMinutes: 0 }, 'end_not_after_start');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() - MINUTE), breakMinutes: 0 }, 'end_not_after_start');
    refuse({ startsAt: new Date(Number.NaN), endsAt: s, breakMinutes: 0 }, 'time_invalid');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() + 60 * MINUTE), breakMinutes: -1 }, 'break_invalid');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() + 60 * MINUTE), breakMinutes: 1.5 }, 'break_invalid');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() + 60 * MINUTE), breakMinutes: 60 }, 'break_too_long');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() + 30_000), breakMinutes: 0 }, 'break_too_long');
    refuse({ startsAt: s, endsAt: new Date(s.getTime() + (MAX_ENTRY_SPAN_MINUTES + 1) * MINUTE), breakMinutes: 0 }, 'span_too_long');
    expect(workedMinutes({ startsAt: s, endsAt: new Date(s.getTime() + 60 * MINUTE), breakMinutes: 59 })).toBe(1);
  });

  it('is always 1 or more and never more than the span', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_ENTRY_SPAN_MINUTES }), fc.integer({ min: 0, max: 59 }), fc.nat({ max: 2000 }), (span, seconds, pause) => {
      const startsAt = at('2027-03-01T10:00:00Z');
      const endsAt = new Date(startsAt.getTime() + span * MINUTE + seconds * 1000);
      if (pause >= span) {
        expect(() => workedMinutes({ startsAt, endsAt, breakMinutes: pause })).toThrow(TimeEntryInvalidError);
      } else {
        expect(workedMinutes({ startsAt, endsAt, breakMinutes: pause })).toBe(span - pause);
      }
    }));
  });
});

describe('billableMinutes', () => {
  it('follows the defaults: up to the next quarter hour, no minimum', () => {
    expect(DEFAULT_SETTINGS.hoursRoundingMinutes).toBe(15);
    expect(DEFAULT_SETTINGS.minimumMinutesPerVisit).toBe(0);
    expect(billableMinutes(67, DEFAULT_SETTINGS)).toBe(75); // 1:07 → 1:15
    expect(billableMinutes(60, DEFAULT_SETTINGS)).toBe(60);
    expect(billableMinutes(61, DEFAULT_SETTINGS)).toBe(75);
    expect(billableMinutes(1, DEFAULT_SETTINGS)).toBe(15);
    expect(billableMinutes(0, DEFAULT_SETTINGS)).toBe(0);
  });

  it('applies a minimum per visit after rounding', () => {
    const rules = { hoursRoundingMinutes: 15, minimumMinutesPerVisit: 60 };
    expect(billableMinutes(20, rules)).toBe(60);
    expect(billableMinutes(67, rules)).toBe(75);
    expect(billableMinutes(10, { hoursRoundingMinutes: 15, minimumMinutesPerVisit: 50 })).toBe(50);
  });

  it('refuses settings and minutes that are not whole and non-negative', () => {
    expect(() => billableMinutes(10, { hoursRoundingMinutes: 0, minimumMinutesPerVisit: 0 })).toThrow(RangeError);
    expect(() => billableMinutes(10, { hoursRoundingMinutes: 15, minimumMinutesPerVisit: -1 })).toThrow(RangeError);
    expect(() => billableMinutes(-1, DEFAULT_SETTINGS)).toThrow(RangeError);
    expect(() => billableMinutes(1.5, DEFAULT_SETTINGS)).toThrow(RangeError);
  });

  it('never decreases the minutes and is a whole number', () => {
    fc.assert(fc.property(raw, step, minimum, (m, s, min) => {
      const b = billableMinutes(m, { hoursRoundingMinutes: s, minimumMinutesPerVisit: min });
      expect(Number.isInteger(b)).toBe(true);
      expect(b).toBeGreaterThanOrEqual(m);
    }));
  });

  it('is a multiple of the step less than one step above the raw minutes, unless the minimum applies', () => {
    fc.assert(fc.property(raw, step, minimum, (m, s, min) => {
      const b = billableMinutes(m, { hoursRoundingMinutes: s, minimumMinutesPerVisit: min });
      if (b === min && min > roundUpToStep(m, s)) return; // the minimum applies
      expect(b % s).toBe(0);
      expect(b - m).toBeLessThan(s);
    }));
  });

  it('respects the minimum', () => {
    fc.assert(fc.property(raw, step, minimum, (m, s, min) => {
      expect(billableMinutes(m, { hoursRoundingMinutes: s, minimumMinutesPerVisit: min })).toBeGreaterThanOrEqual(min);
    }));
  });

  it('is idempotent: rounding a rounded value changes nothing', () => {
    fc.assert(fc.property(raw, step, (m, s) => {
      const once = roundUpToStep(m, s);
      expect(roundUpToStep(once, s)).toBe(once);
    }));
    // with a minimum that is a multiple of the step (as a programme sets it), the whole rule too
    fc.assert(fc.property(raw, step, fc.integer({ min: 0, max: 16 }), (m, s, k) => {
      const rules = { hoursRoundingMinutes: s, minimumMinutesPerVisit: k * s };
      const once = billableMinutes(m, rules);
      expect(billableMinutes(once, rules)).toBe(once);
    }));
  });

  it('is monotone: more minutes worked never bill fewer', () => {
    fc.assert(fc.property(raw, raw, step, minimum, (x, y, s, min) => {
      const rules = { hoursRoundingMinutes: s, minimumMinutesPerVisit: min };
      const [lo, hi] = x <= y ? [x, y] : [y, x];
      expect(billableMinutes(lo, rules)).toBeLessThanOrEqual(billableMinutes(hi, rules));
    }));
  });
});

describe('overlaps and findOverlap', () => {
  const r = (from: string, until: string): TimeRange => ({ startsAt: at(`2027-03-01T${from}:00Z`), endsAt: at(`2027-03-01T${until}:00Z`) });

  it('treats ranges as half-open', () => {
    expect(overlaps(r('09:00', '12:00'), r('12:00', '13:00'))).toBe(false);
    expect(overlaps(r('09:00', '12:00'), r('11:59', '13:00'))).toBe(true);
    expect(overlaps(r('09:00', '12:00'), r('10:00', '11:00'))).toBe(true);
    expect(overlaps(r('10:00', '11:00'), r('09:00', '12:00'))).toBe(true);
    expect(overlaps(r('13:00', '14:00'), r('09:00', '12:00'))).toBe(false);
  });

  it('finds an overlapping pair, or null', () => {
    expect(findOverlap([])).toBeNull();
    expect(findOverlap([r('13:00', '14:00'), r('09:00', '12:00'), r('12:00', '13:00')])).toBeNull();
    const long = r('08:00', '17:00');
    const inside = r('15:00', '15:30');
    expect(findOverlap([r('12:00', '13:00'), inside, long])).toEqual([long, r('12:00', '13:00')]);
    expect(findOverlap([long, inside])).not.toBeNull();
  });

  it('agrees with comparing every pair', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 60 }))
      .map(([start, length]): TimeRange => ({ startsAt: new Date(start * MINUTE), endsAt: new Date((start + length) * MINUTE) }));
    fc.assert(fc.property(fc.array(range, { maxLength: 12 }), (ranges) => {
      const anyPair = ranges.some((a, i) => ranges.some((b, j) => i < j && overlaps(a, b)));
      const found = findOverlap(ranges);
      expect(found !== null).toBe(anyPair);
      if (found) expect(overlaps(found[0], found[1])).toBe(true);
    }));
  });
});

describe('notInFuture', () => {
  it('lets a time up to 5 minutes ahead of the clock through and refuses a later one with in_future', () => {
    const now = at('2027-03-01T10:00:00Z');
    expect(MAX_FUTURE_MINUTES).toBe(5);
    expect(() => notInFuture(at('2027-03-01T09:00:00Z'), now)).not.toThrow();
    expect(() => notInFuture(at('2027-03-01T10:05:00Z'), now)).not.toThrow();
    let caught: unknown;
    try { notInFuture(at('2027-03-01T10:05:01Z'), now); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(TimeEntryInvalidError);
    expect(caught).toMatchObject({ code: 'time_entry_invalid', reason: 'in_future' });
  });
});

describe('minutesOverCap', () => {
  it('is the part of the entry beyond the cap once the week\'s other minutes are counted', () => {
    expect(minutesOverCap(120, 0, 600)).toBe(0);
    expect(minutesOverCap(120, 540, 600)).toBe(60);
    expect(minutesOverCap(120, 600, 600)).toBe(120);
    expect(minutesOverCap(120, 900, 600)).toBe(120);
    expect(minutesOverCap(120, 5000, null)).toBe(0);
  });

  it('is between 0 and the entry, and entries over the cap together are exactly the week over the cap', () => {
    const minutes = fc.integer({ min: 0, max: 600 });
    fc.assert(fc.property(fc.array(minutes, { maxLength: 10 }), fc.integer({ min: 15, max: 3600 }), (entries, cap) => {
      let before = 0;
      let over = 0;
      for (const m of entries) {
        const o = minutesOverCap(m, before, cap);
        expect(o).toBeGreaterThanOrEqual(0);
        expect(o).toBeLessThanOrEqual(m);
        before += m;
        over += o;
      }
      expect(over).toBe(Math.max(0, before - cap));
    }));
  });
});
