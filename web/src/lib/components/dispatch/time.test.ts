import { describe, expect, it } from 'vitest';
import { addDays, amsterdamInstant, clockOf, dayOf, minuteOfDay, mondayOf, weekdayOf } from './time';

describe('amsterdamInstant', () => {
  it('gives the wall-clock time in Amsterdam with its offset, winter and summer', () => {
    expect(amsterdamInstant('2026-12-08', 600)).toBe('2026-12-08T10:00:00+01:00');
    expect(amsterdamInstant('2027-06-15', 8 * 60 + 30)).toBe('2027-06-15T08:30:00+02:00');
    expect(new Date(amsterdamInstant('2027-06-15', 510)).toISOString()).toBe('2027-06-15T06:30:00.000Z');
  });

  it('handles the days the clock changes', () => {
    // 28 March 2027: 02:00 becomes 03:00. Before, +01:00; after, +02:00.
    expect(amsterdamInstant('2027-03-28', 60)).toBe('2027-03-28T01:00:00+01:00');
    expect(amsterdamInstant('2027-03-28', 4 * 60)).toBe('2027-03-28T04:00:00+02:00');
    // A time that does not exist moves on with the clock: 02:30 is 03:30 summer time.
    expect(new Date(amsterdamInstant('2027-03-28', 150)).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 31 October 2027: 03:00 becomes 02:00 again.
    expect(amsterdamInstant('2027-10-31', 12 * 60)).toBe('2027-10-31T12:00:00+01:00');
  });

  it('round-trips through the clock helpers', () => {
    const instant = amsterdamInstant('2026-12-31', 23 * 60 + 45);
    expect(dayOf(instant)).toBe('2026-12-31');
    expect(minuteOfDay(instant)).toBe(23 * 60 + 45);
    expect(clockOf(instant, 'nl')).toBe('23:45');
  });
});

describe('calendar days', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });

  it('finds the ISO weekday and the Monday of the week', () => {
    expect(weekdayOf('2026-12-06')).toBe(7);
    expect(weekdayOf('2026-12-07')).toBe(1);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-12-08')).toBe('2026-12-07');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });
});
