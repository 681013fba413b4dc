import { createHash } from 'node:crypto';

/** The OS clipboard as core sees it: Electron's in the app, a stand-in in the harness. */
export interface ClipboardPort {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
}

const CLIPBOARD_CLEAR_MS = 30_000;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Puts a secret on the clipboard and clears it after 30 s, unless the admin has copied
 * something else meanwhile. Only a digest of the secret is kept for that comparison.
 */
export class SecretClipboard {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly port: ClipboardPort,
    private readonly clearAfterMs = CLIPBOARD_CLEAR_MS,
  ) {}

  copy(secret: string): number {
    void this.port.writeText(secret);
    const mark = digest(secret);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      this.timer = null;
      if (digest(await this.port.readText()) === mark) await this.port.writeText('');
    }, this.clearAfterMs);
    this.timer.unref?.();
    return this.clearAfterMs;
  }

  /** Clears now if the clipboard still holds what we put there (on lock and quit). */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    void this.port.writeText('');
  }
}
