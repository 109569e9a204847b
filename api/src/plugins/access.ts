import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { appError } from '../errors.js';
import type { Access, AccessClaims } from '../auth.js';
import { ErrorBody } from '../schemas/common.js';

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with who may call it: read by the access-matrix test and the docs. */
    routeTable: RouteEntry[];
  }
}

/** The token of `Authorization: Bearer <token>`, read as @fastify/jwt reads it; null if malformed. */
function bearerToken(header: string): string | null {
  if (!/^Bearer\s/i.test(header)) return null;
  const parts = header.split(' ');
  return parts.length === 2 && parts[1] ? parts[1] : null;
}

function guardFor(access: readonly string[]) {
  return async function guard(request: FastifyRequest) {
    if (!request.headers.authorization) throw appError('unauthenticated');
    const token = bearerToken(request.headers.authorization);
    if (!token) throw appError('token_invalid');
    let claims: AccessClaims;
    try {
      // The app's own verifier (HS256 only, with its cache of verified tokens): the same checks as
      // request.jwtVerify(), without the decode, option merging and callback chain it adds to every request.
      claims = request.server.jwt.verify<AccessClaims>(token);
    } catch {
      throw appError('token_invalid');
    }
    // A device token is signed with the same key but is no pass to the API.
    if (claims.typ !== 'access') throw appError('token_invalid');
    if (!access.includes(claims.role)) throw appError('forbidden');
    request.caller = {
      userId: claims.sub,
      programmeId: claims.pid,
      role: claims.role,
      householdId: claims.hid ?? null,
      organisationId: claims.oid ?? null,
      cityPassExpiresOn: claims.cpx ?? null,
    };
  };
}

/**
 * Access control by construction: a route without `config.access` fails at start-up; every
 * non-public route gets the guard; every route gets the error schema for its 4xx and 5xx answers.
 */
export const accessPlugin = fp(async (app: FastifyInstance) => {
  app.decorate('routeTable', [] as RouteEntry[]);
  app.decorateRequest('caller', null);
  app.addHook('onRoute', (route: RouteOptions) => {
    const isDocs = route.url.startsWith('/docs');
    const access = route.config?.access ?? (isDocs ? 'public' : undefined);
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} does not say who may call it (config.access)`);
    if (!isDocs) {
      const schema = (route.schema ??= {});
      const response = (schema.response ??= {}) as Record<string, unknown>;
      response['4xx'] ??= ErrorBody;
      response['5xx'] ??= ErrorBody;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD' && !isDocs) app.routeTable.push({ method, url: route.url, access });
    }
    if (access !== 'public') {
      const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
      route.onRequest = [guardFor(access), ...existing];
    }
  });
});
