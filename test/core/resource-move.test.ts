// Reassigning resources to another credential (EntryGuard's "reassign the affected
// resources to the new credential"), the form's Test connection before saving, and the
// support report: real SQLite, the AWS test server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { supportReport } from '../../electron/core/credentials/support-report';
import { KeywardError } from '../../electron/core/errors';
import { startResourceWorld, stopResourceWorld, type ResourceWorld } from '../support/resource-world';

const SG = 'sg-0123456789abcdef0';
const SG2 = 'sg-0fedcba9876543210';
const CHECK = { timeoutMs: 3000, maxAttempts: 1 };

let { vault, aws, audit, creds, resources } = {} as ResourceWorld;
let n = 0;

beforeAll(async () => void ({ vault, aws, audit, creds, resources } = await startResourceWorld(CHECK)));
afterAll(() => stopResourceWorld({ vault, aws }));

beforeEach(() => {
  aws.state.reset();
  aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
  aws.state.addSecurityGroup({ groupId: SG2, region: 'us-east-1' });
});

function keyOf(user: string) {
  aws.state.createUser(user, { allow: ['*'] });
  return aws.state.createAccessKey(user);
}

function addAws(key: { accessKeyId: string; secretAccessKey: string }): Credential {
  return creds.add({ name: `aws-${++n}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { ...key, region: 'us-east-1', endpointUrl: aws.url }, verify: false });
}

const lastEvents = (action: string) => audit.list({ action, limit: 50 });

describe('resource move', () => {
  it('moves all of a rotated-away credential’s resources to the new one, verifies them there, and audits each', async () => {
    const oldKey = keyOf(`old-${n}`);
    const old = addAws(oldKey);
    const fresh = addAws(keyOf(`new-${n}`));
    const a = resources.add({ credential: old.id, groupId: SG });
    const b = resources.add({ credential: old.id, groupId: SG2 });
    aws.state.deleteAccessKey(oldKey.accessKeyId);
    expect((await resources.verify(a.id)).status).toBe('INVALID');

    const moved = await resources.move({ from: old.name, to: fresh.name });
    expect(moved.map((r) => [r.id, r.credentialId, r.status])).toEqual([
      [a.id, fresh.id, 'VALID'],
      [b.id, fresh.id, 'VALID'],
    ]);
    expect(resources.list(old.id)).toEqual([]);
    const events = lastEvents('resource.moved').filter((e) => e.credentialId === fresh.id);
    expect(events.map((e) => e.details)).toEqual(expect.arrayContaining([expect.objectContaining({ resourceId: a.id, from: old.name, to: fresh.name, fromCredentialId: old.id })]));
    expect(events).toHaveLength(2);
  });

  it('moves the resources named by id (or the 8-character prefix the CLI shows), leaving the others', async () => {
    const from = addAws(keyOf(`f-${n}`));
    const to = addAws(keyOf(`t-${n}`));
    const a = resources.add({ credential: from.id, groupId: SG });
    const b = resources.add({ credential: from.id, groupId: SG2 });
    const [moved] = await resources.move({ ids: [a.id.slice(0, 8)], to: to.id });
    expect(moved).toMatchObject({ id: a.id, credentialId: to.id, status: 'VALID' });
    expect(resources.find(b.id).credentialId).toBe(from.id);
  });

  it('moves nothing when the target already holds one of the groups, or is another provider', async () => {
    const from = addAws(keyOf(`c-${n}`));
    const to = addAws(keyOf(`d-${n}`));
    const a = resources.add({ credential: from.id, groupId: SG });
    const b = resources.add({ credential: from.id, groupId: SG2 });
    resources.add({ credential: to.id, groupId: SG2 });
    const before = lastEvents('resource.moved').length;
    const err = await resources.move({ ids: [a.id, b.id], to: to.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywardError);
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`${SG2} in us-east-1 is already registered under "${to.name}"`) });
    expect(resources.find(a.id).credentialId).toBe(from.id);
    expect(lastEvents('resource.moved')).toHaveLength(before);

    const apisix = creds.add({ name: `gw-${++n}`, provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:9', adminApiKey: 'k'.repeat(32) }, verify: false });
    await expect(resources.move({ ids: [a.id], to: apisix.id })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is APISIX') });
    await expect(resources.move({ to: to.id })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('Test connection before saving', () => {
  it('checks unsaved fields with the provider’s check and stores nothing; an edit keeps the stored secret', async () => {
    const key = keyOf(`u-${n}`);
    const count = creds.list().length;
    const ok = await creds.testUnsaved({ provider: 'AWS', fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url } });
    expect(ok).toMatchObject({ status: 'VALID', identity: expect.objectContaining({ arn: expect.stringContaining(`u-${n}`) }) });
    const bad = await creds.testUnsaved({ provider: 'AWS', fields: { accessKeyId: key.accessKeyId, secretAccessKey: 'x'.repeat(40), region: 'us-east-1', endpointUrl: aws.url } });
    expect(bad.status).toBe('INVALID');
    expect(bad.diagnosis?.cause).toBeTruthy();
    expect(creds.list()).toHaveLength(count);

    const saved = addAws(key);
    const edited = await creds.testUnsaved({ id: saved.id, provider: 'AWS', fields: { secretAccessKey: '', region: 'eu-west-1' } });
    expect(edited.status).toBe('VALID');
    expect(creds.get(saved.id)).toMatchObject({ status: 'UNVERIFIED', fields: expect.objectContaining({ region: 'us-east-1' }) });
    const tested = lastEvents('credential.tested');
    expect(JSON.stringify(tested)).not.toContain(key.secretAccessKey);
  });

  it('refuses fields the provider would reject, as Save does', async () => {
    await expect(creds.testUnsaved({ provider: 'AWS', fields: { accessKeyId: 'nope', secretAccessKey: 'x' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('support report', () => {
  it('gives name, provider, type, status, error, diagnosis, test command and version, never the secret, key ids masked', async () => {
    const key = keyOf(`r-${n}`);
    const c = addAws(key);
    aws.state.deleteAccessKey(key.accessKeyId);
    const checked = await creds.verify(c.id);
    const text = supportReport(checked);
    expect(text).toMatch(/^Keyward \d+\.\d+\.\d+ support report/);
    for (const part of [
      `Credential:   ${c.name}`,
      'Provider:     AWS',
      'Type:         ACCESS_KEY',
      'Status:       INVALID',
      `Error:        ${checked.error!.code}`,
      'Diagnosis:',
      'Test command: aws sts get-caller-identity',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain(key.secretAccessKey);
    expect(text).not.toContain(key.accessKeyId);
    expect(text).toContain(`${key.accessKeyId.slice(0, 4)}************${key.accessKeyId.slice(-4)}`);
  });
});
