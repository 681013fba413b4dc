import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { Credential } from '../../shared/contract';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsKeyInput } from '../support/fixtures';
import { startHarness, type Harness } from './harness';

export const PASSPHRASE = 'e2e passphrase 12345';

export interface E2E {
  aws: AwsTestServer;
  harness: Harness;
  /** Stands in for the OS clipboard main writes to (Electron's clipboard in the app). */
  clipboard: { text: string };
  /** A fresh IAM user with one active key. */
  newKey: () => { accessKeyId: string; secretAccessKey: string; userName: string };
  /** Stores `key` (of the AWS test server) as a credential named `name`, unchecked. */
  addKey: (name: string, key: { accessKeyId: string; secretAccessKey: string }) => Credential;
}

/**
 * Each test gets its own AWS test server, its own vault and harness, and a page that
 * loads the real renderer build with the harness's bridge in place of preload.
 */
export const test = base.extend<{ e2e: E2E; app: Page }>({
  e2e: async ({}, use) => {
    const aws = await startAwsTestServer();
    const clipboard = { text: '' };
    const harness = await startHarness({
      clipboard: { writeText: (t) => void (clipboard.text = t), readText: () => clipboard.text },
      clipboardClearMs: 1500,
      vaultDir: join(mkdtempSync(join(tmpdir(), 'keyward-e2e-')), 'vault'),
      passphrase: PASSPHRASE,
      init: { keyProvider: 'passphrase', passphrase: PASSPHRASE },
      check: { timeoutMs: 3000 },
    });
    let n = 0;
    const newKey = () => {
      const userName = `e2e-user-${++n}`;
      aws.state.createUser(userName);
      return { ...aws.state.createAccessKey(userName), userName };
    };
    const addKey = (name: string, key: { accessKeyId: string; secretAccessKey: string }) => harness.core.credentials.add(awsKeyInput(name, key, aws.url));
    await use({ aws, harness, newKey, addKey, clipboard });
    await harness.close();
    await aws.close();
  },
  app: async ({ page, e2e }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.addInitScript({ content: e2e.harness.bridgeScript });
    await page.goto(e2e.harness.url);
    // The home page is chosen when the vault opens (by whether it holds credentials): wait for
    // that before a test adds any, or the choice would race the test's own setup.
    await page.waitForFunction(() => window.location.hash !== '' || document.querySelector('.gate-card') !== null);
    await use(page);
    // A CSP violation or an uncaught error in the page fails the test.
    expect(errors, 'page errors').toEqual([]);
  },
});

export { expect };
