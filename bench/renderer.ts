import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startHarness } from '../test/e2e/harness';
import { credentialReportCsv, type ReportUser } from '../test/support/credential-report';
import { figure, type Figure } from './report';

// The real renderer build in Chromium with 10,000 credentials, through the loopback
// harness: first paint of the table after the list arrives, and filter keystroke → paint.

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function benchRenderer(): Promise<Figure[]> {
  const N = 10_000;
  const harness = await startHarness({
    vaultDir: join(mkdtempSync(join(tmpdir(), 'keyward-bench-ui-')), 'vault'),
    passphrase: 'bench passphrase 123',
    init: { keyProvider: 'passphrase', passphrase: 'bench passphrase 123' },
  });
  const core = harness.core;
  const users: ReportUser[] = [];
  for (let i = 0; i < N; i++) {
    const c = core.credentials.add({
      name: `cred-${String(i).padStart(5, '0')} ${i % 7 === 0 ? 'prod' : 'dev'}`,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: `AKIA${String(i).padStart(16, '0')}`, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      verify: false,
    });
    // Half are verified IAM users with a key in a 5,000-user credential report, so the
    // Inventory page has key ages, a chart and the next rotations due.
    if (i < N / 2) {
      core.credentials.repo.recordCheck(c.id, {
        status: 'VALID',
        identity: { account: '123456789012', arn: `arn:aws:iam::123456789012:user/user-${i}`, userId: 'AIDA' },
        error: null,
        diagnosis: null,
        at: new Date().toISOString(),
      });
      users.push({ user: `user-${i}`, keys: [{ active: true, lastRotated: new Date(Date.now() - (i % 200) * 86_400_000).toISOString(), lastUsed: null, region: null, service: null }] });
    }
  }
  core.reports.import(credentialReportCsv(users), { source: 'file' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: harness.bridgeScript });
    // Timestamps taken inside the page: when the list's response ended, and the frame
    // after the first row appeared in the DOM.
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRowPaint?: number };
      new MutationObserver((_m, obs) => {
        if (document.querySelector('[data-credential-id]')) {
          obs.disconnect();
          requestAnimationFrame(() => requestAnimationFrame((t) => (w.__firstRowPaint = t)));
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${harness.url}#/credentials`);
    await page.waitForFunction(() => (window as unknown as { __firstRowPaint?: number }).__firstRowPaint !== undefined, null, { timeout: 60_000 });
    const firstPaint = await page.evaluate(() => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/__harness/ipc/credentials.list')) as PerformanceResourceTiming | undefined;
      if (!entry) throw new Error('no credentials.list request seen');
      return (window as unknown as { __firstRowPaint: number }).__firstRowPaint - entry.responseEnd;
    });

    // Filter keystrokes: from the keydown to the frame after the counter changed.
    const search = page.getByLabel('Search credentials');
    await search.click();
    const samples: number[] = [];
    // Every key here changes how many rows match, so each one repaints the table.
    for (const ch of ['1', '2', '3', '4', 'Backspace', 'Backspace', 'Backspace', '7', '7', 'Backspace', 'Backspace', 'Backspace']) {
      const before = await page.getByTestId('credential-count').textContent();
      await page.evaluate(() => {
        const w = window as unknown as { __keyAt?: number; __paintAt?: number };
        w.__paintAt = undefined;
        const input = document.querySelector('input[aria-label="Search credentials"]');
        input?.addEventListener('keydown', (e) => (w.__keyAt = e.timeStamp), { once: true, capture: true });
        const counter = document.querySelector('[data-testid="credential-count"]')!;
        new MutationObserver((_m, obs) => {
          obs.disconnect();
          requestAnimationFrame(() => requestAnimationFrame((t) => (w.__paintAt = t)));
        }).observe(counter, { childList: true, subtree: true, characterData: true });
      });
      await page.keyboard.press(ch);
      await page.waitForFunction((b) => document.querySelector('[data-testid="credential-count"]')?.textContent !== b, before, { timeout: 10_000 }).catch(() => undefined);
      const ms = await page
        .waitForFunction(
          () => {
            const w = window as unknown as { __keyAt?: number; __paintAt?: number };
            return w.__paintAt !== undefined && w.__keyAt !== undefined ? w.__paintAt - w.__keyAt : null;
          },
          null,
          { timeout: 10_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      if (typeof ms === 'number') samples.push(ms);
    }
    if (samples.length < 5) throw new Error(`only ${samples.length} keystroke samples`);
    samples.sort((a, b) => a - b);

    // The Inventory page: from the click on its link to the frame after its figures and
    // key-age chart are in the DOM (the summary is computed in main over all 10,000).
    await page.evaluate(() => {
      const w = window as unknown as { __invStart?: number; __invPaint?: number };
      new MutationObserver((_m, obs) => {
        if (document.querySelector('[aria-label="Figures"]') && document.querySelector('.recharts-bar-rectangle')) {
          obs.disconnect();
          requestAnimationFrame(() => requestAnimationFrame((t) => (w.__invPaint = t)));
        }
      }).observe(document, { childList: true, subtree: true });
      document.addEventListener('click', (e) => (w.__invStart = e.timeStamp), { once: true, capture: true });
    });
    await page.getByRole('link', { name: 'Inventory' }).click();
    const inventoryMs = await page
      .waitForFunction(
        () => {
          const w = window as unknown as { __invStart?: number; __invPaint?: number };
          return w.__invPaint !== undefined && w.__invStart !== undefined ? w.__invPaint - w.__invStart : null;
        },
        null,
        { timeout: 30_000 },
      )
      .then((h) => h.jsonValue() as Promise<number>);
    const median = samples[Math.floor(samples.length / 2)];
    const worst = samples[samples.length - 1];
    return [
      figure(`renderer: first paint of the table with ${N} rows after the data arrives`, firstPaint, 300, 'ms'),
      figure(`renderer: filter keystroke to next paint, median of ${samples.length}`, median, 50, 'ms'),
      figure(`renderer: filter keystroke to next paint, worst of ${samples.length}`, worst, 100, 'ms'),
      figure(`renderer: Inventory page with ${N} credentials (5,000-user report), click to painted chart`, inventoryMs, 300, 'ms'),
    ];
  } finally {
    await browser.close();
    await harness.close();
  }
}
