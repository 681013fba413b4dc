import { z } from 'zod';
import { DELIVERY_LIMITS } from '../../../shared/limits';
import { IniFile } from '../aws-profiles/ini-file';
import { defineKind, type DeliveryCheck, type DeliveryContext, type DeliveryKind } from './kind';
import { checkHeldKey, loadFile, replaceFile, resolvePath } from './local-file';

// A profile of an AWS shared credentials file (~/.aws/credentials): its keys are replaced
// and every other byte of the file is left as the admin wrote it (ini-file.ts). A session
// token in the section would pair with the new key and fail, so it goes (and comes back on
// rollback).

const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;
type Key = (typeof KEYS)[number];

const ConfigSchema = z.object({
  file: z.string().min(1).max(DELIVERY_LIMITS.pathChars).default('~/.aws/credentials'),
  profile: z
    .string()
    .min(1)
    .max(DELIVERY_LIMITS.nameChars)
    .regex(/^[^\]\r\n[]+$/, 'a profile name has no brackets or line breaks')
    .refine((p) => p.trim() === p, 'a profile name has no leading or trailing spaces'),
});
type Config = z.output<typeof ConfigSchema>;

/** What the section held: null when the file did not exist; section false when the profile did not. */
interface Previous {
  section: boolean;
  values: Record<Key, string | null>;
}

const open = (ctx: DeliveryContext, config: Config) => loadFile(ctx, config.file, 'awsCredentials', IniFile.parse);

export const awsProfileKind: DeliveryKind<Config, Previous> = defineKind<Config, Previous>({
  id: 'aws-profile',
  title: 'AWS credentials profile',
  configSchema: ConfigSchema,
  describe: (c) => `[${c.profile}] in ${c.file}`,
  testCommand: (c) => `AWS_SHARED_CREDENTIALS_FILE=${c.file} aws sts get-caller-identity --profile ${c.profile}`,
  awsActions: () => [],

  async save(ctx, config) {
    const { text, doc: ini } = open(ctx, config);
    if (text === null) return null;
    const section = ini.find(config.profile);
    const keys = section ? ini.keys(section) : new Map<string, { value: string }>();
    return { section: !!section, values: Object.fromEntries(KEYS.map((k) => [k, keys.get(k)?.value ?? null])) as Record<Key, string | null> };
  },

  async write(ctx, config, key) {
    const { file, text, doc: ini } = open(ctx, config);
    const section = ini.find(config.profile);
    if (!section) {
      ini.append(config.profile, [
        ['aws_access_key_id', key.accessKeyId],
        ['aws_secret_access_key', key.secretAccessKey],
      ]);
    } else {
      ini.set(section, 'aws_access_key_id', key.accessKeyId);
      ini.set(ini.find(config.profile)!, 'aws_secret_access_key', key.secretAccessKey);
      ini.remove(ini.find(config.profile)!, ['aws_session_token']);
    }
    replaceFile(ctx, file, text, ini.toString());
  },

  async readBack(ctx, config) {
    const { doc: ini } = open(ctx, config);
    const section = ini.find(config.profile);
    if (!section) return null;
    const keys = ini.keys(section);
    const accessKeyId = keys.get('aws_access_key_id')?.value;
    const secretAccessKey = keys.get('aws_secret_access_key')?.value;
    return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
  },

  async restore(ctx, config, previous) {
    const { file, text, doc: ini } = open(ctx, config);
    if (text === null) return; // nothing there to undo
    const section = ini.find(config.profile);
    if (!section) return;
    if (!previous || !previous.section) {
      ini.remove(section, [...KEYS]);
      ini.dropIfEmpty(config.profile);
    } else {
      for (const k of KEYS) {
        const v = previous.values[k];
        const s = ini.find(config.profile)!;
        if (v === null) ini.remove(s, [k]);
        else ini.set(s, k, v);
      }
    }
    replaceFile(ctx, file, text, ini.toString(), { removeIfEmpty: previous === null });
  },

  /** The profile as the AWS SDKs read it (their own ini loader), tried with STS. */
  async check(ctx, config): Promise<DeliveryCheck> {
    const held = await awsProfileKind.readBack(ctx, config);
    const cause = `[${config.profile}] in ${config.file} has no aws_access_key_id and aws_secret_access_key.`;
    if (!held?.accessKeyId || !held.secretAccessKey) return checkHeldKey(ctx, held, { code: 'NoKeyInProfile', cause, test: awsProfileKind.testCommand(config) });
    return ctx.checkKey({ profile: config.profile, file: resolvePath(ctx, config.file) });
  },
});
