import { describe, expect, it } from 'vitest';
import type { CityPass, WalletLot } from '../api/types';
import { activeLots, cityPassState, daysUntil, expiryWarningDays, isTransactionKind } from './index';

const lot = (over: Partial<WalletLot>): WalletLot => ({
  id: 'l', source: 'counter', category: 'resident', centsPerHour: 1000, minutes: 300, remainingMinutes: 300, heldMinutes: 0,
  purchasedAt: '2026-01-01T10:00:00Z', expiresAt: null, reference: 'BN-2026-000001', ...over,
});

describe('daysUntil', () => {
  it('counts Amsterdam calendar days, not 24-hour periods', () => {
    const now = new Date('2026-03-10T22:30:00Z'); // 23:30 in Amsterdam
    expect(daysUntil('2026-03-10T23:30:00Z', now)).toBe(1); // 00:30 the next day
    expect(daysUntil('2026-03-10T05:00:00Z', now)).toBe(0);
    expect(daysUntil('2026-03-09T12:00:00Z', now)).toBe(-1);
  });
});

describe('expiryWarningDays', () => {
  const now = new Date('2026-06-01T10:00:00Z');
  it('warns for an active lot that expires within 30 days', () => {
    expect(expiryWarningDays(lot({ expiresAt: '2026-06-20T10:00:00Z' }), now)).toBe(19);
    expect(expiryWarningDays(lot({ expiresAt: '2026-07-01T10:00:00Z' }), now)).toBe(30);
  });
  it('stays quiet for later expiry, no expiry, or a used-up lot', () => {
    expect(expiryWarningDays(lot({ expiresAt: '2026-07-02T10:00:00Z' }), now)).toBeNull();
    expect(expiryWarningDays(lot({ expiresAt: null }), now)).toBeNull();
    expect(expiryWarningDays(lot({ expiresAt: '2026-06-20T10:00:00Z', remainingMinutes: 0 }), now)).toBeNull();
  });
});

describe('activeLots', () => {
  it('keeps lots with free or held minutes', () => {
    const lots = [lot({ id: 'a' }), lot({ id: 'b', remainingMinutes: 0 }), lot({ id: 'c', remainingMinutes: 0, heldMinutes: 60 })];
    expect(activeLots(lots).map((l) => l.id)).toEqual(['a', 'c']);
  });
});

describe('cityPassState', () => {
  const pass = (over: Partial<CityPass>): CityPass => ({ passNumber: 'BP-1', expiresOn: '2027-12-31', verified: true, verifiedAt: null, expiresSoon: false, ...over });
  it('tells none, waiting, verified, expiring and expired apart', () => {
    expect(cityPassState(null, '2026-06-01')).toBe('none');
    expect(cityPassState(pass({ verified: false }), '2026-06-01')).toBe('waiting');
    expect(cityPassState(pass({}), '2026-06-01')).toBe('verified');
    expect(cityPassState(pass({ expiresSoon: true }), '2026-06-01')).toBe('expiring');
    expect(cityPassState(pass({ expiresOn: '2026-05-31' }), '2026-06-01')).toBe('expired');
  });
});

describe('isTransactionKind', () => {
  it('knows the ledger kinds', () => {
    expect(isTransactionKind('purchase')).toBe(true);
    expect(isTransactionKind('something_new')).toBe(false);
  });
});
