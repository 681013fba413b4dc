/// <reference types="vite/client" />
import type { KeywardApi } from '@shared/api';

declare global {
  interface Window {
    /** Built by preload (Electron) or the loopback test harness from shared/contract. */
    readonly keyward: KeywardApi;
  }
}

export {};
