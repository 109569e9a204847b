import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { bookings, timeEntries, workers } from '@buurtservice/db';
import { BookingTransitionError, ERRORS, errorMessage, TimeEntryInvalidError, type ErrorCode, type Locale } from '@buurtservice/shared';
import { AppError, type FieldError } from '../errors.js';

export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && /^\s*en\b/i.test(header) ? 'en' : 'nl';
}

function send(reply: FastifyReply, code: ErrorCode, fields?: FieldError[], reason?: string) {
  const body: { code: string; message: string; fields?: FieldError[]; reason?: string } = { code, message: errorMessage(code, requestLocale(reply.request)) };
  if (fields?.length) body.fields = fields;
  // time_entry_invalid says which hour rule refused the times (the routes' error schema has `reason`)
  if (reason) body.reason = reason;
  return reply.status(ERRORS[code].status).send(body);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: 'unauthenticated',
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'token_invalid',
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: 'token_invalid',
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: 'token_invalid',
  FST_JWT_BAD_REQUEST: 'token_invalid',
  FST_JWT_BAD_COOKIE_REQUEST: 'token_invalid',
};

/** Refusals of the booking and worker repositories: each carries a code of the shared catalogue. */
const DOMAIN_ERRORS = [
  bookings.BookingRuleError, bookings.BookingNotFoundError, bookings.WorkerDoubleBookedError, bookings.WorkerWeeklyCapExceededError,
  BookingTransitionError, workers.WorkerError, timeEntries.TimeEntryError,
] as const;

/** The catalogue code of a repository's refusal, or null for any other error. */
function domainCode(error: unknown): ErrorCode | null {
  if (!DOMAIN_ERRORS.some((E) => error instanceof E)) return null;
  const code = (error as { code: string }).code;
  return Object.hasOwn(ERRORS, code) ? (code as ErrorCode) : null;
}

/**
 * One error handler for the whole API: every error leaves as `{ code, message }` with a stable
 * code; details of server faults are logged, never sent.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      return send(reply, error.code, error.fields);
    }
    if (error instanceof TimeEntryInvalidError) return send(reply, error.code, undefined, error.reason);
    const domain = domainCode(error);
    if (domain) return send(reply, domain);
    if (error.validation) {
      const fields = error.validation.map((v) => {
        const missing = (v.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
        const leaf = missing.missingProperty ?? missing.additionalProperty;
        // A JSON pointer into the body (or query): '/email', as for nested fields; only an error about
        // the whole part (e.g. a body that is not an object) names the part itself.
        const field = leaf ? `${v.instancePath}/${leaf}` : v.instancePath || (error.validationContext ? `/${error.validationContext}` : '');
        return { field, code: v.keyword };
      });
      return send(reply, 'validation_failed', fields);
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return send(reply, mapped);
    const status = error.statusCode ?? 500;
    if (status === 429) return send(reply, 'too_many_attempts');
    if (status === 404) return send(reply, 'not_found');
    if (status === 405) return send(reply, 'method_not_allowed');
    if (status >= 400 && status < 500) return send(reply, 'validation_failed');
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'internal_error');
  });
  app.setNotFoundHandler((request, reply) => send(reply, 'route_not_found'));
});
