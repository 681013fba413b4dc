import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { MAX_STDIN_BYTES, sizeLabel } from '../../shared/limits';
import { KeywardError } from '../core/errors';

/**
 * Secrets come from standard input, one per line, in the order the command names them
 * (never from flags, which land in shell history). On a terminal they are prompted for
 * with echo off.
 */
export function createSecretReader(input: NodeJS.ReadStream, promptOut: NodeJS.WriteStream) {
  let lines: Promise<string[]> | null = null;
  let next = 0;
  // Read whole, but never past MAX_STDIN_BYTES: `yes | keyward …` or /dev/zero stops at once.
  const readAll = () =>
    (lines ??= new Promise<string[]>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      input.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_STDIN_BYTES) {
          input.pause();
          input.removeAllListeners('data');
          reject(new KeywardError('INVALID_INPUT', `Standard input is larger than ${sizeLabel(MAX_STDIN_BYTES)}: Keyward reads only secrets from it, one per line; it was not read.`));
          return;
        }
        chunks.push(c);
      });
      input.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').split(/\r?\n/)));
      input.on('error', reject);
    }));

  async function promptHidden(label: string): Promise<string> {
    let muted = false;
    const out = new Writable({
      write(chunk, _enc, cb) {
        if (!muted) promptOut.write(chunk);
        cb();
      },
    });
    const rl = createInterface({ input, output: out, terminal: true });
    const answer = new Promise<string>((resolve) => rl.question(`${label}: `, resolve));
    muted = true;
    const value = await answer;
    rl.close();
    promptOut.write('\n');
    return value;
  }

  return {
    async readSecret(label: string): Promise<string> {
      if (input.isTTY) return promptHidden(label);
      const all = await readAll();
      const value = all[next++] ?? '';
      return value.trim();
    },
    /**
     * Everything left on stdin, for a multi-line secret (a key file's JSON). On a terminal
     * it is refused: a pasted key would echo, and the file is at hand to pipe in.
     */
    async readRest(_label: string): Promise<string> {
      if (input.isTTY) return '';
      const all = await readAll();
      const rest = all.slice(next).join('\n');
      next = all.length;
      return rest.trim();
    },
    async confirm(question: string): Promise<boolean> {
      if (!input.isTTY) return false;
      const rl = createInterface({ input, output: promptOut });
      const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
      rl.close();
      return /^y(es)?$/i.test(answer.trim());
    },
  };
}
