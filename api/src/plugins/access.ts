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

/**
 * Tokens one app instance has verified, by their exact text, until they expire (60 s at most), as
 * many as @fastify/jwt's own cache holds. A hit is a map lookup; @fastify/jwt's cache keys its
 * entries by a SHA-256 of the token, which costs nearly as much as verifying it afresh.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { claims: AccessClaims; until: number }>();

  get(token: string, now: number): AccessClaims | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (entry.until > now) return entry.claims;
    this.entries.delete(token);
    return null;
  }

  add(token: string, claims: AccessClaims & { exp?: number }, now: number): void {
    if (!claims.exp) return;
    if (this.entries.size >= 10_000) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims, until: Math.min(claims.exp * 1000, now + 60_000) });
  }
}

function guardFor(access: readonly string[], verified: VerifiedTokens) {
  return async function guard(request: FastifyRequest) {
    if (!request.headers.authorization) throw appError('unauthenticated');
    const token = bearerToken(request.headers.authorization);
    if (!token) throw appError('token_invalid');
    const now = Date.now();
    let claims = verified.get(token, now);
    if (!claims) {
      try {
        // The app's own verifier (HS256 only): the same checks as request.jwtVerify(), without the
        // extra decode, option merging and callback chain that one adds to every request.
        claims = request.server.jwt.verify<AccessClaims>(token);
      } catch {
        throw appError('token_invalid');
      }
      verified.add(token, claims, now);
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
  // Per app instance: a token is only ever taken from the cache of the app whose key verified it.
  const verified = new VerifiedTokens();
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
      route.onRequest = [guardFor(access, verified), ...existing];
    }
  });
});
