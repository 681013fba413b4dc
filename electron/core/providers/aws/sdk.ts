import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as Iam from '@aws-sdk/client-iam';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type * as Ssm from '@aws-sdk/client-ssm';
import type * as Sts from '@aws-sdk/client-sts';

// The IAM and EC2 SDK clients are large (EC2's alone is about 70 MB resident once loaded,
// IAM's about 20 MB) and only rotation, the credential report, resources and the deeper
// diagnosis use them. They load on first use, so the app opens, lists and verifies keys
// (STS only) without paying for them.

export type IamSdk = typeof Iam;
type Ec2Sdk = typeof Ec2;
type StsSdk = typeof Sts;
type SsmSdk = typeof Ssm;
type SecretsManagerSdk = typeof SecretsManager;

let iam: Promise<IamSdk> | undefined;
let ec2: Promise<Ec2Sdk> | undefined;
let sts: Promise<StsSdk> | undefined;
let ssm: Promise<SsmSdk> | undefined;
let secretsManager: Promise<SecretsManagerSdk> | undefined;

export function iamSdk(): Promise<IamSdk> {
  return (iam ??= import('@aws-sdk/client-iam'));
}

export function ec2Sdk(): Promise<Ec2Sdk> {
  return (ec2 ??= import('@aws-sdk/client-ec2'));
}

/** STS for the context checks (the key check itself loads it with providers/aws/verify.ts). */
export function stsSdk(): Promise<StsSdk> {
  return (sts ??= import('@aws-sdk/client-sts'));
}

/** SSM Parameter Store, for the ssm-parameter delivery (deliveries/ssm-parameter.ts). */
export function ssmSdk(): Promise<SsmSdk> {
  return (ssm ??= import('@aws-sdk/client-ssm'));
}

/** Secrets Manager, for the secrets-manager delivery (deliveries/secrets-manager.ts). */
export function secretsManagerSdk(): Promise<SecretsManagerSdk> {
  return (secretsManager ??= import('@aws-sdk/client-secrets-manager'));
}
