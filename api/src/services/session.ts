import { createHash } from 'node:crypto';
import { sessions, type Executor, type users } from '@buurtservice/db';
import { amsterdamDate, customerCategory, type CustomerCategory, type Role } from '@buurtservice/shared';
import type { FastifyInstance } from 'fastify';
import type { AccessClaims, DeviceClaims } from '../auth.js';

type Profile = NonNullable<Awaited<ReturnType<typeof users.loadProfile>>>;

export interface Me {
  id: string;
  role: Role;
  displayName: string;
  email: string | null;
  locale: 'nl' | 'en';
  programme: { id: string; name: string; cityPassName: string };
  household: { id: string; name: string; postcode: string; buurt: string | null } | null;
  organisation: { id: string; name: string } | null;
  customerCategory: CustomerCategory | null;
}

function verifiedPassExpiry(profile: Profile): string | null {
  return profile.city_pass_verified_at && profile.city_pass_expires_on ? profile.city_pass_expires_on : null;
}

export function toMe(profile: Profile, today = amsterdamDate()): Me {
  const passExpiry = verifiedPassExpiry(profile);
  return {
    id: profile.id,
    role: profile.role,
    displayName: profile.display_name,
    email: profile.email,
    locale: profile.locale === 'en' ? 'en' : 'nl',
    programme: { id: profile.programme_id, name: profile.programme_name, cityPassName: profile.city_pass_name },
    household: profile.household_id
      ? { id: profile.household_id, name: profile.household_name ?? '', postcode: profile.household_postcode ?? '', buurt: profile.buurt_name }
      : null,
    organisation: profile.organisation_id ? { id: profile.organisation_id, name: profile.organisation_name ?? '' } : null,
    customerCategory:
      profile.role === 'organisation_member'
        ? 'organisation'
        : profile.role === 'resident'
          ? customerCategory({ kind: 'household', cityPass: passExpiry ? { expiresOn: passExpiry, verified: true } : null }, today)
          : null,
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  deviceToken: string;
  user: Me;
}

/** Signs a fresh access token, issues (or rotates within `familyId`) a refresh token, and a device token. */
export async function issueSession(app: FastifyInstance, db: Executor, profile: Profile, familyId?: string): Promise<Session> {
  const claims: AccessClaims = { typ: 'access', sub: profile.id, pid: profile.programme_id, role: profile.role };
  if (profile.household_id) claims.hid = profile.household_id;
  if (profile.organisation_id) claims.oid = profile.organisation_id;
  const passExpiry = verifiedPassExpiry(profile);
  if (passExpiry) claims.cpx = passExpiry;
  const accessToken = app.jwt.sign(claims, { expiresIn: app.config.accessTokenSeconds });
  const refresh = await sessions.issueRefreshToken(db, profile.id, app.config.refreshTokenDays, familyId);
  const device: DeviceClaims = { typ: 'device', em: profile.email ?? '' };
  return {
    accessToken,
    refreshToken: refresh.token,
    expiresIn: app.config.accessTokenSeconds,
    deviceToken: app.jwt.sign(device, { expiresIn: '180d' }),
    user: toMe(profile),
  };
}

/** Short, non-reversible id of a device token for a throttle key. */
export function deviceKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}
