/**
 * Browser tests of the Custom UI surfaces against the local Forge platform (Jira emulator, runtime, bridge).
 * Debian's chromium is used: `npx playwright install` cannot download browsers on these machines.
 */
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4010);
export const MOCK_PORT = Number(process.env.E2E_MOCK_PORT ?? 4011);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  // The tests share one local server (each spec file resets its site first): run them one after the other.
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'off',
  },
  webServer: [
    {
      command: `npx tsx local/cli/start.ts --port ${PORT} --site test/e2e/site.json`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // Canned answers at portfolio scale (200 destinations, ~5,000 epics) for the responsiveness test.
      command: `npx tsx test/e2e/mock/mock-server.ts --port ${MOCK_PORT}`,
      url: `http://127.0.0.1:${MOCK_PORT}/surface/destinations-portfolio/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
