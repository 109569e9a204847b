/**
 * What the web decides about a wallet by itself: which lots to show, when to warn about an
 * expiry, how a city pass stands, which words a transaction kind gets. Pure: no I/O, no DOM.
 */
import { amsterdamDate } from '@buurtservice/shared';
import { TRANSACTION_KINDS, type CityPass, type TransactionKind, type WalletLot } from '../api/types';

/** A lot that expires within this many days gets a visible warning. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

/** Whole calendar days (Europe/Amsterdam) from `now` to `instant`: 0 today, 1 tomorrow, negative when past. */
export function daysUntil(instant: string | Date, now: Date = new Date()): number {
  const day = (d: Date) => Date.parse(`${amsterdamDate(d)}T00:00:00Z`);
  return Math.round((day(new Date(instant)) - day(now)) / DAY_MS);
}

/** Lots that still hold something: used-up lots only clutter the list. */
export function activeLots(lots: readonly WalletLot[]): WalletLot[] {
  return lots.filter((lot) => lot.remainingMinutes > 0 || lot.heldMinutes > 0);
}

/** Days until an active lot expires when that is within the warning period; otherwise null. */
export function expiryWarningDays(lot: WalletLot, now: Date = new Date()): number | null {
  if (!lot.expiresAt || lot.remainingMinutes + lot.heldMinutes <= 0) return null;
  const days = daysUntil(lot.expiresAt, now);
  return days >= 0 && days <= EXPIRY_WARNING_DAYS ? days : null;
}

export function isTransactionKind(kind: string): kind is TransactionKind {
  return (TRANSACTION_KINDS as readonly string[]).includes(kind);
}

export type CityPassState = 'none' | 'waiting' | 'verified' | 'expiring' | 'expired';

/** How a household's city pass stands today (Amsterdam): the API's `expiresSoon` plus "expired". */
export function cityPassState(pass: CityPass | null, today: string = amsterdamDate()): CityPassState {
  if (!pass) return 'none';
  if (pass.expiresOn < today) return 'expired';
  if (!pass.verified) return 'waiting';
  return pass.expiresSoon ? 'expiring' : 'verified';
}
