import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's chromium by default (Playwright's own browser download is never used here); another
// machine sets CHROMIUM_PATH, or falls back to a browser Playwright installed itself.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep a headless Chromium quiet in a container: no sandbox, GPU or background calls. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Playwright reads the configuration from the default export.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  // Two cores: each test runs a web host with its portal beside the browser.
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1200, height: 800 },
    colorScheme: 'light',
    // The specs write the screenshots worth keeping themselves, under docs/screenshots.
    screenshot: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
      args: CHROMIUM_ARGS,
    },
  },
});
