import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amsterdamDate, isIsoDate } from './dates.js';

describe('amsterdamDate', () => {
  it('gives the Amsterdam calendar day around midnight and the DST changes', () => {
    expect(amsterdamDate(new Date('2026-11-22T22:59:59Z'))).toBe('2026-11-22'); // 23:59:59 CET
    expect(amsterdamDate(new Date('2026-11-22T23:00:00Z'))).toBe('2026-11-23'); // 00:00 CET
    expect(amsterdamDate(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01'); // 23:59 CEST
    expect(amsterdamDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    expect(amsterdamDate(new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-29');
    expect(amsterdamDate(new Date('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
  });

  it('agrees with Intl for any instant, also when called again within the same minute', () => {
    const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 59_999 }), (d, ms) => {
      const start = new Date(Math.floor(d.getTime() / 60_000) * 60_000);
      const later = new Date(start.getTime() + ms);
      expect(amsterdamDate(start)).toBe(reference.format(start));
      expect(amsterdamDate(later)).toBe(reference.format(later));
    }));
  });
});

describe('isIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-2-28')).toBe(false);
  });
});
