// `node --import ./register.mjs out/main/index.js`: installs the loader hooks, then lets the
// test drive the stand-in over the process's IPC channel (see electron.mjs, drive()).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
const { drive } = await import('./electron.mjs');
process.on('message', async (msg) => {
  try {
    process.send({ id: msg.id, ok: true, value: await drive(msg) });
  } catch (e) {
    process.send({ id: msg.id, ok: false, error: String(e?.stack ?? e) });
  }
});
