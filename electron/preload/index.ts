import { contextBridge, ipcRenderer } from 'electron';
import { createKeywardApi, IPC_EVENT, IPC_INVOKE } from '../../shared/api';
import type { Envelope } from '../../shared/contract';

// Exposes exactly the contract as `window.keyward`, nothing else: no ipcRenderer, no Node.
const api = createKeywardApi({
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE, channel, request) as Promise<Envelope<unknown>>,
  subscribe(event, listener) {
    const handler = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});

contextBridge.exposeInMainWorld('keyward', api);
