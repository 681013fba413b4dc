import { openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream } from 'node:tty';
import { KeywardError } from '../core/errors';

/**
 * Asks one question on the controlling terminal (/dev/tty), not on stdin/stdout: under
 * AWS's credential_process those are pipes to the AWS CLI or SDK. Fails with what to do
 * where the process has no terminal (a CI job, a daemon, an IDE plugin).
 */
export async function askOnTerminal(question: string, noTerminal: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new KeywardError('INVALID_INPUT', noTerminal);
  }
  const input = new ReadStream(fd);
  try {
    writeSync(fd, question);
    const rl = createInterface({ input, terminal: false });
    const line = await new Promise<string>((res) => {
      rl.once('line', res);
      rl.once('close', () => res(''));
    });
    rl.close();
    return line;
  } finally {
    input.destroy(); // closes the fd
  }
}
