import Fastify, { type FastifyServerOptions } from 'fastify';
import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import addFormats from 'ajv-formats';
import type { Database } from '@buurtservice/db';
import type { ApiConfig } from './config.js';
import { accessPlugin } from './plugins/access.js';
import { errorsPlugin } from './plugins/errors.js';
import { CatalogueCache } from './services/catalogue-cache.js';
import { SettingsCache } from './services/settings-cache.js';
import { StripeClients } from './services/stripe.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { meRoutes } from './routes/me.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { householdRoutes } from './routes/households.js';
import { organisationRoutes } from './routes/organisations.js';
import { userRoutes } from './routes/users.js';
import { areaRoutes } from './routes/areas.js';
import { walletRoutes } from './routes/wallet.js';
import { invoiceRoutes } from './routes/invoices.js';
import { paymentRoutes } from './routes/payments.js';
import { bookingRoutes } from './routes/bookings.js';
import { seriesRoutes } from './routes/series.js';
import { workerRoutes } from './routes/workers.js';
import { dispatchRoutes } from './routes/dispatch.js';
import { hoursRoutes } from './routes/hours.js';
import { experienceRoutes } from './routes/experience.js';
import { calendarRoutes } from './routes/calendar.js';
import { confirmationRoutes } from './routes/confirmation.js';
import { hoursWeekRoutes } from './routes/hours-week.js';
import { callListRoutes } from './routes/call-list.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: ApiConfig;
    catalogue: CatalogueCache;
    /** Each programme's settings (free-change hours, fees, …), kept as long as the catalogue. */
    settings: SettingsCache;
    /** Stripe clients per secret key; on the root instance, so the background jobs use them too. */
    stripe: StripeClients;
  }
}

const SECURITY_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
} as const;

/** Paths whose values never reach the log: credentials, tokens and city-pass numbers. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-device-token"]', 'res.headers["set-cookie"]',
  '*.password', '*.passwordHash', '*.password_hash', '*.refreshToken', '*.accessToken', '*.deviceToken',
  '*.passNumber', '*.pass_number', '*.token',
  // one level deeper, e.g. { body: { contact: { password } } } or { err: { meta: { token } } }
  '*.*.password', '*.*.passNumber', '*.*.refreshToken', '*.*.accessToken', '*.*.token', '*.*.stripeSecretKey', '*.*.stripeWebhookSecret',
  '*.stripeSecretKey', '*.stripeWebhookSecret', '*.stripe_secret_key', '*.stripe_webhook_secret',
];

export interface BuildOptions {
  db: Database;
  config: ApiConfig;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp({ db, config, logger }: BuildOptions) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
      plugins: [addFormats.default ?? addFormats],
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: Fastify also parses text/plain by default, which would turn a wrong content type
  // into a confusing validation error instead of 415.
  app.removeContentTypeParser('text/plain');

  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate('catalogue', new CatalogueCache(db, config.catalogueCacheSeconds * 1000));
  app.decorate('settings', new SettingsCache(db, config.catalogueCacheSeconds * 1000));
  app.decorate('stripe', new StripeClients(config));

  await app.register(errorsPlugin);
  // The headers @fastify/helmet sets by default (CSP aside: the API serves JSON and its docs page),
  // as constants. The plugin rebuilds its middleware on every request, which cost ~7% of a quote
  // in the benchmark profile; the answers are header for header the same.
  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(SECURITY_HEADERS);
  });
  await app.register(fastifyJwt, {
    secret: config.jwtSecret,
    sign: { algorithm: 'HS256' },
    // Only HS256: a token with `alg: none` or another algorithm is refused.
    verify: { algorithms: ['HS256'], cache: 10000, cacheTTL: 60000 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Buurtservice API', version: '0.1.0', description: 'Neighbourhood services paid with dienstencheques. Errors are `{ code, message }`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(accessPlugin);

  await app.register(healthRoutes);
  await app.register(areaRoutes);
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(catalogueRoutes);
  await app.register(householdRoutes);
  await app.register(organisationRoutes);
  await app.register(userRoutes);
  await app.register(walletRoutes);
  await app.register(invoiceRoutes);
  await app.register(paymentRoutes);
  await app.register(bookingRoutes);
  await app.register(seriesRoutes);
  await app.register(workerRoutes);
  await app.register(dispatchRoutes);
  await app.register(hoursRoutes);
  await app.register(experienceRoutes);
  await app.register(calendarRoutes);
  await app.register(confirmationRoutes);
  await app.register(hoursWeekRoutes);
  await app.register(callListRoutes);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
