import { describe, expect, it } from 'vitest';
import { dateToDay, localDate, localInstant, localTime, minutesPerWeek, weekStartDay } from './time.js';

describe('Amsterdam local time', () => {
  it('knows winter and summer time', () => {
    const winter = Date.parse('2027-01-15T09:30:00Z');
    expect(localTime(winter)).toMatchObject({ minute: 10 * 60 + 30, weekday: 5 });
    expect(localDate(winter)).toBe('2027-01-15');
    const summer = Date.parse('2027-07-04T22:15:00Z'); // Monday 00:15 local
    expect(localTime(summer)).toMatchObject({ minute: 15, weekday: 1 });
    expect(localDate(summer)).toBe('2027-07-05');
  });

  it('turns a wall-clock time back into the instant, also on the days the clock changes', () => {
    expect(new Date(localInstant(dateToDay('2027-03-28'), 8 * 60)).toISOString()).toBe('2027-03-28T06:00:00.000Z');
    expect(new Date(localInstant(dateToDay('2027-03-27'), 8 * 60)).toISOString()).toBe('2027-03-27T07:00:00.000Z');
    expect(new Date(localInstant(dateToDay('2027-10-31'), 8 * 60)).toISOString()).toBe('2027-10-31T07:00:00.000Z');
    expect(new Date(localInstant(dateToDay('2027-10-30'), 0)).toISOString()).toBe('2027-10-29T22:00:00.000Z');
    for (let m = 0; m < 1440; m += 15) {
      const t = localInstant(dateToDay('2027-06-10'), m);
      expect(localTime(t).minute).toBe(m);
    }
  });

  it('splits a job over the Sunday-to-Monday midnight between the two weeks', () => {
    const start = Date.parse('2027-03-07T21:00:00Z'); // Sunday 22:00 local
    const end = Date.parse('2027-03-08T01:00:00Z'); // Monday 02:00 local
    const sunday = weekStartDay(dateToDay('2027-03-07'));
    expect(minutesPerWeek(start, end)).toEqual([[sunday, 120], [sunday + 7, 120]]);
    expect(dateToDay('2027-03-01')).toBe(sunday);
  });
});
