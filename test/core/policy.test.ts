// The IAM policy generator, checked against IAM's grammar: the AWS test server's
// CreatePolicy validates documents as IAM does, and is called through the real SDK.
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import { generatePolicy, MANAGED_POLICY_MAX_CHARS, partitionOf, policySize, splitPolicy } from '../../electron/core/policy/generate';
import { PolicyService } from '../../electron/core/policy/service';
import { ResourceService } from '../../electron/core/resources/service';
import { Vault } from '../../electron/core/vault/vault';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { fastProvider, removeTempDirs, tempDir } from '../support/fixtures';

let aws: AwsTestServer;
let iam: IAMClient;
let created = 0;

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
});
afterAll(async () => {
  await aws.close();
  removeTempDirs();
});
beforeEach(() => {
  aws.state.reset();
  aws.state.createUser('admin', { allow: ['*'] });
  iam = new IAMClient({ endpoint: aws.url, region: 'us-east-1', credentials: aws.state.createAccessKey('admin'), maxAttempts: 1 });
});

async function createPolicy(document: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  try {
    await iam.send(new CreatePolicyCommand({ PolicyName: `p${++created}`, PolicyDocument: document }));
    return { ok: true };
  } catch (e) {
    const err = e as { name: string; message: string };
    return { ok: false, code: err.name, message: err.message };
  }
}

const hex17 = (i: number) => `sg-${i.toString(16).padStart(17, '0')}`;

describe('generatePolicy', () => {
  it('grants exactly what the issue lists, with partitioned ARNs and the verified account', async () => {
    const { document, notes } = generatePolicy({
      groups: [
        { groupId: 'sg-0123456789abcdef0', region: 'us-east-1', account: '111122223333' },
        { groupId: 'sg-0a1b2c3d', region: 'cn-north-1', account: '444455556666' },
        { groupId: 'sg-0a1b2c3e', region: 'us-gov-east-1', account: '777788889999' },
      ],
      rotation: [{ account: '111122223333', region: 'us-east-1' }],
    });
    expect(notes).toEqual([]);
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ManageIngressOnRegisteredGroups',
          Effect: 'Allow',
          Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
          Resource: [
            'arn:aws-cn:ec2:cn-north-1:444455556666:security-group/sg-0a1b2c3d',
            'arn:aws-us-gov:ec2:us-gov-east-1:777788889999:security-group/sg-0a1b2c3e',
            'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0',
          ],
        },
        { Sid: 'DescribeSecurityGroups', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroups'], Resource: '*' },
        { Sid: 'VerifyIdentity', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
        {
          Sid: 'RotateOwnAccessKeys',
          Effect: 'Allow',
          // From the rotation's step table: the actions its steps and rollback call (no iam:GetUser: no step calls it).
          Action: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:DeleteAccessKey', 'iam:CreateAccessKey', 'iam:UpdateAccessKey'],
          Resource: 'arn:aws:iam::111122223333:user/${aws:username}',
        },
      ],
    });
    expect(await createPolicy(JSON.stringify(document, null, 2))).toEqual({ ok: true });
    expect(partitionOf('eu-west-1')).toBe('aws');
  });

  it('uses * for the account of a credential never verified, and says so', async () => {
    const { document, notes } = generatePolicy({ groups: [{ groupId: 'sg-0a1b2c3d', region: 'us-east-1', account: null }], rotation: [] });
    expect(document.Statement[0].Resource).toBe('arn:aws:ec2:us-east-1:*:security-group/sg-0a1b2c3d');
    expect(notes[0]).toMatch(/never verified/);
    expect(await createPolicy(JSON.stringify(document))).toEqual({ ok: true });
  });

  it('splits a policy over 6,144 characters into parts that IAM each accepts', async () => {
    const groups = Array.from({ length: 200 }, (_, i) => ({ groupId: hex17(i), region: 'us-east-1', account: '111122223333' }));
    const { document } = generatePolicy({ groups, rotation: [] });
    expect(policySize(document)).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    expect(await createPolicy(JSON.stringify(document))).toMatchObject({ ok: false, code: 'LimitExceededException', message: 'Cannot exceed quota for PolicySize: 6144' });
    const parts = splitPolicy(document);
    expect(parts.length).toBeGreaterThan(1);
    const arns = parts.flatMap((p) => p.Statement.filter((s) => s.Sid.startsWith('ManageIngress')).flatMap((s) => ([] as string[]).concat(s.Resource)));
    expect(new Set(arns).size).toBe(200);
    for (const p of parts) {
      expect(policySize(p)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
      expect(await createPolicy(JSON.stringify(p, null, 2))).toEqual({ ok: true });
    }
  });
});

describe('the test server validates policy documents as IAM does', () => {
  const ok = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] };
  const cases: Array<[string, string, string]> = [
    ['not JSON', '{"Version":', 'Syntax errors in policy.'],
    ['an unknown version', JSON.stringify({ ...ok, Version: '2012-10-18' }), 'The policy failed legacy parsing'],
    ['no Effect', JSON.stringify({ Version: '2012-10-17', Statement: { Action: 'sts:*', Resource: '*' } }), 'Missing required field Effect'],
    ['a bad Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 'sts:*', Resource: '*' }] }), 'Invalid effect: allow'],
    [
      'an action without vendor',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'DescribeSecurityGroups', Resource: '*' }] }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    ['no actions', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Policy statement must contain actions.'],
    ['no resources', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*' }] }), 'Policy statement must contain resources.'],
    [
      'a resource that is not an ARN',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: 'sg-0a1b2c3d' }] }),
      'Resource sg-0a1b2c3d must be in ARN format or "*".',
    ],
    ['a principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:*', Resource: '*' }] }), 'Policy document should not specify a principal.'],
    [
      'a non-alphanumeric Sid',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'a-b', Effect: 'Allow', Action: 'sts:*', Resource: '*' }] }),
      'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    ],
  ];
  it.each(cases)('refuses %s with MalformedPolicyDocument (the SDK: MalformedPolicyDocumentException)', async (_what, doc, message) => {
    expect(await createPolicy(doc)).toEqual({ ok: false, code: 'MalformedPolicyDocumentException', message });
  });
  it('accepts a single Statement object and NotAction', async () => {
    expect(await createPolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: ['iam:*'], Resource: '*' } }))).toEqual({ ok: true });
  });
});

describe('PolicyService', () => {
  it('includes the access-key actions for a credential with a self-rotation journal, or when asked', async () => {
    const vault = await Vault.init(tempDir(), fastProvider());
    try {
      const audit = new AuditLog(vault, 'cli');
      const creds = new CredentialService(vault, new EventBus(), { audit });
      const resources = new ResourceService(vault, creds, audit, { timeoutMs: 1000, maxAttempts: 1 });
      const policy = new PolicyService(vault, creds, resources.repo);
      const c = creds.add({ name: 'a', provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'x'.repeat(40), region: 'us-east-1' }, verify: false });
      creds.repo.recordCheck(c.id, {
        status: 'VALID',
        identity: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/a', userId: 'AIDA' },
        error: null,
        diagnosis: null,
        at: new Date().toISOString(),
      });
      resources.add({ credential: 'a', groupId: 'sg-0a1b2c3d' });
      const plain = policy.generate({ credential: 'a' });
      expect(plain.document.Statement.map((s) => s.Sid)).toEqual(['ManageIngressOnRegisteredGroups', 'DescribeSecurityGroups', 'VerifyIdentity']);
      expect(plain.document.Statement[0].Resource).toBe('arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d');
      expect(policy.generate({ credential: 'a', withRotation: true }).rotation).toEqual([{ credential: 'a', reason: 'asked' }]);
      const hasJournal = vault.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rotations'").get();
      if (hasJournal) {
        const now = new Date().toISOString();
        vault.db
          .prepare(
            `INSERT INTO rotations (id, credential_id, acting_credential_id, user_name, state, phase, keys_at_start, created_at, updated_at) VALUES ('r1', ?, NULL, 'a', 'DONE', 'done', '[]', ?, ?)`,
          )
          .run(c.id, now, now);
        const rotated = policy.generate({ credential: 'a' });
        expect(rotated.rotation).toEqual([{ credential: 'a', reason: 'journal' }]);
        expect(rotated.document.Statement.at(-1)?.Resource).toBe('arn:aws:iam::111122223333:user/${aws:username}');
      }
    } finally {
      vault.close();
    }
  });
});
