import { randomBytes } from 'node:crypto';

export interface ApiConfig {
  host: string;
  port: number;
  /** Secret that signs access tokens (HS256); at least 32 characters. */
  jwtSecret: string;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  logLevel: string;
  /**
   * Whose X-Forwarded-For to believe: the web server forwards each visitor's address, and the
   * per-address login limit must count visitors, not the web server. Default: loopback only.
   */
  trustProxy: boolean | string;
  /** Seconds that cached catalogue data (services, tariffs) may be stale in other API instances. */
  catalogueCacheSeconds: number;
  /**
   * Sign-in throttling. Failures count per address, and per account — but only from clients
   * without a device token of that account: a resident's own phone, which signed in before,
   * has its own counter, so an attacker's failures cannot lock the resident out.
   */
  /** Where people reach the web app; Stripe sends buyers back here. */
  publicWebUrl: string;
  /** Only for tests and local development: send Stripe's API calls to this address instead of Stripe. */
  stripeApiUrl: string | null;
  /**
   * Where messages (booking confirmations, reminders) go out: an SMTP URL such as
   * `smtps://user:pass@mail.example.nl:465`. Unset: they are written to the log instead (without
   * addresses), and marked sent.
   */
  smtpUrl: string | null;
  /** The From of those messages, e.g. `Buurtservice <noreply@buurtservice.example.nl>`; its domain also names each Message-ID. */
  mailFrom: string;
  /** Only for tests: the clock booking rules (start in the past, free-change cutoff) read. Default: the system clock. */
  clock?: () => Date;
  loginLimits: {
    perAddress: ThrottleRule;
    perAccount: ThrottleRule;
    perDevice: ThrottleRule;
  };
}

export interface ThrottleRule {
  maxFailures: number;
  windowSeconds: number;
  blockSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  if (!env.JWT_SECRET && env.NODE_ENV === 'production') throw new Error('JWT_SECRET must be set in production');
  // Without a secret (development, tests), a random one: sessions then end when the process does.
  const jwtSecret = env.JWT_SECRET ?? randomBytes(32).toString('base64url');
  if (jwtSecret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
  return {
    host: env.API_HOST ?? '127.0.0.1',
    port: Number(env.API_PORT ?? 3000),
    jwtSecret,
    accessTokenSeconds: Number(env.ACCESS_TOKEN_SECONDS ?? 900),
    refreshTokenDays: Number(env.REFRESH_TOKEN_DAYS ?? 30),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : (env.TRUST_PROXY ?? '127.0.0.1,::1'),
    catalogueCacheSeconds: Number(env.CATALOGUE_CACHE_SECONDS ?? 10),
    publicWebUrl: env.PUBLIC_WEB_URL ?? env.ORIGIN ?? 'http://localhost:5173',
    stripeApiUrl: env.STRIPE_API_URL ?? null,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM ?? 'Buurtservice <noreply@buurtservice.local>',
    loginLimits: {
      perAddress: { maxFailures: Number(env.LOGIN_MAX_FAILURES_PER_ADDRESS ?? 30), windowSeconds: 900, blockSeconds: 900 },
      perAccount: { maxFailures: Number(env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5), windowSeconds: 900, blockSeconds: 900 },
      perDevice: { maxFailures: 10, windowSeconds: 900, blockSeconds: 300 },
    },
  };
}
