import type { CredentialService } from '../credentials/service';
import type { ResourceRepo } from '../resources/repo';
import type { Vault } from '../vault/vault';
import type { PolicyResult } from '../../../shared/channels/resources';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';
import { generatePolicy, splitPolicy } from './generate';


/** The least-privilege policy of the registered resources, per credential or for all. */
export class PolicyService {
  constructor(
    private readonly vault: Vault,
    private readonly credentials: CredentialService,
    private readonly resources: ResourceRepo,
  ) {}

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
    const generated = generatePolicy({ groups, rotation: rotators });
    const parts = splitPolicy(generated.document);
    const notes = [...generated.notes];
    if (!groups.length) notes.push('No security groups are registered yet: the policy only verifies the credential. Register groups on the Resources page (keyward resource add).');
    if (parts.length > 1) notes.push(`The policy is over IAM’s 6,144-character limit for a managed policy: it is split into ${parts.length} policies; attach them all.`);
    return { ...generated, notes, parts, rotation };
  }
}
