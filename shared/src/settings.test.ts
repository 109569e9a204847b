import { describe, expect, it } from 'vitest';
import { chequeExpiresAt, DEFAULT_SETTINGS, resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('fills defaults and keeps valid overrides', () => {
    expect(resolveSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(resolveSettings({ freeCancellationHours: 48, chequeValidityMonths: null }).freeCancellationHours).toBe(48);
    expect(resolveSettings({ chequeValidityMonths: null }).chequeValidityMonths).toBeNull();
  });
  it('drops unknown keys and values of the wrong type', () => {
    const s = resolveSettings({ freeCancellationHours: 'soon', other: 1 });
    expect(s.freeCancellationHours).toBe(24);
    expect('other' in s).toBe(false);
  });
});

describe('chequeExpiresAt', () => {
  const at = (iso: string) => new Date(iso);
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(chequeExpiresAt({ chequeValidityMonths: 12 }, at('2026-11-22T10:00:00Z'))?.toISOString()).toBe('2027-11-22T10:00:00.000Z');
    expect(chequeExpiresAt({ chequeValidityMonths: 1 }, at('2026-05-31T10:00:00Z'))?.toISOString()).toBe('2026-06-30T10:00:00.000Z');
    expect(chequeExpiresAt({ chequeValidityMonths: 12 }, at('2028-02-29T10:00:00Z'))?.toISOString()).toBe('2029-02-28T10:00:00.000Z');
    expect(chequeExpiresAt({ chequeValidityMonths: 3 }, at('2026-11-30T23:30:00Z'))?.toISOString()).toBe('2027-02-28T23:30:00.000Z');
  });
  it('never expires without a validity', () => {
    expect(chequeExpiresAt({ chequeValidityMonths: null }, new Date())).toBeNull();
  });
});
