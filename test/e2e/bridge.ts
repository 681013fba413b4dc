import { createKeywardApi } from '../../shared/api';
import type { Envelope } from '../../shared/contract';

// The test harness's stand-in for electron/preload: the same `createKeywardApi` from the
// same contract, over HTTP to the loopback harness instead of Electron IPC. Injected
// into the page by Playwright before the renderer's own scripts run.
declare const __HARNESS_TOKEN__: string;

const headers = { 'content-type': 'application/json', authorization: `Bearer ${__HARNESS_TOKEN__}` };
const listeners = new Map<string, Set<(p: unknown) => void>>();

// Opened at once, and every invoke waits for it: an event that main emits in answer to
// a call (a check finishing) must not be lost before the stream is connected. Electron's
// IPC has no such gap, so neither may the harness.
const source = new EventSource(`/__harness/events?token=${encodeURIComponent(__HARNESS_TOKEN__)}`);
const opened = new Promise<void>((resolve) => source.addEventListener('open', () => resolve(), { once: true }));
source.onmessage = (m) => {
  const { event, payload } = JSON.parse(m.data) as { event: string; payload: unknown };
  listeners.get(event)?.forEach((l) => l(payload));
};

(window as unknown as { keyward: unknown }).keyward = Object.freeze(
  createKeywardApi({
    async invoke(channel, request) {
      await opened;
      const res = await fetch(`/__harness/ipc/${encodeURIComponent(channel)}`, { method: 'POST', headers, body: JSON.stringify(request) });
      return (await res.json()) as Envelope<unknown>;
    },
    subscribe(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  }),
);
