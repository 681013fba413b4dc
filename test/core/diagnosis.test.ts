import { describe, expect, it } from 'vitest';
import { CATALOG, FALLBACK } from '../../electron/core/diagnosis/catalog';
import { diagnose, findEntry, testCommandFor } from '../../electron/core/diagnosis/diagnose';
import { PROVIDER_IDS, type ProviderId } from '../../shared/providers';

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const SIGNATURE_EXPIRED = 'Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)';

/** A message that selects each entry narrowed by a message pattern. */
const SAMPLE_MESSAGE: Record<string, string> = {
  'aws.clock-skew': SIGNATURE_EXPIRED,
  'aws.opt-in-region': 'The region ap-east-2 is not enabled for this account (opt-in required).',
  'iam.access-denied': 'User: arn:aws:iam::123456789012:user/app is not authorized to perform: iam:CreateAccessKey on resource: user app',
  'iam.no-such-user': 'The user with name SynergistExpress-1234 cannot be found.',
  'ssm.access-denied':
    'User: arn:aws:iam::123456789012:user/app is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/key because no identity-based policy allows the ssm:PutParameter action',
  'secretsmanager.access-denied':
    'User: arn:aws:iam::123456789012:user/app is not authorized to perform: secretsmanager:PutSecretValue on resource: app/db because no identity-based policy allows the secretsmanager:PutSecretValue action',
  'secretsmanager.not-found': "Secrets Manager can't find the specified secret.",
  'secretsmanager.marked-for-deletion': "You can't perform this operation on the secret because it was marked for deletion.",
  'postgres.no-hba-entry': 'no pg_hba.conf entry for host "10.0.0.7", user "app", database "app", no encryption (SQLSTATE 28000)',
};

/** Connectors whose "connection refused" has its own entry (their ports, listen/bind settings). */
const OWN_REFUSED: Partial<Record<ProviderId, string>> = { LDAP: 'ldap.refused', POSTGRES: 'postgres.refused', REDIS: 'redis.refused', MONGODB: 'mongodb.refused' };

describe('finding the catalog entry for an error', () => {
  it('tells a wrong secret from a skewed clock by the message of SignatureDoesNotMatch', () => {
    expect(findEntry('AWS', { code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH })?.id).toBe('aws.wrong-secret');
    expect(findEntry('AWS', { code: 'SignatureDoesNotMatch', message: SIGNATURE_EXPIRED })?.id).toBe('aws.clock-skew');
    expect(findEntry('AWS', { code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' })?.id).toBe('aws.clock-skew');
  });

  it('reads EC2’s RequestExpired as clock skew', () => {
    expect(findEntry('AWS', { code: 'RequestExpired', message: 'Request has expired.' })?.id).toBe('aws.clock-skew');
  });

  it('recognises a clock that is ahead ("Signature not yet current") as clock skew too', () => {
    // What STS and IAM answer when this machine's clock is more than 15 minutes fast.
    const ahead = 'Signature not yet current: 20300101T000000Z is still later than 20240101T001500Z (20240101T000000Z + 15 min.)';
    expect(findEntry('AWS', { code: 'SignatureDoesNotMatch', message: ahead })?.id).toBe('aws.clock-skew');
  });

  it('tells an unknown key from a region that is not enabled by the message of InvalidClientTokenId', () => {
    expect(findEntry('AWS', { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' })?.id).toBe('aws.invalid-key-id');
    expect(findEntry('AWS', { code: 'InvalidClientTokenId', message: SAMPLE_MESSAGE['aws.opt-in-region'] })?.id).toBe('aws.opt-in-region');
  });

  it('matches network entries for every provider, and provider entries only for their own', () => {
    for (const provider of PROVIDER_IDS) expect(findEntry(provider, { code: 'ECONNREFUSED', message: '' })?.id).toBe(OWN_REFUSED[provider] ?? 'network.refused');
    expect(findEntry('APISIX', { code: 'InvalidClientTokenId', message: '' })).toBeNull();
    expect(findEntry('AWS', { code: 'Unauthorized', message: '' })).toBeNull();
    expect(findEntry('APISIX', { code: 'Unauthorized', message: 'failed to check token' })?.id).toBe('apisix.unauthorized');
  });

  it('returns null for a code it does not know', () => {
    expect(findEntry('AWS', { code: 'SomethingNew', message: 'whatever' })).toBeNull();
  });

  it('has unique entry ids', () => {
    const ids = CATALOG.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('can reach every catalog entry with one of its codes', () => {
    const unreachable: string[] = [];
    for (const entry of CATALOG) {
      const provider: ProviderId = entry.provider === '*' ? 'AWS' : entry.provider;
      const message = entry.message ? SAMPLE_MESSAGE[entry.id] : 'no particular wording';
      expect(message, `add a SAMPLE_MESSAGE for ${entry.id}`).toBeDefined();
      if (entry.message) expect(entry.message.test(message)).toBe(true);
      const reached = entry.codes.some((code) => findEntry(provider, { code, message })?.id === entry.id);
      if (!reached) unreachable.push(entry.id);
    }
    expect(unreachable).toEqual([]);
  });

  it('covers the AWS errors an admin meets when verifying a key', () => {
    const codes = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'AuthFailure', 'UnauthorizedOperation', 'Throttling'];
    for (const code of codes) expect(findEntry('AWS', { code, message: '' }), code).not.toBeNull();
  });

  it('diagnoses OptInRequired whatever its wording', () => {
    // EC2's own wording for OptInRequired; the code alone says what is wrong.
    const message = 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.';
    expect(findEntry('AWS', { code: 'OptInRequired', message })?.id).toBe('aws.opt-in-region');
  });
});

describe('the test command', () => {
  it('includes the credential’s region and endpoint for AWS', () => {
    expect(testCommandFor('AWS', { region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' })).toBe('aws sts get-caller-identity --region eu-west-1 --endpoint-url http://127.0.0.1:4566');
    expect(testCommandFor('AWS', { region: 'us-gov-west-1' })).toBe('aws sts get-caller-identity --region us-gov-west-1');
    expect(testCommandFor('AWS', {})).toBe('aws sts get-caller-identity');
  });

  it('is a curl of the Admin API for APISIX, without the key', () => {
    expect(testCommandFor('APISIX', { endpoint: 'http://apisix:9180/' })).toBe("curl -i -H 'X-API-KEY: <admin key>' http://apisix:9180/apisix/admin/routes");
    expect(testCommandFor('APISIX', {})).toContain('<endpoint>');
  });
});

describe('a diagnosis', () => {
  it('carries the entry’s cause and link, and its remedy with the test command filled in', () => {
    const fields = { region: 'ap-southeast-2', endpointUrl: 'https://sts.ap-southeast-2.amazonaws.com' };
    const d = diagnose({ provider: 'AWS', status: 'UNREACHABLE', error: { code: 'ECONNREFUSED', message: 'The connection was refused.' }, fields });
    const entry = CATALOG.find((e) => e.id === 'network.refused')!;
    const command = 'aws sts get-caller-identity --region ap-southeast-2 --endpoint-url https://sts.ap-southeast-2.amazonaws.com';
    expect(d.cause).toBe(entry.cause);
    expect(d.test).toBe(command);
    expect(d.remedy).toContain(`Run \`${command}\` from this machine.`);
    expect(d.link).toBeNull();
  });

  it('leaves no {test} placeholder in any entry’s remedy', () => {
    for (const entry of CATALOG) {
      const provider: ProviderId = entry.provider === '*' ? 'APISIX' : entry.provider;
      const code = entry.codes[0];
      const d = diagnose({ provider, status: 'INVALID', error: { code, message: SAMPLE_MESSAGE[entry.id] ?? '' }, fields: { region: 'us-east-1', endpoint: 'http://a:9180' } });
      expect(d.remedy.join('\n'), entry.id).not.toContain('{test}');
      expect(d.remedy.length, entry.id).toBeGreaterThan(0);
    }
  });

  it('falls back to a general explanation for an unknown error, by status', () => {
    const invalid = diagnose({ provider: 'AWS', status: 'INVALID', error: { code: 'Brand new', message: '' }, fields: { region: 'us-east-1' } });
    expect(invalid.cause).toBe(FALLBACK.INVALID.cause);
    expect(invalid.remedy).toContain('Run `aws sts get-caller-identity --region us-east-1` to see the provider’s own answer.');
    const unreachable = diagnose({ provider: 'AWS', status: 'UNREACHABLE', error: { code: 'Brand new', message: '' }, fields: {} });
    expect(unreachable.cause).toBe(FALLBACK.UNREACHABLE.cause);
    expect(unreachable.remedy.join(' ')).toMatch(/not marked invalid/);
  });

  it('links to the AWS documentation for a wrong secret', () => {
    const d = diagnose({ provider: 'AWS', status: 'INVALID', error: { code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH }, fields: {} });
    expect(d.link).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(d.remedy.join(' ')).toMatch(/40 characters/);
  });
});
