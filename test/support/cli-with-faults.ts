// `node keyward-with-faults.mjs [--pause-at POINT --pause-file FILE] [--propagation-ms N] -- <keyward args>`
// Runs the real CLI entry with a fault port: at POINT the rotation writes FILE and waits for
// ever, so a test can SIGKILL the process exactly there.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runProcess } from '../../electron/cli/process';
import type { FaultPoint, FaultPort } from '../../electron/core/rotation/faults';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const { values } = parseArgs({
  args: sep >= 0 ? argv.slice(0, sep) : [],
  options: { 'pause-at': { type: 'string' }, 'pause-file': { type: 'string' }, 'propagation-ms': { type: 'string' } },
  strict: true,
});
const pauseAt = values['pause-at'] as FaultPoint | undefined;
const pauseFile = values['pause-file'];
if (!!pauseAt !== !!pauseFile) throw new Error('--pause-at and --pause-file go together');

const faults: FaultPort = {
  at(point) {
    if (point !== pauseAt || !pauseFile) return Promise.resolve();
    writeFileSync(pauseFile, point);
    return new Promise(() => setInterval(() => undefined, 1000));
  },
};
const timeoutMs = Number(values['propagation-ms'] ?? 5000);

await runProcess(sep >= 0 ? argv.slice(sep + 1) : argv, {
  core: { rotation: { faults, propagation: { timeoutMs, firstDelayMs: Math.min(500, timeoutMs / 4) } } },
});
