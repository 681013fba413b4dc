import type { CheckError, Diagnosis } from '../../../shared/contract';
import { KeywardError } from '../errors';
import { diagnose } from '../diagnosis/diagnose';
import { classifyAwsError } from '../providers/aws/errors';

/** What stopped a rotation step: the AWS error, its diagnosis, and the call behind it. */
export interface StepFailure {
  step: string;
  operation: string;
  error: CheckError;
  diagnosis: Diagnosis;
}

/** The IAM permission each call needs, so an AccessDenied names what is missing. */
export const PERMISSION_OF: Record<string, string> = {
  GetCallerIdentity: 'sts:GetCallerIdentity',
  GetUser: 'iam:GetUser',
  ListUsers: 'iam:ListUsers',
  ListAccessKeys: 'iam:ListAccessKeys',
  GetAccessKeyLastUsed: 'iam:GetAccessKeyLastUsed',
  CreateAccessKey: 'iam:CreateAccessKey',
  UpdateAccessKey: 'iam:UpdateAccessKey',
  DeleteAccessKey: 'iam:DeleteAccessKey',
};

/**
 * A step stopped: a KeywardError whose message says what to do, with the failure as context.
 * `callFailed: false` when the call worked and what it found stopped the step (an orphan key).
 */
export class RotationStepError extends KeywardError {
  constructor(
    readonly failure: StepFailure,
    callFailed = true,
  ) {
    const what = callFailed ? `${failure.operation} failed (${failure.error.code})` : `${failure.error.message} (${failure.error.code})`;
    super('AWS_ERROR', `${failure.step}: ${what}. ${failure.diagnosis.cause} ${failure.diagnosis.remedy.join(' ')}`, { ...failure });
  }
}

/** Turns an SDK error of `operation` into a diagnosed step failure. */
export function iamFailure(step: string, operation: string, userName: string, e: unknown): RotationStepError {
  const { error } = classifyAwsError(e);
  const permission = PERMISSION_OF[operation] ?? operation;
  const fill = (s: string) => s.replaceAll('{permission}', permission).replaceAll('{user}', userName || 'USER');
  const d = diagnose({ provider: 'AWS', status: 'INVALID', error, fields: {} });
  const diagnosis: Diagnosis = { ...d, cause: fill(d.cause), remedy: d.remedy.map(fill), test: fill(d.test) };
  return new RotationStepError({ step, operation, error, diagnosis });
}

/** The AWS error code of an SDK error (IAM's modelled errors are named …Exception by the SDK). */
export function awsCodeOf(e: unknown): string {
  const err = (e ?? {}) as { Code?: string; name?: string };
  return (err.Code ?? err.name ?? '').replace(/Exception$/, '');
}
