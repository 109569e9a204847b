import { ERRORS, errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiError } from '$lib/api/types';

/** A form field as trimmed text ("" when missing). */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A form field exactly as typed (passwords: spaces count). */
export function raw(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isKnownErrorCode(code: string): code is keyof typeof ERRORS {
  return Object.hasOwn(ERRORS, code);
}

/**
 * The API's per-field validation errors as field → message. Codes the web has no text for
 * (e.g. a schema keyword) get `fallback`.
 */
export function fieldErrorsOf<F extends string>(error: ApiError, fields: readonly F[], locale: Locale, fallback: string): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const item of error.fields ?? []) {
    const name = item.field.replace(/^\//, '').split('/')[0] as F;
    if (!fields.includes(name) || out[name]) continue;
    out[name] = isKnownErrorCode(item.code) && item.code !== 'validation_failed' ? errorMessage(item.code, locale) : fallback;
  }
  return out;
}

/** A status for `fail()`: the API's own 4xx, or 503 when the API failed. */
export function failStatus(status: number): number {
  return status >= 400 && status < 500 ? status : 503;
}
