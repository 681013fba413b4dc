import type { CredentialService } from '../credentials/service';
import type { ResourceRepo } from '../resources/repo';
import type { Vault } from '../vault/vault';
import type { PolicyResult } from '../../../shared/channels/resources';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';
import { generatePolicy, partitionOf, splitPolicy } from './generate';
import type { CredentialRecord } from '../credentials/repo';
import type { DeliveryService } from '../deliveries/service';

/** The least-privilege policy of the registered resources, per credential or for all. */
export class PolicyService {
  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly resources: ResourceRepo,
    private readonly deliveries: DeliveryService | null = null,
  ) {}

  /**
   * What the credentials' deliveries need, granted to whoever writes them: a delivery's named
   * writer, else the credential itself (an admin acting on it in a rotation needs the same,
   * so generate the admin's policy with the delivery's --as).
   */
  private deliveryGrants(creds: CredentialRecord[]): Array<{ actions: string[]; resource: string }> {
    if (!this.deliveries) return [];
    const ids = new Set(creds.map((c) => c.id));
    return this.deliveries.loaded().flatMap((d) => {
      const writerId = d.row.writerCredentialId ?? d.row.credentialId;
      if (!ids.has(writerId)) return [];
      const writer = creds.find((c) => c.id === writerId)!;
      const owner = this.credentials.repo.get(d.row.credentialId);
      const region = writer.fields.region || DEFAULT_AWS_REGION;
      return d.kind.awsActions(d.config, { partition: partitionOf(region), region, account: writer.identity?.account ?? owner?.identity?.account ?? null });
    });
  }

  /**
   * A credential rotates itself when a rotation journal names it with no acting
   * credential. The rotations table comes from another migration: absent, no journal.
   */
  rotatesItself(credentialId: string): boolean {
    const db = this.vault.db;
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rotations'").get();
    if (!table) return false;
    return db.prepare('SELECT 1 FROM rotations WHERE credential_id = ? AND acting_credential_id IS NULL LIMIT 1').get(credentialId) !== undefined;
  }

  generate(opts: { credential?: string; withRotation?: boolean } = {}): PolicyResult {
    const creds = opts.credential ? [this.credentials.find(opts.credential)] : this.credentials.list().filter((c) => c.provider === 'AWS');
    const groups = creds.flatMap((c) => this.resources.list(c.id).map((r) => ({ groupId: r.groupId, region: r.region, account: c.identity?.account ?? null })));
    const rotation: PolicyResult['rotation'] = [];
    const rotators: Array<{ account: string | null; region: string }> = [];
    for (const c of creds) {
      const reason = this.rotatesItself(c.id) ? 'journal' : opts.withRotation ? 'asked' : null;
      if (!reason) continue;
      rotation.push({ credential: c.name, reason });
      rotators.push({ account: c.identity?.account ?? null, region: c.fields.region ?? DEFAULT_AWS_REGION });
    }
    const generated = generatePolicy({ groups, rotation: rotators, deliveries: this.deliveryGrants(creds) });
    const parts = splitPolicy(generated.document);
    const notes = [...generated.notes];
    if (!groups.length) notes.push('No security groups are registered yet: the policy only verifies the credential. Register groups on the Resources page (keyward resource add).');
    if (parts.length > 1) notes.push(`The policy is over IAM’s 6,144-character limit for a managed policy: it is split into ${parts.length} policies; attach them all.`);
    return { ...generated, notes, parts, rotation };
  }
}
