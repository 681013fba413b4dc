import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand, type IpPermission } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { clientsFor, codeOf, errorOf, messageOf, rawCall, startServer, startWithAlice } from './helpers';

const WEB = 'sg-0123456789abcdef0';
const DB = 'sg-0fedcba9876543210';
const SSH_FROM_OFFICE: IpPermission = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] };

async function withGroups(region = 'us-east-1') {
  const fixture = await startWithAlice({}, { region });
  fixture.server.state.addSecurityGroup({ groupId: WEB, region: 'us-east-1', groupName: 'web', vpcId: 'vpc-11111111' });
  fixture.server.state.addSecurityGroup({ groupId: DB, region: 'us-west-2', groupName: 'db', vpcId: 'vpc-22222222' });
  return fixture;
}

describe('EC2 DescribeSecurityGroups', () => {
  it('describes a group by id in the region the request is signed for', async () => {
    const { ec2 } = await withGroups();

    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB] }));

    expect(SecurityGroups).toHaveLength(1);
    expect(SecurityGroups?.[0]).toMatchObject({
      GroupId: WEB,
      GroupName: 'web',
      VpcId: 'vpc-11111111',
      OwnerId: '123456789012',
      SecurityGroupArn: `arn:aws:ec2:us-east-1:123456789012:security-group/${WEB}`,
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
  });

  it('returns InvalidGroup.NotFound for a group in another region', async () => {
    const { ec2 } = await withGroups('us-east-1');

    const error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [DB] })));

    expect(error.name).toBe('InvalidGroup.NotFound');
    expect(error.message).toBe(`The security group '${DB}' does not exist`);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('finds that group when the request is signed for its region', async () => {
    const { server, credentials } = await withGroups();
    const { ec2 } = clientsFor(server, credentials, { region: 'us-west-2' });

    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [DB] }));

    expect(SecurityGroups?.map((g) => g.GroupId)).toEqual([DB]);
  });

  it('rejects a malformed group id with InvalidGroupId.Malformed', async () => {
    const { ec2 } = await withGroups();

    const error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['web-servers'] })));

    expect(error.name).toBe('InvalidGroupId.Malformed');
    expect(error.message).toBe('Invalid id: "web-servers" (expecting "sg-...")');
  });

  it('lists every group of the region and honours filters', async () => {
    const { server, ec2 } = await withGroups();
    server.state.addSecurityGroup({ groupId: 'sg-0aaaaaaaaaaaaaaaa', region: 'us-east-1', groupName: 'web-canary', vpcId: 'vpc-33333333' });

    const all = await ec2.send(new DescribeSecurityGroupsCommand({}));
    const filtered = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['web-*'] }] }));
    const badFilter = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })));

    expect(all.SecurityGroups?.map((g) => g.GroupName).sort()).toEqual(['web', 'web-canary']);
    expect(filtered.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-0aaaaaaaaaaaaaaaa']);
    expect([badFilter.name, badFilter.message]).toEqual(['InvalidParameterValue', "The filter 'colour' is invalid"]);
  });

  it('refuses a caller without ec2:DescribeSecurityGroups with UnauthorizedOperation', async () => {
    const server = await startServer();
    server.state.createUser('auditor', { allow: ['sts:*', 'iam:*'] });
    const { ec2 } = clientsFor(server, server.state.createAccessKey('auditor'));

    const error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({})));

    expect(error.name).toBe('UnauthorizedOperation');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ec2:DescribeSecurityGroups because no identity-based policy allows the ec2:DescribeSecurityGroups action',
    );
  });

  it('answers an unknown action with InvalidAction in the EC2 error shape', async () => {
    const { server, credentials } = await startWithAlice();

    const response = await rawCall(server, { service: 'ec2', body: 'Action=LaunchRockets&Version=2016-11-15', credentials });

    expect(response.status).toBe(400);
    expect(codeOf(response.body)).toBe('InvalidAction');
    expect(messageOf(response.body)).toBe('The action LaunchRockets is not valid for this web service.');
  });
});

describe('EC2 ingress rules', () => {
  it('authorizes a rule, returns its rule id and shows it in DescribeSecurityGroups', async () => {
    const { ec2 } = await withGroups();

    const authorized = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] }));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB] }));

    expect(authorized.Return).toBe(true);
    expect(authorized.SecurityGroupRules).toEqual([
      expect.objectContaining({ GroupId: WEB, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24', Description: 'office' }),
    ]);
    expect(authorized.SecurityGroupRules?.[0].SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(SecurityGroups?.[0].IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
  });

  it('keeps group-to-group and IPv6 rules', async () => {
    const { server, ec2 } = await withGroups();
    server.state.addSecurityGroup({ groupId: 'sg-0bbbbbbbbbbbbbbbb', region: 'us-east-1', groupName: 'lb' });

    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: WEB,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-0bbbbbbbbbbbbbbbb' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] }],
      }),
    );
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB] }));

    expect(SecurityGroups?.[0].IpPermissions?.[0]).toMatchObject({
      UserIdGroupPairs: [{ GroupId: 'sg-0bbbbbbbbbbbbbbbb', UserId: '123456789012' }],
      Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
    });
  });

  it('rejects a rule that already exists with InvalidPermission.Duplicate', async () => {
    const { ec2 } = await withGroups();
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] }));

    const error = await errorOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [{ ...SSH_FROM_OFFICE, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }] })));

    expect(error.name).toBe('InvalidPermission.Duplicate');
    expect(error.message).toBe('the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists');
  });

  it('returns InvalidGroup.NotFound when authorizing on a group in another region', async () => {
    const { ec2 } = await withGroups('us-east-1');

    const error = await errorOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: DB, IpPermissions: [SSH_FROM_OFFICE] })));

    expect(error.name).toBe('InvalidGroup.NotFound');
  });

  it('revokes an existing rule', async () => {
    const { server, ec2 } = await withGroups();
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] }));

    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] }));

    expect(revoked.Return).toBe(true);
    expect(revoked.UnknownIpPermissions).toBeUndefined();
    expect(revoked.RevokedSecurityGroupRules).toEqual([expect.objectContaining({ GroupId: WEB, CidrIpv4: '203.0.113.0/24', FromPort: 22 })]);
    expect(server.state.getSecurityGroup('123456789012', 'us-east-1', WEB)?.ingress).toEqual([]);
  });

  it('refuses to revoke a missing rule in a non-default VPC with InvalidPermission.NotFound', async () => {
    const { ec2 } = await withGroups();

    const error = await errorOf(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] })));

    expect(error.name).toBe('InvalidPermission.NotFound');
    expect(error.message).toBe('The specified rule does not exist in this security group.');
  });

  it('reports a missing rule in a default VPC as UnknownIpPermissions instead of failing', async () => {
    const { server, ec2 } = await startWithAlice();
    server.state.addSecurityGroup({ groupId: 'sg-0ccccccccccccccc0', region: 'us-east-1', isDefaultVpc: true });

    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: 'sg-0ccccccccccccccc0', IpPermissions: [SSH_FROM_OFFICE] }));

    expect(revoked.Return).toBe(true);
    expect(revoked.UnknownIpPermissions).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] })]);
  });

  it('revokes by security group rule id', async () => {
    const { server, ec2 } = await withGroups();
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] }));

    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: WEB, SecurityGroupRuleIds: [SecurityGroupRules![0].SecurityGroupRuleId!] }));

    expect(server.state.getSecurityGroup('123456789012', 'us-east-1', WEB)?.ingress).toEqual([]);
  });

  it('refuses an ingress change without permission, naming the group ARN and an encoded message', async () => {
    const { server } = await withGroups();
    server.state.createUser('viewer', { allow: ['ec2:Describe*'] });
    const { ec2 } = clientsFor(server, server.state.createAccessKey('viewer'));

    const error = await errorOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE] })));

    expect(error.name).toBe('UnauthorizedOperation');
    expect(error.message).toMatch(
      new RegExp(
        `^You are not authorized to perform this operation\\. User: arn:aws:iam::123456789012:user/viewer is not authorized to perform: ec2:AuthorizeSecurityGroupIngress on resource: arn:aws:ec2:us-east-1:123456789012:security-group/${WEB} because no identity-based policy allows the ec2:AuthorizeSecurityGroupIngress action\\. Encoded authorization failure message: [A-Za-z0-9_-]+$`,
      ),
    );
  });

  it('answers DryRun with DryRunOperation when allowed, and changes nothing', async () => {
    const { server, ec2 } = await withGroups();

    const error = await errorOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB, IpPermissions: [SSH_FROM_OFFICE], DryRun: true })));

    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['DryRunOperation', 412]);
    expect(server.state.getSecurityGroup('123456789012', 'us-east-1', WEB)?.ingress).toEqual([]);
  });
});
