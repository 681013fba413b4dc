import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

/**
 * KMS keys as SSM and Secrets Manager see them: a key id (UUID), its ARN, its aliases, per account
 * and region. AWS-managed keys (`alias/aws/ssm`, `alias/aws/secretsmanager`) exist implicitly, as
 * AWS creates them on first use. Values are really encrypted (AES-256-GCM under the key's own
 * random material), so a SecureString read without decryption is ciphertext, never the value.
 */

export interface KmsKey {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  aliases: string[];
  awsManaged: boolean;
  /** Never leaves the server. */
  material: Buffer;
}

const AWS_MANAGED_ALIASES = ['alias/aws/ssm', 'alias/aws/secretsmanager'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BLOB_VERSION = 1;

const keyOf = (account: string, region: string, name: string): string => `${account}/${region}/${name}`;

export class KmsKeys {
  private readonly byId = new Map<string, KmsKey>();
  private readonly byAlias = new Map<string, KmsKey>();

  /** A customer-managed key, optionally with an alias (`alias/…`). */
  create(opts: { account: string; region: string; alias?: string; keyId?: string }): KmsKey {
    const keyId = opts.keyId ?? randomUUID();
    if (!UUID.test(keyId)) throw new Error(`KMS key id must be a UUID, got '${keyId}'`);
    if (this.byId.has(keyOf(opts.account, opts.region, keyId))) throw new Error(`KMS key ${keyId} already exists`);
    if (opts.alias !== undefined) {
      if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(opts.alias) || opts.alias.startsWith('alias/aws/')) {
        throw new Error(`Invalid KMS alias '${opts.alias}' (alias/<name>, not under alias/aws/)`);
      }
      if (this.byAlias.has(keyOf(opts.account, opts.region, opts.alias))) throw new Error(`KMS alias ${opts.alias} already exists`);
    }
    return this.add(opts.account, opts.region, keyId, opts.alias, false);
  }

  /**
   * The key a KeyId names in one account and region: a key id, key ARN, alias name or alias ARN,
   * as SSM and Secrets Manager accept them. Undefined when KMS would not find it.
   */
  resolve(ref: string, account: string, region: string): KmsKey | undefined {
    const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(ref);
    if (arn) {
      const [, arnRegion, arnAccount, kind, rest] = arn;
      return kind === 'key' ? this.byId.get(keyOf(arnAccount, arnRegion, rest)) : this.alias(`alias/${rest}`, arnAccount, arnRegion);
    }
    if (ref.startsWith('alias/')) return this.alias(ref, account, region);
    return this.byId.get(keyOf(account, region, ref));
  }

  /** Ciphertext blob (base64) of `plaintext` under `key`. */
  encrypt(key: KmsKey, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const id = Buffer.from(keyOf(key.account, key.region, key.keyId), 'utf8');
    return Buffer.concat([Buffer.from([BLOB_VERSION, id.length]), id, iv, cipher.getAuthTag(), data]).toString('base64');
  }

  /** The plaintext of a blob made by `encrypt`; throws when the blob was not. */
  decrypt(blob: string): string {
    const raw = Buffer.from(blob, 'base64');
    if (raw[0] !== BLOB_VERSION) throw new Error('Not a ciphertext blob of this server');
    const idEnd = 2 + raw[1];
    const key = this.byId.get(raw.subarray(2, idEnd).toString('utf8'));
    if (!key) throw new Error('The ciphertext names a key this server does not hold');
    const iv = raw.subarray(idEnd, idEnd + 12);
    const tag = raw.subarray(idEnd + 12, idEnd + 28);
    const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(raw.subarray(idEnd + 28)), decipher.final()]).toString('utf8');
  }

  list(): KmsKey[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.byAlias.clear();
  }

  private alias(alias: string, account: string, region: string): KmsKey | undefined {
    const found = this.byAlias.get(keyOf(account, region, alias));
    if (found || !AWS_MANAGED_ALIASES.includes(alias)) return found;
    return this.add(account, region, randomUUID(), alias, true);
  }

  private add(account: string, region: string, keyId: string, alias: string | undefined, awsManaged: boolean): KmsKey {
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
      account,
      region,
      aliases: alias === undefined ? [] : [alias],
      awsManaged,
      material: randomBytes(32),
    };
    this.byId.set(keyOf(account, region, keyId), key);
    if (alias !== undefined) this.byAlias.set(keyOf(account, region, alias), key);
    return key;
  }
}
