import { createLogger } from 'vite';
import { defineConfig } from 'vitest/config';

// rrule ships an ESM build whose source maps point at files it does not ship; vitest inlines it
// and vite warns about every one of them on every run. Only that warning is dropped.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (message.startsWith('Sourcemap for ') && message.includes('/rrule/')) return;
  warn(message, options);
};

export default defineConfig({
  customLogger: logger,
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'db/src/**/*.test.ts', 'api/src/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/fault/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
