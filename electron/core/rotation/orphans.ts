import { KeywardError } from '../errors';
import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { AccessKeyInfo, IamCalls } from './iam';
import type { Rotation } from './journal';

// Keys of the IAM user that the journal does not know. A run killed between AWS creating
// the new key and the journal recording it leaves one: its secret was never stored, so
// nothing can use it. The create step writes its intent (with the time) before it calls
// CreateAccessKey; a resume deletes an unknown key only when it is surely that lost key.

/** Keys the rotation did not know: neither the user's keys at the start nor its own new key. */
export function unknownKeys(rot: Rotation, keys: AccessKeyInfo[]): AccessKeyInfo[] {
  const known = new Set([...rot.keysAtStart, ...(rot.newAccessKeyId ? [rot.newAccessKeyId] : [])]);
  return keys.filter((k) => !known.has(k.accessKeyId));
}

/**
 * The rotation's own lost key, or why an unknown key is not surely it: the intent was
 * recorded, the key is the only unknown one, and IAM created it at or after the intent
 * (IAM's CreateDate has whole seconds, so the intent's second counts).
 */
export function ownLostKey(rot: Rotation, unknown: AccessKeyInfo[]): { key: AccessKeyInfo } | { why: string } {
  if (!rot.keyRequestedAt) return { why: 'This rotation had not asked AWS for a key yet, so the key was made by someone else.' };
  if (unknown.length !== 1) return { why: `There are ${unknown.length} such keys; this rotation asks for one at a time.` };
  const asked = Math.floor(Date.parse(rot.keyRequestedAt) / 1000) * 1000;
  const created = Date.parse(unknown[0].createdAt);
  if (!(created >= asked)) {
    return { why: `It was created at ${unknown[0].createdAt}, before this rotation asked AWS for its key (${rot.keyRequestedAt}), so it is not the key this rotation lost.` };
  }
  return { key: unknown[0] };
}

/**
 * Before creating a key, and before a rollback: deletes the rotation's own lost key (audited)
 * and goes on, or refuses, naming the keys, when an unknown key is not surely its own.
 */
export async function settleOrphans(ctx: RotationContext, rot: Rotation, iam: IamCalls, step: 'create-key' | 'rollback'): Promise<void> {
  const unknown = unknownKeys(rot, await iam.listKeys());
  if (unknown.length === 0) return;
  const own = ownLostKey(rot, unknown);
  if ('key' in own) {
    await iam.deleteKey(own.key.accessKeyId);
    ctx.record(
      rot,
      'orphan-deleted',
      {
        accessKeyId: own.key.accessKeyId,
        createdAt: own.key.createdAt,
        reason: 'created for this rotation by a run that stopped before recording it; its secret was never stored',
        aws: ['iam:DeleteAccessKey'],
      },
      'rotation.orphan-deleted',
    );
    return;
  }
  const ids = unknown.map((k) => k.accessKeyId);
  throw new RotationStepError(
    {
      step,
      operation: 'ListAccessKeys',
      error: { code: 'OrphanKey', message: `IAM user ${rot.userName} has key(s) this rotation did not record: ${ids.join(', ')}` },
      diagnosis: {
        cause: `${own.why} Keyward will not create another key beside it, nor delete a key it cannot tell as its own.`,
        remedy: [
          `If no one uses it, delete it: keyward rotate --resume ${rot.id} --delete-orphan ${ids[0]} (or --rollback with the same flag).`,
          'If it is in use elsewhere, roll this rotation back and make room for the new key first.',
        ],
        test: `aws iam list-access-keys --user-name ${rot.userName}`,
        link: null,
      },
    },
    false,
  );
}

/** Keys of the user that this rotation did not know (for the admin's --delete-orphan). */
export async function orphansOf(ctx: RotationContext, rot: Rotation): Promise<string[]> {
  return unknownKeys(rot, await ctx.iam(rot, 'create-key').listKeys()).map((k) => k.accessKeyId);
}

/** Deletes an orphan key, on the admin's explicit word; only a key the journal does not know. */
export async function deleteOrphan(ctx: RotationContext, rot: Rotation, accessKeyId: string): Promise<Rotation> {
  if (rot.state !== 'IN_PROGRESS') throw new KeywardError('CONFLICT', `Rotation ${rot.id} is ${rot.state}.`);
  const iam = ctx.iam(rot, 'create-key');
  const orphans = unknownKeys(rot, await iam.listKeys()).map((k) => k.accessKeyId);
  if (!orphans.includes(accessKeyId)) {
    throw new KeywardError(
      'INVALID_INPUT',
      `${accessKeyId} is not an orphan of rotation ${rot.id}${orphans.length ? ` (orphans: ${orphans.join(', ')})` : ' (it has none)'}: Keyward only deletes keys it created and lost.`,
    );
  }
  await iam.deleteKey(accessKeyId);
  ctx.record(rot, 'orphan-deleted', { accessKeyId, aws: ['iam:DeleteAccessKey'] }, 'rotation.orphan-deleted');
  return ctx.reload(rot);
}
