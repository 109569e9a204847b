import type { Role } from '@buurtservice/shared';

/** Claims of an access token; kept small, it travels with every request. */
export interface AccessClaims {
  typ: 'access';
  sub: string;
  /** programme id */
  pid: string;
  role: Role;
  /** household id (residents) */
  hid?: string;
  /** organisation id (organisation members) */
  oid?: string;
  /**
   * Expiry date of the household's staff-verified city pass. Lets the catalogue price without a
   * query per request; stale at most one access-token lifetime. Purchases read the database.
   */
  cpx?: string;
}

export interface DeviceClaims {
  typ: 'device';
  /** the account's email, lower case */
  em: string;
}

export type Access = 'public' | readonly Role[];

/** Who is calling, on every authenticated request. */
export interface Caller {
  userId: string;
  programmeId: string;
  role: Role;
  householdId: string | null;
  organisationId: string | null;
  cityPassExpiresOn: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: 'public', or the roles. Every route must say. */
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims | DeviceClaims;
    user: AccessClaims;
  }
}
