import { fail } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiError } from '$lib/api/types';
import { failStatus } from './forms';

/** API codes about the number of cheques asked for: they belong next to that field. */
const COUNT_CODES = new Set(['order_too_small', 'order_too_large', 'yearly_cap_reached']);

export interface CountFailure {
  values: { cheques: string };
  errors: { cheques?: string };
  message?: string;
  /** A fresh key when the old one is spent (it belonged to a request that already went through). */
  idempotencyKey?: string;
}

/**
 * A refused purchase (checkout, counter sale, order) as a form failure: limits next to the
 * number field, anything else as a message for the whole form.
 */
export function countFailure(status: number, error: ApiError, locale: Locale, cheques: string, freshKey: () => string) {
  const failure: CountFailure = { values: { cheques }, errors: {} };
  if (COUNT_CODES.has(error.code)) failure.errors.cheques = errorMessage(error.code, locale);
  else failure.message = errorMessage(error.code, locale);
  if (error.code === 'idempotency_key_reused') failure.idempotencyKey = freshKey();
  return fail(failStatus(status), failure);
}
