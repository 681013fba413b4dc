import { z } from 'zod';
import { DELIVERY_LIMITS } from '../../../shared/limits';
import { ENV_NAME, EnvFile } from '../env-file';
import { defineKind, type DeliveryCheck, type DeliveryContext, type DeliveryKind } from './kind';
import { checkHeldKey, loadFile, replaceFile } from './local-file';

// A .env file an application reads its key from: two named variables (AWS's own names
// unless the admin gives others). Their lines are replaced; every other line stays.

const VarName = z.string().max(DELIVERY_LIMITS.nameChars).regex(ENV_NAME, 'a variable name is letters, digits and _, not starting with a digit');

const ConfigSchema = z
  .object({
    file: z.string().min(1).max(DELIVERY_LIMITS.pathChars),
    idVar: VarName.default('AWS_ACCESS_KEY_ID'),
    secretVar: VarName.default('AWS_SECRET_ACCESS_KEY'),
  })
  .refine((c) => c.idVar !== c.secretVar, 'the key id and the secret need two different variables');
type Config = z.output<typeof ConfigSchema>;

/** The two variables' lines as they were (null: absent); null for the whole when the file did not exist. */
interface Previous {
  idLine: string | null;
  secretLine: string | null;
}

const open = (ctx: DeliveryContext, config: Config) => loadFile(ctx, config.file, 'dotenv', EnvFile.parse);

export const dotenvKind: DeliveryKind<Config, Previous> = defineKind<Config, Previous>({
  id: 'dotenv',
  title: '.env file',
  configSchema: ConfigSchema,
  describe: (c) => `${c.idVar} and ${c.secretVar} in ${c.file}`,
  // AWS's own names: the AWS CLI reads them from the environment; other names: the key id's line.
  testCommand: (c) =>
    c.idVar === 'AWS_ACCESS_KEY_ID' && c.secretVar === 'AWS_SECRET_ACCESS_KEY' ? `(set -a; . ${c.file}; aws sts get-caller-identity)` : `grep -E '^(export )?${c.idVar}=' ${c.file}`,
  awsActions: () => [],

  async save(ctx, config) {
    const { text, doc: env } = open(ctx, config);
    return text === null ? null : { idLine: env.line(config.idVar), secretLine: env.line(config.secretVar) };
  },

  async write(ctx, config, key) {
    const { file, text, doc: env } = open(ctx, config);
    env.set(config.idVar, key.accessKeyId);
    env.set(config.secretVar, key.secretAccessKey);
    replaceFile(ctx, file, text, env.toString());
  },

  async readBack(ctx, config) {
    const { doc: env } = open(ctx, config);
    const accessKeyId = env.get(config.idVar);
    const secretAccessKey = env.get(config.secretVar);
    return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
  },

  async restore(ctx, config, previous) {
    const { file, text, doc: env } = open(ctx, config);
    if (text === null) return;
    env.setLine(config.idVar, previous?.idLine ?? null);
    env.setLine(config.secretVar, previous?.secretLine ?? null);
    replaceFile(ctx, file, text, env.toString(), { removeIfEmpty: previous === null });
  },

  /** The variables as the application reads them, tried with STS. */
  async check(ctx, config): Promise<DeliveryCheck> {
    const cause = `${config.file} does not set both ${config.idVar} and ${config.secretVar}.`;
    return checkHeldKey(ctx, await dotenvKind.readBack(ctx, config), { code: 'NoKeyInFile', cause, test: dotenvKind.testCommand(config) });
  },
});
