// System Parameters: typed values, write-only secrets, bindings that follow their
// credential, the audit trail, export without secrets.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import type { CredentialService } from '../../electron/core/credentials/service';
import { ParameterService } from '../../electron/core/parameters/service';
import type { Vault } from '../../electron/core/vault/vault';
import { awsFields, newVaultWithService, rawVaultBytes, removeTempDirs } from '../support/fixtures';

let vault: Vault;
let credentials: CredentialService;
let audit: AuditLog;
let params: ParameterService;

beforeEach(async () => {
  ({ vault, service: credentials } = await newVaultWithService());
  audit = new AuditLog(vault, 'desktop');
  params = new ParameterService(vault, credentials, audit);
});
afterAll(() => removeTempDirs());

describe('values by type', () => {
  it('accepts valid values and rejects invalid ones with a reason', () => {
    params.define({ key: 'RETRIES', type: 'number', group: 'App' });
    params.define({ key: 'ENABLED', type: 'boolean', group: 'App' });
    params.define({ key: 'MODE', type: 'choice', choices: ['s3', 'local'], group: 'App' });
    expect(params.set('RETRIES', '3').value).toBe('3');
    expect(params.set('ENABLED', 'yes').value).toBe('true');
    expect(params.set('MODE', 'local').value).toBe('local');
    expect(() => params.set('RETRIES', 'three')).toThrow(/not a number/);
    expect(() => params.set('ENABLED', 'maybe')).toThrow(/not true or false/);
    expect(() => params.set('MODE', 'ftp')).toThrow(/one of: s3, local/);
    expect(() => params.define({ key: '1bad key' })).toThrow(/not a parameter key/);
    expect(() => params.define({ key: 'PICK', type: 'choice' })).toThrow(/needs its choices/);
    expect(() => params.set('NEW_COUNT', 'lots', { type: 'number' })).toThrow(/not a number/);
    expect(params.list().map((p) => p.key)).not.toContain('NEW_COUNT'); // no half-made parameter
  });

  it('keeps a secret sealed, never returns it, and audits it as "changed" only', () => {
    params.define({ key: 'SECRET_IAM_KEY', type: 'secret', group: 'S3' });
    const p = params.set('SECRET_IAM_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(p).toMatchObject({ value: null, hasValue: true });
    expect(JSON.stringify(params.list())).not.toContain('wJalrXUtnFEMI');
    expect(rawVaultBytes(vault.path).includes(Buffer.from('wJalrXUtnFEMI'))).toBe(false);
    const [event] = audit.list({ action: 'parameter.changed' });
    expect(event.details).toEqual({ key: 'SECRET_IAM_KEY', value: 'changed' });
  });

  it('audits the old and new value of a non-secret', () => {
    params.set('S3_BUCKET', 'one', { group: 'S3' });
    params.set('S3_BUCKET', 'two');
    expect(audit.list({ action: 'parameter.changed' })[0].details).toEqual({ key: 'S3_BUCKET', before: 'one', after: 'two' });
  });
});

describe('bound parameters', () => {
  it('follow their credential through an edit, and refuse a direct value', () => {
    const cred = credentials.add({ name: 'app', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
    params.bind('IAM_ACCESS_KEY', cred.id, 'accessKeyId');
    params.bind('AWS_REGION', cred.id, 'region');
    params.bind('SECRET_IAM_KEY', cred.id, 'secretAccessKey');
    expect(params.get('IAM_ACCESS_KEY').value).toBe(cred.fields.accessKeyId);
    const edited = credentials.update({ id: cred.id, fields: { ...awsFields(), region: 'eu-west-1' } }, { verify: false });
    expect(params.get('IAM_ACCESS_KEY').value).toBe(edited.fields.accessKeyId);
    expect(params.get('AWS_REGION').value).toBe('eu-west-1');
    expect(params.get('SECRET_IAM_KEY')).toMatchObject({ type: 'secret', value: null, hasValue: true, boundTo: { field: 'secretAccessKey' } });
    expect(() => params.set('IAM_ACCESS_KEY', 'AKIAIOSFODNN7EXAMPLE')).toThrow(/bound/);
    expect(() => params.bind('AWS_REGION', cred.id, 'password')).toThrow(/FIELD is one of/);
    expect(params.repo.boundTo(cred.id).map((b) => b.key)).toEqual(['AWS_REGION', 'IAM_ACCESS_KEY', 'SECRET_IAM_KEY']);
  });

  it('are unbound when their credential is deleted', () => {
    const cred = credentials.add({ name: 'gone', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
    params.bind('IAM_ACCESS_KEY', cred.id, 'accessKeyId');
    credentials.delete(cred.id);
    expect(params.get('IAM_ACCESS_KEY').boundTo).toBeNull();
  });
});

describe('export and import', () => {
  it('exports a group without secrets and imports it under another group', () => {
    params.addTemplate('Synergist S3');
    params.set('S3_BUCKET', 'attachments');
    params.set('SECRET_IAM_KEY', 'a-very-secret-value');
    const out = params.exportGroup('Synergist S3');
    expect(JSON.stringify(out)).not.toContain('a-very-secret-value');
    expect(params.exportEnv('Synergist S3')).toContain('S3_BUCKET=attachments');
    params.delete('S3_BUCKET');
    params.importGroup(out);
    expect(params.get('S3_BUCKET').value).toBe('attachments');
    expect(params.get('SECRET_IAM_KEY').hasValue).toBe(true);
  });
});
