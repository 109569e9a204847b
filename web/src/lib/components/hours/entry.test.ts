import { describe, expect, it } from 'vitest';
import { checkOutTimes, clockTime, newId, readEntry } from './entry';

const NOW = new Date('2027-03-02T15:00:00Z'); // 16:00 in Amsterdam

describe('hours typed afterwards', () => {
  it('reads a day, clock times in Amsterdam and a break', () => {
    expect(readEntry({ date: '2027-03-02', start: '9:00', end: '12.30', breakMinutes: '30' }, NOW)).toEqual({
      ok: true, startsAt: '2027-03-02T09:00:00+01:00', endsAt: '2027-03-02T12:30:00+01:00', breakMinutes: 30, minutes: 180,
    });
    // Summer time: the same wall clock is another instant.
    expect(readEntry({ date: '2026-07-01', start: '09:00', end: '10:00', breakMinutes: '' }, NOW)).toMatchObject({ ok: true, startsAt: '2026-07-01T09:00:00+02:00', breakMinutes: 0, minutes: 60 });
  });

  it('says which field is wrong', () => {
    expect(readEntry({ date: '', start: '', end: '25:00', breakMinutes: 'veel' }, NOW)).toEqual({ ok: false, errors: { date: 'date', start: 'start', end: 'end', break: 'break' } });
    expect(readEntry({ date: '2027-02-30', start: '09:00', end: '10:00', breakMinutes: '0' }, NOW)).toEqual({ ok: false, errors: { date: 'date' } });
    expect(readEntry({ date: '2027-03-02', start: '10:00', end: '09:00', breakMinutes: '0' }, NOW)).toEqual({ ok: false, errors: { end: 'endBeforeStart' } });
    expect(readEntry({ date: '2027-03-02', start: '10:00', end: '10:30', breakMinutes: '30' }, NOW)).toEqual({ ok: false, errors: { break: 'breakTooLong' } });
  });

  it('refuses hours that have not happened yet (a few minutes of clock difference pass)', () => {
    expect(readEntry({ date: '2027-03-03', start: '09:00', end: '10:00', breakMinutes: '0' }, NOW)).toEqual({ ok: false, errors: { date: 'date' } });
    expect(readEntry({ date: '2027-03-02', start: '15:00', end: '16:30', breakMinutes: '0' }, NOW)).toEqual({ ok: false, errors: { end: 'inFuture' } });
    expect(readEntry({ date: '2027-03-02', start: '15:00', end: '16:05', breakMinutes: '0' }, NOW)).toMatchObject({ ok: true, minutes: 65 });
  });

  it('reads clock times as people type them', () => {
    expect(clockTime('8:30')).toBe('08:30');
    expect(clockTime(' 08.05 ')).toBe('08:05');
    expect(clockTime('24:00')).toBeNull();
    expect(clockTime('8')).toBeNull();
  });
});

describe('checking out', () => {
  it('runs from the check-in to now, minus the break', () => {
    expect(checkOutTimes('2027-03-02T13:00:00.000Z', 15, NOW)).toEqual({ ok: true, startsAt: '2027-03-02T13:00:00.000Z', endsAt: '2027-03-02T15:00:00.000Z', minutes: 105 });
  });

  it('refuses a check-out right after the check-in, and a break as long as the work', () => {
    expect(checkOutTimes('2027-03-02T14:59:30.000Z', 0, NOW)).toEqual({ ok: false, problem: 'tooSoon' });
    expect(checkOutTimes('2027-03-02T16:00:00.000Z', 0, NOW)).toEqual({ ok: false, problem: 'tooSoon' });
    expect(checkOutTimes('2027-03-02T14:30:00.000Z', 30, NOW)).toEqual({ ok: false, problem: 'breakTooLong' });
  });
});

describe('ids made on the phone', () => {
  it('are version 4 uuids, also without crypto.randomUUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newId()).toMatch(uuid);
    const fallback = newId({ getRandomValues: (array) => crypto.getRandomValues(array) });
    expect(fallback).toMatch(uuid);
    expect(fallback).not.toBe(newId());
  });
});
