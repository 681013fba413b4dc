import { defineConfig } from '@playwright/test';

// The real renderer build in Debian's Chromium, talking to the real main-process handlers
// through the loopback harness (test/e2e/harness.ts). Never downloads a browser.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: '.artifacts/playwright',
  // Temp folders of the run (vaults, delivered files) live in one folder, removed at its end.
  globalSetup: './test/e2e/run-tmp.global.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
