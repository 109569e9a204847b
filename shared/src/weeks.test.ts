import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWeekOf, isoWeekRange, shiftWeek, weekNumber } from './weeks.js';

describe('ISO weeks', () => {
  it('gives the week of a date: the Thursday decides the year', () => {
    expect(isoWeekOf('2027-03-01')).toBe('2027-W09');
    expect(isoWeekOf('2027-03-07')).toBe('2027-W09');
    expect(isoWeekOf('2027-03-08')).toBe('2027-W10');
    expect(isoWeekOf('2027-01-02')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
  });

  it('finds the Monday of a week and the Monday after, and refuses weeks that do not exist', () => {
    expect(isoWeekRange('2027-W09')).toEqual({ from: '2027-03-01', until: '2027-03-08' });
    expect(isoWeekRange('2026-W53')).toEqual({ from: '2026-12-28', until: '2027-01-04' });
    expect(isoWeekRange('2026-W01')).toEqual({ from: '2025-12-29', until: '2026-01-05' });
    for (const bad of ['2027-W53', '2027-W00', '2027-W9', '2027-09', '', 'week']) expect(isoWeekRange(bad), bad).toBeNull();
  });

  it('puts every date in the week whose Monday to Sunday holds it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60_000 }), (day) => {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const range = isoWeekRange(isoWeekOf(date));
      expect(range && range.from <= date && date < range.until).toBe(true);
      expect(new Date(`${range?.from}T00:00:00Z`).getUTCDay()).toBe(1);
    }));
  });

  it('steps from week to week over a year with 53 weeks', () => {
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53');
    expect(shiftWeek('2027-W52', 1)).toBe('2028-W01');
    expect(weekNumber('2027-W09')).toBe(9);
  });
});
