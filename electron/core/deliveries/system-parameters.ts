import { z } from 'zod';
import { KeywardError } from '../errors';
import { defineKind } from './kind';

// The System Parameters bound to the credential's key (keyward params bind KEY CRED FIELD).
// A bound parameter takes its value from the credential record, so the rotation's apply
// step writes them all at once, atomically, when it switches the credential (and a
// rollback restores them with it). This kind reads them back as the application would
// get them, and checks the key they form. One per credential: Keyward keeps it while
// parameters are bound to the key (deliveries/service.ts).

const ConfigSchema = z.object({}).strict();
type Config = z.output<typeof ConfigSchema>;

interface Previous {
  keys: string[];
  accessKeyId: string | null;
}

export const systemParametersKind = defineKind<Config, Previous>({
  id: 'system-parameters',
  title: 'System Parameters',
  configSchema: ConfigSchema,
  describe: () => 'the System Parameters bound to its key',
  testCommand: () => 'keyward params list',
  awsActions: () => [],

  async save(ctx) {
    return { keys: ctx.parameters.bound().map((p) => p.key), accessKeyId: ctx.parameters.values().accessKeyId ?? null };
  },

  /** The credential record holds the key by now (the apply step switched it first): its bound parameters follow it. */
  async write(ctx, _config, key) {
    const held = ctx.parameters.values();
    const wrong = ctx.parameters.bound().filter((p) => held[p.field] !== key[p.field]);
    if (wrong.length) {
      throw new KeywardError('CONFLICT', `The parameters ${wrong.map((p) => p.key).join(', ')} do not follow the credential's new key. Check their bindings (keyward params list), then resume.`);
    }
  },

  async readBack(ctx) {
    const held = ctx.parameters.values();
    return held.accessKeyId || held.secretAccessKey ? held : null;
  },

  /** The rollback has put the credential back on the old key by now, and its bound parameters with it. */
  async restore(ctx, _config, previous) {
    if (!previous?.accessKeyId) return;
    const now = ctx.parameters.values().accessKeyId ?? null;
    if (now !== previous.accessKeyId) {
      throw new KeywardError('CONFLICT', `The bound parameters hold ${now ?? 'no key'}, not the old key: check their bindings (keyward params list).`);
    }
  },

  async check(ctx, _config, key) {
    return ctx.checkKey(key);
  },
});
