import { afterEach, describe, expect, it } from 'vitest';
import { checkAzure } from '../../electron/core/providers/azure/verify';
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import { fakeClock } from '../support/fake-clock';
import { awsFields, newVaultWithService, removeTempDirs } from '../support/fixtures';

// Core asks the clock port for the time: what it records and what it judges by a date
// follow the clock it is given, not the machine's.

afterEach(() => removeTempDirs());

describe('the clock port', () => {
  it('stamps a new credential and its audit event with the clock it is given', async () => {
    const clock = fakeClock('2031-02-03T04:05:06.000Z');
    const { vault } = await newVaultWithService();
    const audit = new AuditLog(vault, 'cli', clock);
    const service = new CredentialService(vault, new EventBus(), { audit, clock });
    const added = service.add({ name: 'timed', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
    expect(added.createdAt).toBe('2031-02-03T04:05:06.000Z');
    expect(added.updatedAt).toBe('2031-02-03T04:05:06.000Z');
    expect(audit.list({ action: 'credential' })[0]).toMatchObject({ action: 'credential.created', at: '2031-02-03T04:05:06.000Z' });
    vault.close();
  });

  it('judges a recorded expiry date by the clock: passed at the fake date, not yet today', async () => {
    const fields = { tenantId: '11111111-2222-3333-4444-555555555555', clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', authorityHost: 'http://127.0.0.1:1', expiresAt: '2030-06-01' };
    const opts = { timeoutMs: 500, maxAttempts: 1 };
    const later = await checkAzure(fields, { clientSecret: 'Xy98Q~secret-value-000000000000000000' }, { ...opts, clock: fakeClock('2031-01-01T00:00:00.000Z') });
    expect(later.status).toBe('UNREACHABLE');
    expect(later.status !== 'VALID' && later.error.message).toContain('2030-06-01, has passed');
    const today = await checkAzure(fields, { clientSecret: 'Xy98Q~secret-value-000000000000000000' }, opts);
    expect(today.status !== 'VALID' && today.error.message).not.toContain('has passed');
  });
});
