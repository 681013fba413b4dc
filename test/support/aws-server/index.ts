/**
 * An AWS-compatible test server (STS, IAM, EC2 security groups, SSM Parameter Store, Secrets Manager) that speaks the real wire
 * protocols, verifies SigV4 and answers errors exactly as AWS does. Start it in-process with
 * `startAwsTestServer()`, or as a process with `tsx test/support/aws-server/main.ts`.
 */
export { startAwsTestServer, DEFAULT_CLOCK_SKEW_TOLERANCE_MS } from './server';
export type { AwsTestServer, AwsTestServerOptions } from './server';
export { AwsState, DEFAULT_ACCOUNT, ACCESS_KEYS_PER_USER } from './state';
export type { AccessKeyRecord, AccessKeySummary, AddSecurityGroupInput, CreateAccessKeyOptions, CreateUserOptions, IamUser, KeyUse, SecurityGroupRecord, SecurityGroupRule } from './state';
export type { StateSnapshot } from './snapshot';
export type { KmsKey } from './kms';
export type { ParameterRecord, ParameterVersion } from './ssm';
export type { SecretRecord, SecretVersion } from './secrets-manager';
export { Faults } from './faults';
export type { ActiveFault, FaultKind, FaultSpec } from './faults';
export type { ServerConfig } from './dispatch';
export type { AccessKeyStatus, Caller, RecordedRequest, ServiceName } from './types';
export { applySeed, parseSeed } from './seed';
export type { Seed, SeedKey, SeedUser, SeededKey } from './seed';
export { signRequest } from './sigv4';
export type { SignInput } from './sigv4';
