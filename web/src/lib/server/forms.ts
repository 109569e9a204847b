import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
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

/** What a page with several forms gets back from a failed action: which form, what was typed, and the errors. */
export interface FormFailure<F extends string> {
  form: F;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** a message for the whole form, when the error belongs to no field */
  message?: string;
}

export function formFailed<F extends string>(status: number, failure: FormFailure<F>) {
  return fail(status, failure);
}

/** An API refusal in the form it belongs to: on its field when `fieldOf` names one for the code, else as the form's message. */
export function apiFormFailed<F extends string>(form: F, status: number, code: string, locale: Locale, values: Record<string, string>, fieldOf: Record<string, string> = {}) {
  const field = fieldOf[code];
  const message = errorMessage(code, locale);
  return formFailed(failStatus(status), { form, values, errors: field ? { [field]: message } : {}, ...(field ? {} : { message }) });
}

/**
 * A fresh Idempotency-Key for one rendering of a form that moves money. The form carries it in a
 * hidden input, so a double click or a retry of the same submission moves the money once.
 */
export function newIdempotencyKey(): string {
  return `web-${randomUUID()}`;
}

const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

/** The form's Idempotency-Key, or a fresh one when it is missing or malformed (a hand-made post). */
export function idempotencyKeyOf(form: FormData, name = 'idempotencyKey'): string {
  const value = text(form, name);
  return IDEMPOTENCY_KEY_PATTERN.test(value) ? value : newIdempotencyKey();
}

/** The header that makes a money movement safe to retry. */
export function idempotencyHeader(key: string): { headers: Record<string, string> } {
  return { headers: { 'idempotency-key': key } };
}

/** A whole number typed in a form ("5", " 12 "), within [min, max]; null otherwise. */
export function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^[0-9]{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * A date typed as YYYY-MM-DD (the date picker) or D-M-YYYY / D/M/YYYY (typed by hand), as
 * YYYY-MM-DD; null when it is no real date.
 */
export function isoDateOf(value: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const dutch = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  const parts = iso ? { y: iso[1], m: iso[2], d: iso[3] } : dutch ? { y: dutch[3], m: dutch[2], d: dutch[1] } : null;
  if (!parts?.y || !parts.m || !parts.d) return null;
  const date = `${parts.y}-${parts.m.padStart(2, '0')}-${parts.d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : null;
}

/** True when the request came from an enhanced form (`use:enhance`), i.e. JavaScript runs. */
export function isEnhanced(request: Request): boolean {
  return request.headers.get('x-sveltekit-action') === 'true';
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as the API makes them; anything else is "not found" before it reaches the API. */
export function isUuid(value: string | null | undefined): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** An id from the URL or a form, or "not found" before it reaches the API. */
export function uuidOr404(value: string, locale: Locale): string {
  if (!isUuid(value)) error(404, errorMessage('not_found', locale));
  return value;
}
