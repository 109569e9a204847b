/**
 * The shapes of the API's answers that the web uses (docs/api-contract.md).
 * Kept here because only the web reads them; the API validates its own output.
 */
import type { CustomerCategory, Locale, Role } from '@buurtservice/shared';

export interface ProgrammeSummary {
  id: string;
  name: string;
  cityPassName: string;
}

export interface Me {
  id: string;
  role: Role;
  displayName: string;
  email: string | null;
  locale: Locale;
  programme: ProgrammeSummary;
  household: { id: string; name: string; postcode: string; buurt: string | null } | null;
  organisation: { id: string; name: string } | null;
  customerCategory: CustomerCategory | null;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  deviceToken: string;
  user: Me;
}

export type ServiceLocation = 'customer_address' | 'service_point';

export interface Service {
  id: string;
  code: string;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  location: ServiceLocation;
  defaultDurationMinutes: number;
  minWorkers: number;
  maxWorkers: number;
  requiredSkill: string | null;
  active: boolean;
  centsPerWorkerHour: number | null;
}

export interface Quote {
  category: CustomerCategory;
  centsPerWorkerHour: number;
  workerMinutes: number;
  totalCents: number;
  tariffValidFrom: string;
}

export interface ApiFieldError {
  /** JSON pointer of the field, e.g. "/postcode". */
  field: string;
  code: string;
}

export interface ApiError {
  code: string;
  message: string;
  fields?: ApiFieldError[];
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiError; headers: Headers };
