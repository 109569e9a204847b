import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings } from './settings.js';

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
