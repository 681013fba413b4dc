import { randomUUID } from 'node:crypto';
import type { CheckError, Diagnosis } from '../../../shared/contract';
import { AWS_REGION_CODES, DEFAULT_AWS_REGION } from '../../../shared/regions';
import type { AuditLog } from '../audit/log';
import type { CredentialService } from '../credentials/service';
import { accessDenied, describeGroup, keyLookup, regionMismatch } from '../diagnosis/context';
import { adminCandidates, DENIED, KEY_REJECTED, merge } from '../diagnosis/deepen';
import { diagnose } from '../diagnosis/diagnose';
import { KeywardError } from '../errors';
import { classifyAwsError } from '../providers/aws/errors';
import { awsPartsOf } from '../providers/aws/client';
import { Redactor } from '../verification/redact';
import { timeoutError } from '../providers/network-errors';
import type { CheckOptions } from '../providers/types';
import { runPool } from '../verification/pool';
import type { Vault } from '../vault/vault';
import type { Resource } from '../../../shared/channels/resources';
import { ResourceRepo } from './repo';
import { isoNow, systemClock, type Clock } from '../ports/clock';

/** sg- and 8 or 17 lower-case hex digits, as EC2 issues them. */
export const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

function validateGroupId(groupId: string): string | null {
  return SECURITY_GROUP_ID.test(groupId) ? null : `"${groupId}" is not a security group id: it is sg- followed by 8 or 17 hex digits (e.g. sg-0123456789abcdef0).`;
}

type Opts = Omit<CheckOptions, 'signal'>;

/** Security groups registered under AWS credentials, and their capacity checks. */
export class ResourceService {
  readonly repo: ResourceRepo;

  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly audit: AuditLog,
    private readonly opts: Opts,
    private readonly clock: Clock = systemClock,
  ) {
    this.repo = new ResourceRepo(vault);
  }

  list(credential?: string): Resource[] {
    return this.repo.list(credential ? this.credentials.find(credential).id : undefined);
  }

  find(id: string): Resource {
    const r = this.repo.find(id);
    if (!r) throw new KeywardError('NOT_FOUND', `No resource with id "${id}". List them with \`keyward resource list\`.`);
    return r;
  }

  add(req: { credential: string; groupId: string; region?: string }): Resource {
    const cred = this.credentials.find(req.credential);
    if (cred.provider !== 'AWS') throw new KeywardError('INVALID_INPUT', `Security groups belong to AWS credentials; "${cred.name}" is ${cred.provider}.`);
    const groupId = req.groupId.trim();
    const region = (req.region ?? cred.fields.region ?? DEFAULT_AWS_REGION).trim();
    const problems = [validateGroupId(groupId), AWS_REGION_CODES.includes(region) ? null : `"${region}" is not an AWS region (e.g. us-east-1).`].filter(Boolean);
    if (problems.length) throw new KeywardError('INVALID_INPUT', problems.join(' '));
    if (this.repo.exists(cred.id, groupId, region)) throw new KeywardError('CONFLICT', `${groupId} in ${region} is already registered under "${cred.name}".`);
    const id = randomUUID();
    this.vault.tx(() => {
      this.repo.insert({ id, credentialId: cred.id, groupId, region, at: isoNow(this.clock) });
      this.audit.append('resource.added', { credentialId: cred.id, details: { resourceId: id, kind: 'AWS_SECURITY_GROUP', groupId, region, credential: cred.name } });
    });
    return this.find(id);
  }

  /** The fix a region-mismatch diagnosis offers: move the resource to where the group is. */
  setRegion(id: string, region: string): Resource {
    const r = this.find(id);
    if (!AWS_REGION_CODES.includes(region)) throw new KeywardError('INVALID_INPUT', `"${region}" is not an AWS region (e.g. us-east-1).`);
    if (region === r.region) return r;
    if (this.repo.exists(r.credentialId, r.groupId, region)) throw new KeywardError('CONFLICT', `${r.groupId} in ${region} is already registered under this credential.`);
    this.vault.tx(() => {
      this.repo.setRegion(r.id, region);
      this.audit.append('resource.edited', { credentialId: r.credentialId, details: { resourceId: r.id, groupId: r.groupId, changed: ['region'], before: { region: r.region }, after: { region } } });
    });
    return this.find(r.id);
  }

  /**
   * Reassigns resources (the given ones, or all of one credential's) to another credential
   * of the same provider (the fix for a rotated or deleted key, or one credential per
   * region), then verifies each under its new credential. All or nothing: a resource the
   * target already holds stops the move before anything changes.
   */
  async move(req: { ids?: string[]; from?: string; to: string }): Promise<Resource[]> {
    if (!req.ids?.length === !req.from) throw new KeywardError('INVALID_INPUT', 'Give the resources to move, or the credential to move them from (not both).');
    const to = this.credentials.find(req.to);
    const list = req.from ? this.list(req.from) : [...new Set(req.ids)].map((id) => this.find(id));
    if (req.from && list.length === 0) throw new KeywardError('NOT_FOUND', `"${this.credentials.find(req.from).name}" has no resources to move.`);
    const problems: string[] = [];
    for (const r of list) {
      const from = this.credentials.find(r.credentialId);
      if (from.provider !== to.provider) problems.push(`${r.groupId} belongs to a ${from.provider} credential; "${to.name}" is ${to.provider}.`);
      else if (r.credentialId !== to.id && this.repo.exists(to.id, r.groupId, r.region)) problems.push(`${r.groupId} in ${r.region} is already registered under "${to.name}".`);
    }
    if (problems.length) throw new KeywardError(problems.some((p) => p.includes('already')) ? 'CONFLICT' : 'INVALID_INPUT', `Nothing was moved. ${problems.join(' ')}`);
    const moving = list.filter((r) => r.credentialId !== to.id);
    this.vault.tx(() => {
      for (const r of moving) {
        this.repo.setCredential(r.id, to.id);
        const from = this.credentials.find(r.credentialId);
        this.audit.append('resource.moved', {
          credentialId: to.id,
          details: { resourceId: r.id, groupId: r.groupId, region: r.region, fromCredentialId: from.id, from: from.name, to: to.name },
        });
      }
    });
    // Verified under the new credential, so the move's outcome is on screen at once.
    const out: Resource[] = [];
    await runPool(list, 8, async (r) => void out.push(r.credentialId === to.id ? this.find(r.id) : await this.verify(r.id)));
    const order = new Map(list.map((r, i) => [r.id, i]));
    return out.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }

  delete(id: string): { id: string; deleted: true } {
    const r = this.find(id);
    this.vault.tx(() => {
      this.repo.delete(r.id);
      this.audit.append('resource.deleted', { credentialId: r.credentialId, details: { resourceId: r.id, groupId: r.groupId, region: r.region } });
    });
    return { id: r.id, deleted: true };
  }

  /** Verify capacity: ec2:DescribeSecurityGroups for the group, in its region, with its credential. */
  async verify(id: string, signal?: AbortSignal): Promise<Resource> {
    const r = this.find(id);
    const cred = this.credentials.find(r.credentialId);
    const secrets = this.credentials.repo.secretsOf(cred.id);
    const parts = { ...awsPartsOf({ fields: cred.fields, secrets }), region: r.region };
    const opts = { ...this.opts, signal };
    const at = isoNow(this.clock);
    const outcome = await describeGroup(parts, r.groupId, opts);
    let status: Resource['status'] = 'VALID';
    let error: CheckError | null = null;
    let diagnosis: Diagnosis | null = null;
    if (!outcome.found) {
      if (signal?.aborted) throw outcome.error;
      const verdict = classifyAwsError(outcome.error);
      status = verdict.kind;
      const redactor = new Redactor(secrets);
      error = verdict.error.code === 'TIMEOUT' ? timeoutError(this.opts.timeoutMs) : redactor.error(verdict.error);
      const test = `aws ec2 describe-security-groups --group-ids ${r.groupId} --region ${r.region}${cred.fields.endpointUrl ? ` --endpoint-url ${cred.fields.endpointUrl}` : ''}`;
      diagnosis = { ...diagnose({ provider: 'AWS', status, error, fields: cred.fields }), test };
      if (status === 'INVALID') diagnosis = merge(diagnosis, await this.context(r, cred.id, parts, error, opts));
      diagnosis = redactor.diagnosis(diagnosis);
    }
    const current = this.repo.get(r.id);
    if (!current) return r;
    this.vault.tx(() => {
      this.repo.recordCheck(r.id, { status, error, diagnosis, at });
      this.audit.append('resource.verified', { credentialId: r.credentialId, details: { resourceId: r.id, groupId: r.groupId, region: r.region, status, error: error?.code ?? null } });
    });
    return this.find(r.id);
  }

  private async context(r: Resource, credentialId: string, parts: ReturnType<typeof awsPartsOf>, error: CheckError, opts: Opts & { signal?: AbortSignal }): Promise<Partial<Diagnosis> | null> {
    const cred = this.credentials.find(credentialId);
    try {
      if (error.code === 'InvalidGroup.NotFound') return await regionMismatch(parts, r, cred.fields.region ?? DEFAULT_AWS_REGION, opts);
      if (DENIED.has(error.code)) return await accessDenied(parts, error, 'ec2:DescribeSecurityGroups', opts);
      if (KEY_REJECTED.has(error.code) && cred.identity) {
        const admins = adminCandidates(this.credentials.repo, cred);
        if (admins.length) return await keyLookup(cred.fields.accessKeyId, cred.identity, admins, opts);
      }
    } catch {
      // A context check never changes the verdict.
    }
    return null;
  }

  /** Verifies many resources (all, or one credential's) with bounded concurrency. */
  async verifyAll(credential?: string, concurrency = 8): Promise<Resource[]> {
    const list = this.list(credential);
    const out: Resource[] = [];
    await runPool(list, concurrency, async (r) => {
      try {
        out.push(await this.verify(r.id));
      } catch (e) {
        if (!(e instanceof KeywardError && e.code === 'NOT_FOUND')) throw e;
      }
    });
    const order = new Map(list.map((r, i) => [r.id, i]));
    return out.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
}
