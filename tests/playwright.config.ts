import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests against the whole app (built web + API + a fresh database), in Debian's
 * chromium: no browser download (never run `playwright install`). `scripts/ensure-chromium.ts`
 * makes sure it is there.
 *
 * BASE_URL=http://localhost:5173 runs the tests against an app you started yourself.
 */
// BROWSER_WEB_PORT / BROWSER_API_PORT: to run two suites side by side on one machine.
const WEB_PORT = Number(process.env.BROWSER_WEB_PORT ?? 3100);
const API_PORT = Number(process.env.BROWSER_API_PORT ?? 3101);
const externalBaseUrl = process.env.BASE_URL;
const baseURL = externalBaseUrl ?? `http://localhost:${WEB_PORT}`;

export default defineConfig({
  testDir: './browser',
  testMatch: '**/*.spec.ts',
  timeout: 30_000,
  expect: { timeout: 7_500 },
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    // axe is injected as an inline script; the app's Content-Security-Policy would block it.
    bypassCSP: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // The browser's own language is English: the site must still start in Dutch.
        locale: 'en-US',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  ],
  webServer: externalBaseUrl
    ? undefined
    : {
        // Starts a fresh database, migrates, seeds the demo data, the API, and the built web.
        command: `pnpm exec tsx ../scripts/start.ts --ephemeral --web-port ${WEB_PORT} --api-port ${API_PORT}`,
        url: `http://localhost:${WEB_PORT}/`,
        timeout: 180_000,
        reuseExistingServer: !process.env.CI,
        // The default is SIGKILL: start.ts would leave its temporary PostgreSQL and data directory behind.
        gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
