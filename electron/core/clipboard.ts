import { createHash } from 'node:crypto';
import { systemClock, type Clock, type Timer } from './ports/clock';

/** The OS clipboard as core sees it: Electron's in the app, a stand-in in the harness. */
export interface ClipboardPort {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Puts a secret on the clipboard and clears it after the given delay (the vault's setting;
 * 0: never), unless the admin has copied something else meanwhile. Only a digest of the
 * secret is kept for that comparison.
 */
export class SecretClipboard {
  private timer: Timer | null = null;
  private mark: string | null = null;

  constructor(
    private readonly port: ClipboardPort,
    private readonly clock: Clock = systemClock,
  ) {}

  copy(secret: string, clearAfterMs: number): number {
    void this.port.writeText(secret);
    const mark = digest(secret);
    this.timer?.cancel();
    this.timer = null;
    this.mark = mark;
    if (clearAfterMs > 0) {
      this.timer = this.clock.setTimeout(async () => {
        this.timer = null;
        if (digest(await this.port.readText()) === mark) await this.port.writeText('');
      }, clearAfterMs);
    }
    return clearAfterMs;
  }

  /** Clears now if the clipboard still holds what we put there (on lock and quit), even with "never". */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    const mark = this.mark;
    this.mark = null;
    if (mark !== null && digest(await this.port.readText()) === mark) await this.port.writeText('');
  }
}
