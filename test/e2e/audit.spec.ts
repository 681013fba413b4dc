import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('the Audit Logs page pages over 100,000 events, filters, verifies the chain and exports', async ({ app, e2e }) => {
  test.setTimeout(240_000);
  const core = e2e.harness.core;
  const c = core.credentials.add({ name: 'Seeded', provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:9', adminApiKey: 'k'.repeat(32) }, verify: false });
  const db = core.openVault.db;
  db.transaction(() => {
    for (let i = 1; i <= 100_000; i++) {
      core.audit.append(i % 10 === 0 ? 'resource.verified' : 'credential.verified', {
        credentialId: i % 2 === 0 ? c.id : null,
        details: { i, note: i === 7 ? 'comma, "quote"\nnewline' : `event ${i}` },
      });
    }
  })();
  const total = core.audit.verify();
  expect(total.ok).toBe(true);

  await app.goto(`${e2e.harness.url}#/audit`);
  const table = app.getByRole('table', { name: 'Audit events' });
  await expect(table.getByRole('row')).toHaveCount(101);
  await expect(table.getByRole('row').nth(1)).toHaveAttribute('data-seq', String(total.events));
  await app.getByRole('button', { name: 'Older' }).click();
  await expect(table.getByRole('row').nth(1)).toHaveAttribute('data-seq', String(total.events - 100));
  await app.getByRole('button', { name: 'Newer' }).click();
  await expect(table.getByRole('row').nth(1)).toHaveAttribute('data-seq', String(total.events));

  const filters = app.getByRole('form', { name: 'Filter audit events' });
  await filters.getByLabel('Action', { exact: true }).selectOption('resource.verified');
  await filters.getByLabel('Credential', { exact: true }).selectOption(c.id);
  await expect(table.getByRole('row').nth(1)).toContainText('resource.verified');
  const rows = await table.getByRole('row').allInnerTexts();
  expect(rows.slice(1).every((r) => r.includes('resource.verified') && r.includes('Seeded'))).toBe(true);
  // The filter applies as it changes; a group takes every action of a feature.
  await filters.getByLabel('Action', { exact: true }).selectOption({ label: 'All credential events' });
  await filters.getByLabel('Credential', { exact: true }).selectOption('');
  await expect(table.getByRole('row').nth(1)).toContainText('credential.verified');
  // Local times, one Tab stop per date; a half-typed date waits instead of filtering.
  await expect(table.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await filters.getByLabel('From').fill('2099-01');
  await expect(filters.getByText('Type a date as 2026-12-01')).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText('credential.verified');
  // A time range in the future matches nothing.
  await filters.getByLabel('From').fill('2099-01-01 00:00');
  await expect(app.getByText('No audit events match.')).toBeVisible();
  await filters.getByLabel('From').fill('');
  await filters.getByLabel('Action', { exact: true }).selectOption('');
  await filters.getByLabel('Credential', { exact: true }).selectOption('');

  await app.getByRole('button', { name: 'Verify chain' }).click();
  await expect(app.getByTestId('chain-status')).toHaveText(`Chain intact: ${total.events} event(s) verified.`, { timeout: 30_000 });

  // Export CSV: the whole filtered log, with a field that needs quoting escaped.
  await filters.getByLabel('Action', { exact: true }).selectOption('credential.verified');
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('seq,at,actor,action,credentialId,details');
  expect(csv).toContain('"{""i"":7,""note"":""comma, \\""quote\\""\\nnewline""}"');
  expect(csv.match(/,credential\.verified,/g)?.length).toBe(90_000);

  // Tamper with a row: the page names it.
  db.exec('DROP TRIGGER audit_no_update');
  db.prepare('UPDATE audit_events SET details = \'{"i":99990}\' WHERE seq = ?').run(total.events - 5);
  await app.getByRole('button', { name: 'Verify chain' }).click();
  await expect(app.getByTestId('chain-status')).toContainText(`Chain broken at event ${total.events - 5}`, { timeout: 30_000 });
  await app.screenshot({ path: test.info().outputPath('audit.png'), fullPage: true });
});
