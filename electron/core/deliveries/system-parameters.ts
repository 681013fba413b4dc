import { z } from 'zod';
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
}

export const systemParametersKind = defineKind<Config, Previous>({
  id: 'system-parameters',
  title: 'System Parameters',
  configSchema: ConfigSchema,
  describe: (_config, parameters) => {
    const keys = parameters?.bound().map((p) => p.key) ?? [];
    return keys.length ? keys.join(', ') : 'the parameters bound to its key';
  },
  testCommand: () => 'keyward params list',
  awsActions: () => [],

  /** The parameters bound now, for the journal; their values are the credential's, restored with it. */
  async save(ctx) {
    return { keys: ctx.parameters.bound().map((p) => p.key) };
  },

  // Bound parameters take their value from the credential record: the apply step wrote them
  // all when it switched the credential, in that one transaction (rotation/steps.ts), and a
  // rollback restores them when it puts the credential back (rotation/rollback.ts). There is
  // nothing more to write or restore here; readBack and check below are what this kind adds.
  async write() {},

  async readBack(ctx) {
    const held = ctx.parameters.values();
    return held.accessKeyId || held.secretAccessKey ? held : null;
  },

  async restore() {},

  async check(ctx, _config, key) {
    return ctx.checkKey(key);
  },
});
