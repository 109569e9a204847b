import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  vatCents,
  customerCategory, divideRoundHalfUp, formatEuro, priceJob, priceOfWorkerMinutes, PricingError, tariffInForce, type Tariff,
} from './pricing.js';

const workers = fc.integer({ min: 0, max: 20 });
const minutes = fc.integer({ min: 0, max: 24 * 60 });
const rate = fc.integer({ min: 0, max: 100_000 });
const isoDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('the DOMAIN.md examples', () => {
  it('prices a 3-hour garden job by 2 workers at 6 worker-hours', () => {
    expect(priceJob(2, 180, 1000)).toEqual({ workerMinutes: 360, centsPerWorkerHour: 1000, totalCents: 6000 });
    expect(priceJob(2, 180, 600).totalCents).toBe(3600);
    expect(priceJob(2, 180, 1500).totalCents).toBe(9000);
  });
});

describe('rounding', () => {
  it('rounds half up to a whole cent', () => {
    expect(priceOfWorkerMinutes(1, 1000)).toBe(17); // 16.67
    expect(priceOfWorkerMinutes(1, 30)).toBe(1); // 0.5 → 1
    expect(priceOfWorkerMinutes(1, 29)).toBe(0); // 0.483 → 0
    expect(priceOfWorkerMinutes(3, 10)).toBe(1); // 0.5 → 1
  });

  it('is within half a cent of the exact price, and never below it by half a cent or more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), rate, (wm, r) => {
        const exact = (wm * r) / 60;
        const price = priceOfWorkerMinutes(wm, r);
        expect(Number.isInteger(price)).toBe(true);
        expect(price - exact).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(exact - price).toBeLessThan(0.5);
      }),
    );
  });

  it('divideRoundHalfUp agrees with exact rational rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1000 }), (n, d) => {
        const q = divideRoundHalfUp(n, d);
        // q is the nearest integer, ties up: 2n - d < 2qd <= 2n + d
        expect(2 * q * d).toBeGreaterThan(2 * n - d - 1);
        expect(2 * q * d).toBeLessThanOrEqual(2 * n + d);
      }),
    );
  });

  it('is exact in quarter hours at whole-euro tariffs', () => {
    fc.assert(
      fc.property(workers, fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 1000 }), (w, quarters, euros) => {
        const { totalCents } = priceJob(w, quarters * 15, euros * 100);
        expect(totalCents * 60).toBe(w * quarters * 15 * euros * 100);
      }),
    );
  });
});

describe('price properties', () => {
  it('is monotone in workers, minutes and tariff', () => {
    fc.assert(
      fc.property(workers, minutes, rate, (w, m, r) => {
        const p = priceJob(w, m, r).totalCents;
        expect(priceJob(w + 1, m, r).totalCents).toBeGreaterThanOrEqual(p);
        expect(priceJob(w, m + 1, r).totalCents).toBeGreaterThanOrEqual(p);
        expect(priceJob(w, m, r + 1).totalCents).toBeGreaterThanOrEqual(p);
      }),
    );
  });

  it('depends only on worker-minutes: two workers for an hour cost the same as one for two hours', () => {
    fc.assert(fc.property(workers, minutes, rate, (w, m, r) => {
      expect(priceJob(w, m, r).totalCents).toBe(priceJob(1, w * m, r).totalCents);
    }));
  });

  it('is zero for no workers or no time', () => {
    fc.assert(fc.property(minutes, rate, (m, r) => {
      expect(priceJob(0, m, r).totalCents).toBe(0);
    }));
    fc.assert(fc.property(workers, rate, (w, r) => {
      expect(priceJob(w, 0, r).totalCents).toBe(0);
    }));
  });

  it('refuses fractions, negatives and unsafe sizes', () => {
    expect(() => priceJob(1.5, 60, 1000)).toThrow(PricingError);
    expect(() => priceJob(1, -15, 1000)).toThrow(PricingError);
    expect(() => priceJob(1, 60, Number.NaN)).toThrow(PricingError);
    expect(() => priceOfWorkerMinutes(Number.MAX_SAFE_INTEGER, 1000)).toThrow(PricingError);
  });
});

describe('tariffInForce', () => {
  const tariffs: Tariff[] = [
    { category: 'resident', centsPerWorkerHour: 900, validFrom: '2025-01-01' },
    { category: 'resident', centsPerWorkerHour: 1000, validFrom: '2026-01-01' },
    { category: 'resident', centsPerWorkerHour: 1100, validFrom: '2027-01-01' },
    { category: 'organisation', centsPerWorkerHour: 1500, validFrom: '2026-01-01' },
  ];

  it('takes the latest tariff that has started, per category', () => {
    expect(tariffInForce(tariffs, 'resident', '2026-06-30')?.centsPerWorkerHour).toBe(1000);
    expect(tariffInForce(tariffs, 'resident', '2026-12-31')?.centsPerWorkerHour).toBe(1000);
    expect(tariffInForce(tariffs, 'resident', '2027-01-01')?.centsPerWorkerHour).toBe(1100);
    expect(tariffInForce(tariffs, 'resident', '2024-12-31')).toBeUndefined();
    expect(tariffInForce(tariffs, 'resident_city_pass', '2026-06-30')).toBeUndefined();
    expect(tariffInForce(tariffs, 'organisation', '2026-06-30')?.centsPerWorkerHour).toBe(1500);
  });

  it('matches a brute-force definition for random tariff sets, independent of order', () => {
    const tariff = fc.record({
      category: fc.constantFrom('resident' as const, 'resident_city_pass' as const, 'organisation' as const),
      centsPerWorkerHour: rate,
      validFrom: isoDate,
    });
    fc.assert(
      fc.property(fc.uniqueArray(tariff, { selector: (t) => `${t.category}${t.validFrom}`, maxLength: 12 }), isoDate, (list, day) => {
        for (const category of ['resident', 'resident_city_pass', 'organisation'] as const) {
          const started = list.filter((t) => t.category === category && t.validFrom <= day).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
          const expected = started.at(-1);
          expect(tariffInForce(list, category, day)).toBe(expected);
          expect(tariffInForce([...list].reverse(), category, day)).toBe(expected);
        }
      }),
    );
  });
});

describe('customerCategory', () => {
  it('gives the city-pass tariff only for a verified pass that has not expired', () => {
    const household = (cityPass: { expiresOn: string; verified: boolean } | null) => ({ kind: 'household' as const, cityPass });
    expect(customerCategory({ kind: 'organisation' }, '2026-11-22')).toBe('organisation');
    expect(customerCategory(household(null), '2026-11-22')).toBe('resident');
    expect(customerCategory(household({ expiresOn: '2027-01-01', verified: false }), '2026-11-22')).toBe('resident');
    expect(customerCategory(household({ expiresOn: '2026-11-22', verified: true }), '2026-11-22')).toBe('resident_city_pass');
    expect(customerCategory(household({ expiresOn: '2026-11-21', verified: true }), '2026-11-22')).toBe('resident');
  });
});

describe('formatEuro', () => {
  it('writes euros the Dutch way', () => {
    expect(formatEuro(1000).replace(/\s/g, ' ')).toBe('€ 10,00');
    expect(formatEuro(600)).toMatch(/6,00/);
    expect(formatEuro(1500, 'en')).toMatch(/15\.00/);
  });
});

describe('vatCents', () => {
  it('charges 21% on the DOMAIN.md organisation order of 20 hours (€ 300 → € 63)', () => {
    expect(vatCents(30_000, 21)).toBe(6300);
    expect(vatCents(1, 21)).toBe(0);
    expect(vatCents(3, 21)).toBe(1); // 0.63 → 1
    expect(vatCents(1000, 9)).toBe(90);
    expect(vatCents(1000, 0)).toBe(0);
  });
  it('is within half a cent of the exact VAT', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(0, 9, 21, 20.5), (net, rate) => {
      const v = vatCents(net, rate);
      expect(Math.abs(v - (net * rate) / 100)).toBeLessThanOrEqual(0.5 + 1e-9);
    }));
  });
});
