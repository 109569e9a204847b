/**
 * Pricing of dienstencheque work: one cheque is one hour (60 minutes) of one worker.
 * Money is integer cents, time integer minutes.
 *
 * Rounding rule: the exact price is workers × minutes × centsPerWorkerHour / 60 cents. It is
 * computed in integers and rounded once, half up, to a whole cent (commercial rounding as used on
 * Dutch invoices). Prices in 15-minute steps at whole-euro tariffs are always exact; the rule only
 * matters for odd minutes or odd tariffs.
 */

export const CUSTOMER_CATEGORIES = ['resident', 'resident_city_pass', 'organisation'] as const;
export type CustomerCategory = (typeof CUSTOMER_CATEGORIES)[number];

export const MINUTES_PER_CHEQUE = 60;

export interface Tariff {
  category: CustomerCategory;
  centsPerWorkerHour: number;
  /** Calendar date 'YYYY-MM-DD' (Europe/Amsterdam) from which the tariff holds. */
  validFrom: string;
}

export class PricingError extends Error {}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new PricingError(`${name} must be a non-negative integer, got ${value}`);
}

/** Exact integer division rounded half up; both operands non-negative. */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

export function workerMinutes(workers: number, minutes: number): number {
  assertNonNegativeInteger('workers', workers);
  assertNonNegativeInteger('minutes', minutes);
  return workers * minutes;
}

/** Price in cents of `workerMinutes` at a tariff in cents per worker-hour. */
export function priceOfWorkerMinutes(totalWorkerMinutes: number, centsPerWorkerHour: number): number {
  assertNonNegativeInteger('workerMinutes', totalWorkerMinutes);
  assertNonNegativeInteger('centsPerWorkerHour', centsPerWorkerHour);
  const product = totalWorkerMinutes * centsPerWorkerHour;
  if (!Number.isSafeInteger(product)) throw new PricingError('price out of range');
  return divideRoundHalfUp(product, MINUTES_PER_CHEQUE);
}

export interface JobPrice {
  workerMinutes: number;
  centsPerWorkerHour: number;
  totalCents: number;
}

export function priceJob(workers: number, minutes: number, centsPerWorkerHour: number): JobPrice {
  const total = workerMinutes(workers, minutes);
  return { workerMinutes: total, centsPerWorkerHour, totalCents: priceOfWorkerMinutes(total, centsPerWorkerHour) };
}

/**
 * The tariff of a category in force on a date: the one with the latest validFrom on or before it.
 * Returns undefined when no tariff of that category has started yet.
 */
export function tariffInForce<T extends Tariff>(tariffs: readonly T[], category: CustomerCategory, onDate: string): T | undefined {
  let best: T | undefined;
  for (const tariff of tariffs) {
    if (tariff.category !== category || tariff.validFrom > onDate) continue;
    if (!best || tariff.validFrom > best.validFrom) best = tariff;
  }
  return best;
}

export interface CityPassStatus {
  expiresOn: string;
  verified: boolean;
}

/**
 * Which tariff a customer pays: organisations pay the organisation tariff; a household pays the
 * city-pass tariff only while a pass verified by staff has not expired (it holds through its expiry date).
 */
export function customerCategory(customer: { kind: 'organisation' } | { kind: 'household'; cityPass: CityPassStatus | null }, onDate: string): CustomerCategory {
  if (customer.kind === 'organisation') return 'organisation';
  const pass = customer.cityPass;
  return pass && pass.verified && pass.expiresOn >= onDate ? 'resident_city_pass' : 'resident';
}

/** Formats cents as Dutch euro text: 1050 → '€ 10,50'. */
export function formatEuro(cents: number, locale: 'nl' | 'en' = 'nl'): string {
  return new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-IE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * VAT on a net amount in cents at a percentage (21, 9, or e.g. 20.5): rounded half up to a whole
 * cent once, on the invoice total (Dutch practice for one-line invoices).
 */
export function vatCents(netCents: number, ratePercent: number): number {
  assertNonNegativeInteger('netCents', netCents);
  const basisPoints = Math.round(ratePercent * 100);
  assertNonNegativeInteger('rate basis points', basisPoints);
  return divideRoundHalfUp(netCents * basisPoints, 10_000);
}
