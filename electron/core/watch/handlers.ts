import type { ChannelName } from '../../../shared/contract';
import type { HandlersFor } from '../app/handlers';
import type { KeywardCore } from '../app/core';

export type WatchChannel = Extract<ChannelName, `watch.${string}` | 'vault.lock' | 'vault.changePassphrase' | 'vault.setKeyProvider'>;

/** Keeping watch and locking, for the window and the CLI alike. */
export function watchHandlers(core: KeywardCore): HandlersFor<WatchChannel> {
  return {
    'watch.attention': () => core.watch.attention(),
    'watch.status': () => core.watchStatus(),
    'watch.setSettings': (r) => core.setWatchSettings(r),
    'watch.runNow': () => core.runChecksNow(),
    'watch.check': async (r) => {
      const { run, attention } = await core.watch.run('cli', { verify: r.verify, concurrency: r.concurrency });
      return { run, attention };
    },
    'vault.lock': () => core.lock('manual'),
    'vault.changePassphrase': (r) => core.changePassphrase(r.current, r.next),
    'vault.setKeyProvider': (r) => core.setKeyProvider(r.keyProvider, { current: r.current, passphrase: r.passphrase }),
  };
}
