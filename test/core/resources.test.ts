// Resources (security groups), their capacity checks and the context checks that turn an
// error code into a cause: all through the real AWS SDK against the AWS test server.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../shared/contract';
import { accessDenied } from '../../electron/core/diagnosis/context';
import { KeywardError } from '../../electron/core/errors';
import { startResourceWorld, stopResourceWorld, type ResourceWorld } from '../support/resource-world';

const SG = 'sg-0123456789abcdef0';
const CHECK = { timeoutMs: 3000, maxAttempts: 1 };

let { vault, aws, audit, creds, resources } = {} as ResourceWorld;
let n = 0;

beforeAll(async () => void ({ vault, aws, audit, creds, resources } = await startResourceWorld(CHECK)));
afterAll(() => stopResourceWorld({ vault, aws }));

beforeEach(() => {
  aws.state.reset();
  aws.faults.clear();
  aws.requests.length = 0;
});

function addAws(k: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1', endpointUrl = aws.url): Credential {
  return creds.add({ name: `aws-${++n}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { ...k, region, endpointUrl }, verify: false });
}

function userWithKey(name: string, allow: string[] = ['*']) {
  aws.state.createUser(name, { allow });
  return aws.state.createAccessKey(name);
}

describe('resources', () => {
  it('registers a group under an AWS credential, validating the id and region, and audits it', () => {
    const c = addAws(userWithKey('alice'), 'eu-west-1');
    for (const bad of ['sg-123', 'sg-0123456789ABCDEF0', 'sg-0123456789abcdef', 'g-01234567', 'sg-0123456789abcdef01']) {
      expect(() => resources.add({ credential: c.name, groupId: bad })).toThrow(/not a security group id/);
    }
    expect(() => resources.add({ credential: c.name, groupId: SG, region: 'mars-1' })).toThrow(/not an AWS region/);
    const r = resources.add({ credential: c.name, groupId: 'sg-0a1b2c3d' });
    expect(r).toMatchObject({ credentialId: c.id, kind: 'AWS_SECURITY_GROUP', groupId: 'sg-0a1b2c3d', region: 'eu-west-1', status: 'UNVERIFIED', lastCheckedAt: null });
    const r17 = resources.add({ credential: c.id, groupId: SG, region: 'us-west-2' });
    expect(r17.region).toBe('us-west-2');
    expect(() => resources.add({ credential: c.id, groupId: SG, region: 'us-west-2' })).toThrow(KeywardError);
    expect(resources.list(c.name).map((x) => x.id)).toEqual([r.id, r17.id]);
    const [event] = audit.list({ action: 'resource.added', credentialId: c.id, limit: 1 });
    expect(event.details).toMatchObject({ groupId: SG, region: 'us-west-2' });
  });

  it('is VALID when DescribeSecurityGroups finds the group in its region with its credential', async () => {
    aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
    const c = addAws(userWithKey('bob', ['ec2:DescribeSecurityGroups']));
    const r = await resources.verify(resources.add({ credential: c.id, groupId: SG }).id);
    expect(r.status).toBe('VALID');
    expect(r.error).toBeNull();
    expect(r.lastCheckedAt).not.toBeNull();
    const call = aws.requests.find((q) => q.action === 'DescribeSecurityGroups');
    expect(call).toMatchObject({ region: 'us-east-1', status: 200 });
  });

  it('region mismatch: finds the group in another region, says so, and the fix makes it VALID', async () => {
    aws.state.addSecurityGroup({ groupId: SG, region: 'us-west-2' });
    const c = addAws(userWithKey('carol'));
    const r = await resources.verify(resources.add({ credential: c.id, groupId: SG }).id);
    expect(r.status).toBe('INVALID');
    expect(r.error?.code).toBe('InvalidGroup.NotFound');
    expect(r.diagnosis?.found).toBe(`${SG} exists in us-west-2, but the resource’s and the credential’s region is us-east-1.`);
    expect(r.diagnosis?.cause).toMatch(/Region mismatch/);
    expect(r.diagnosis?.fix).toEqual({ kind: 'resource-region', resourceId: r.id, region: 'us-west-2' });
    expect(r.diagnosis?.test).toBe(`aws ec2 describe-security-groups --group-ids ${SG} --region us-west-2`);
    // Only the aws partition was searched (no GovCloud or China region).
    const searched = new Set(aws.requests.filter((q) => q.action === 'DescribeSecurityGroups').map((q) => q.region));
    expect([...searched].some((x) => x?.startsWith('us-gov-') || x?.startsWith('cn-'))).toBe(false);
    const fixed = resources.setRegion(r.id, r.diagnosis!.fix!.region);
    expect(fixed).toMatchObject({ region: 'us-west-2', status: 'UNVERIFIED' });
    expect((await resources.verify(r.id)).status).toBe('VALID');
    expect(audit.list({ action: 'resource.edited', limit: 1 })[0].details).toMatchObject({ before: { region: 'us-east-1' }, after: { region: 'us-west-2' } });
  });

  it('a group that exists nowhere is INVALID with the not-found diagnosis', async () => {
    const c = addAws(userWithKey('dave'));
    const r = await resources.verify(resources.add({ credential: c.id, groupId: SG }).id);
    expect(r.status).toBe('INVALID');
    expect(r.diagnosis?.cause).toMatch(/does not exist/);
    expect(r.diagnosis?.fix).toBeUndefined();
  });

  it('AccessDenied names the missing permission and shows the policy that grants it', async () => {
    aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
    const c = addAws(userWithKey('erin', ['sts:GetCallerIdentity']));
    const r = await resources.verify(resources.add({ credential: c.id, groupId: SG }).id);
    expect(r.status).toBe('INVALID');
    expect(r.error?.code).toBe('UnauthorizedOperation');
    expect(r.diagnosis?.missingPermission).toBe('ec2:DescribeSecurityGroups');
    expect(r.diagnosis?.cause).toMatch(/does not allow ec2:DescribeSecurityGroups/);
    expect(r.diagnosis?.policy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'GrantMissingPermission', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroups'], Resource: '*' }],
    });
  });

  it('AccessDenied with an encoded authorization message is decoded with sts:DecodeAuthorizationMessage when allowed', async () => {
    aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
    const k = userWithKey('frank', ['ec2:DescribeSecurityGroups', 'sts:DecodeAuthorizationMessage']);
    const parts = { ...k, region: 'us-east-1', endpointUrl: aws.url };
    const ec2 = new EC2Client({ endpoint: aws.url, region: 'us-east-1', credentials: k, maxAttempts: 1 });
    const err = (await ec2
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }))
      .catch((e: unknown) => e)) as { name: string; message: string };
    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.message).toMatch(/Encoded authorization failure message/);
    const d = await accessDenied(parts, { code: err.name, message: err.message }, 'ec2:AuthorizeSecurityGroupIngress', CHECK);
    expect(d.missingPermission).toBe('ec2:AuthorizeSecurityGroupIngress');
    expect(d.found).toMatch(/decoded authorization message/);
    expect(d.found).toContain(`security-group/${SG}`);
    expect(aws.requests.some((q) => q.action === 'DecodeAuthorizationMessage' && q.status === 200)).toBe(true);
    // Without the permission the message is not decoded, but the permission is still named.
    aws.state.setUserPolicy('frank', { allow: ['ec2:DescribeSecurityGroups'] });
    const plain = await accessDenied(parts, { code: err.name, message: err.message }, 'ec2:AuthorizeSecurityGroupIngress', CHECK);
    expect(plain.missingPermission).toBe('ec2:AuthorizeSecurityGroupIngress');
    expect(plain.found).not.toMatch(/decoded/);
  });

  it('a closed port is UNREACHABLE, never INVALID', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = addAws(userWithKey('gina'), 'us-east-1', `http://127.0.0.1:${port}`);
    const r = await resources.verify(resources.add({ credential: c.id, groupId: SG }).id);
    expect(r.status).toBe('UNREACHABLE');
    expect(r.error?.code).toBe('ECONNREFUSED');
  });

  it('deleting a credential deletes its resources and the audit event lists them', async () => {
    const c = addAws(userWithKey('hal'));
    const a = resources.add({ credential: c.id, groupId: SG });
    const b = resources.add({ credential: c.id, groupId: 'sg-0a1b2c3d', region: 'us-west-1' });
    expect(creds.resourcesOf(c.id).map((r) => r.id)).toEqual([a.id, b.id]);
    const result = creds.delete(c.id);
    expect(result.resources).toEqual([
      { id: a.id, groupId: SG, region: 'us-east-1' },
      { id: b.id, groupId: 'sg-0a1b2c3d', region: 'us-west-1' },
    ]);
    expect(resources.repo.get(a.id)).toBeNull();
    expect(resources.repo.get(b.id)).toBeNull();
    const [event] = audit.list({ action: 'credential.deleted', credentialId: c.id });
    expect(event.details.resources).toEqual(result.resources);
  });
});

describe('key rotated, deleted or inactive: looked up with an admin credential of the same account', () => {
  async function setup() {
    const admin = addAws(userWithKey(`admin${n}`, ['*']));
    expect((await creds.verify(admin.id)).status).toBe('VALID');
    const userName = `app${n}`;
    const key = userWithKey(userName, ['*']);
    const c = addAws(key);
    expect((await creds.verify(c.id)).status).toBe('VALID');
    return { c, key, userName };
  }

  it('says the key is inactive', async () => {
    const { c, key, userName } = await setup();
    aws.state.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    const checked = await creds.verify(c.id);
    expect(checked.status).toBe('INVALID');
    expect(checked.diagnosis?.found).toMatch(new RegExp(`${key.accessKeyId} of IAM user ${userName} is inactive`));
    expect(aws.requests.some((q) => q.action === 'ListAccessKeys' && q.status === 200)).toBe(true);
  });

  it('says the key was replaced by another one (rotated)', async () => {
    const { c, key, userName } = await setup();
    aws.state.deleteAccessKey(key.accessKeyId);
    const next = aws.state.createAccessKey(userName);
    const checked = await creds.verify(c.id);
    expect(checked.status).toBe('INVALID');
    expect(checked.diagnosis?.cause).toMatch(/ was rotated: it is gone from IAM user/);
    expect(checked.diagnosis?.found).toContain(`replaced by ${next.accessKeyId} (Active)`);
  });

  it('says the key was deleted', async () => {
    const { c, key } = await setup();
    aws.state.deleteAccessKey(key.accessKeyId);
    const checked = await creds.verify(c.id);
    expect(checked.diagnosis?.cause).toMatch(/is gone \(rotated or deleted\) and IAM user app\d+ has no access key at all now: it may still sign in to the console/);
    expect(checked.diagnosis?.found).toMatch(/has no access key now/);
  });

  it('says the IAM user was deleted', async () => {
    const { c, userName } = await setup();
    aws.state.deleteUser(userName);
    const checked = await creds.verify(c.id);
    expect(checked.status).toBe('INVALID');
    expect(checked.diagnosis?.found).toMatch(new RegExp(`IAM user ${userName} no longer exists`));
  });

  it('without an admin credential of the account, the catalog diagnosis stands', async () => {
    const key = userWithKey('solo', ['*']);
    const c = addAws(key);
    await creds.verify(c.id);
    // The only other credentials of the account are INVALID or belong to earlier tests' users.
    for (const other of creds.list()) if (other.id !== c.id) creds.delete(other.id);
    aws.state.setAccessKeyStatus(key.accessKeyId, 'Inactive');
    const checked = await creds.verify(c.id);
    expect(checked.status).toBe('INVALID');
    expect(checked.diagnosis?.found).toBeUndefined();
    expect(checked.diagnosis?.cause).toMatch(/does not recognise this access key ID/);
  });
});
