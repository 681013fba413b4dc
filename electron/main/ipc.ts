import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/api';
import { CHANNEL_NAMES, type Envelope } from '../../shared/contract';
import type { KeywardCore } from '../core/app/core';
import { createDispatcher } from '../core/app/handlers';

/**
 * Binds the contract to ipcMain: one invoke channel that carries the contract's channel
 * name, checked against the sender's frame, validated by the shared dispatcher. Core
 * events go to the window on one event channel.
 */
export function bindIpc(core: KeywardCore, getWindow: () => BrowserWindow | null, trusted: (url: string | undefined) => boolean): () => void {
  // Unexpected errors go to the core's log (the rotating file in the data folder).
  const dispatch = createDispatcher(core);
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown): Promise<Envelope<unknown>> => {
    if (!trusted(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This page may not call Keyward.' } };
    }
    if (typeof channel !== 'string' || !(CHANNEL_NAMES as string[]).includes(channel)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel.' } };
    }
    return dispatch(channel, request);
  });
  const off = core.events.onAny((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    off();
    ipcMain.removeHandler(IPC_INVOKE);
  };
}
