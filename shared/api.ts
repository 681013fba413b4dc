import { CHANNEL_NAMES, EVENT_NAMES, type ChannelName, type Envelope, type EventName, type EventPayload, type Request, type Response } from './contract';
import type { ErrorCode } from './errors';

// Builds the renderer's API object from the contract over any transport: Electron's
// ipcRenderer in preload, HTTP in the loopback test harness. One shape, two wires.

interface Transport {
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export class KeywardApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeywardApiError';
  }
}

export type KeywardApi = {
  invoke<C extends ChannelName>(channel: C, request: Request<C>): Promise<Response<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  channels: readonly ChannelName[];
  events: readonly EventName[];
};

export function createKeywardApi(transport: Transport): KeywardApi {
  return {
    channels: CHANNEL_NAMES,
    events: EVENT_NAMES,
    async invoke(channel, request) {
      if (!CHANNEL_NAMES.includes(channel)) throw new KeywardApiError('INVALID_INPUT', `Unknown channel ${channel}`);
      const envelope = await transport.invoke(channel, request ?? {});
      if (!envelope.ok) throw new KeywardApiError(envelope.error.code, envelope.error.message);
      return envelope.data as never;
    },
    on(event, listener) {
      if (!EVENT_NAMES.includes(event)) throw new KeywardApiError('INVALID_INPUT', `Unknown event ${event}`);
      return transport.subscribe(event, listener as (p: unknown) => void);
    },
  };
}

/** The two Electron IPC channel names that carry the contract (preload ↔ main). */
export const IPC_INVOKE = 'keyward:invoke';
export const IPC_EVENT = 'keyward:event';
