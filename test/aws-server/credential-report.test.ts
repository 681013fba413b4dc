import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { expireCredentialReport, setCredentialReportGenerationMs } from '../support/aws-server/iam-report';
import { parseCredentialReport } from '../../electron/core/inventory/report';
import { clientsFor, errorOf, startWithAlice } from './helpers';

describe('IAM credential reports', () => {
  it('says ReportNotPresent (410) before any report was generated', async () => {
    const { iam } = await startWithAlice();
    const e = await errorOf(iam.send(new GetCredentialReportCommand({})));
    expect(e.name).toBe('CredentialReportNotPresentException');
    expect(e.$metadata.httpStatusCode).toBe(410);
  });

  it('goes STARTED → INPROGRESS → COMPLETE, answering ReportInProgress (404) meanwhile', async () => {
    const { server, iam } = await startWithAlice();
    setCredentialReportGenerationMs(server.state, 300);
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    const e = await errorOf(iam.send(new GetCredentialReportCommand({})));
    expect(e.name).toBe('CredentialReportNotReadyException');
    expect(e.$metadata.httpStatusCode).toBe(404);
    await new Promise((r) => setTimeout(r, 350));
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime).toBeInstanceOf(Date);
    expect(report.Content).toBeInstanceOf(Uint8Array);
  });

  it('returns the account users and their keys as the documented CSV, never a secret', async () => {
    const { server, iam, credentials } = await startWithAlice();
    server.state.createUser('bob');
    const k1 = server.state.createAccessKey('bob', { createDate: new Date('2025-01-01T00:00:00Z') });
    server.state.createAccessKey('bob', { createDate: new Date('2026-02-01T00:00:00Z') });
    server.state.setAccessKeyStatus(k1.accessKeyId, 'Inactive');
    await iam.send(new GenerateCredentialReportCommand({}));
    const { Content } = await iam.send(new GetCredentialReportCommand({}));
    const csv = Buffer.from(Content!).toString('utf8');
    expect(csv.split('\n')[0]).toMatch(/^user,arn,user_creation_time,password_enabled,.*,cert_2_last_rotated$/);
    expect(csv).toContain('<root_account>,arn:aws:iam::123456789012:root');
    expect(csv).not.toContain(credentials.secretAccessKey);
    expect(csv).not.toContain(k1.secretAccessKey);
    const parsed = parseCredentialReport(csv);
    expect(parsed.keys.filter((k) => k.user === 'bob').map((k) => [k.keyIndex, k.active, k.lastRotated])).toEqual([
      [1, false, '2025-01-01T00:00:00.000Z'],
      [2, true, '2026-02-01T00:00:00.000Z'],
    ]);
  });

  it('says ReportExpired (410) for a report older than four hours', async () => {
    const { server, iam } = await startWithAlice();
    await iam.send(new GenerateCredentialReportCommand({}));
    expireCredentialReport(server.state);
    const e = await errorOf(iam.send(new GetCredentialReportCommand({})));
    expect(e.name).toBe('CredentialReportExpiredException');
    expect(e.$metadata.httpStatusCode).toBe(410);
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await iam.send(new GetCredentialReportCommand({}))).Content).toBeDefined();
  });

  it('refuses a user without iam:GenerateCredentialReport', async () => {
    const { server } = await startWithAlice();
    server.state.createUser('viewer', { allow: ['sts:*'] });
    const { iam } = clientsFor(server, server.state.createAccessKey('viewer'));
    const e = await errorOf(iam.send(new GenerateCredentialReportCommand({})));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toMatch(/iam:GenerateCredentialReport/);
  });
});
