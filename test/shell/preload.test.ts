import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/api';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract';

// The built preload (out/preload/index.cjs) as Electron's sandbox runs it: a fresh context
// whose require() knows only 'electron' (a sandboxed preload gets no Node modules), with
// contextBridge and ipcRenderer recording what it does.

const PRELOAD = resolve(import.meta.dirname, '../../out/preload/index.cjs');

interface Run {
  required: string[];
  exposed: { name: string; api: Record<string, unknown> }[];
  invoked: unknown[][];
  listening: string[];
  error?: unknown;
}

function runPreload(): Run {
  const run: Run = { required: [], exposed: [], invoked: [], listening: [] };
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => run.exposed.push({ name, api }) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (run.invoked.push(args), { ok: true, data: { state: 'UNLOCKED' } }),
      on: (channel: string) => run.listening.push(channel),
      removeListener: () => {},
    },
  };
  const module = { exports: {} };
  const sandbox = {
    require: (id: string) => {
      run.required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`module not found: ${id} (a sandboxed preload can require only electron)`);
    },
    module,
    exports: module.exports,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  };
  createContext(sandbox);
  try {
    runInContext(readFileSync(PRELOAD, 'utf8'), sandbox, { filename: PRELOAD });
  } catch (e) {
    run.error = e;
  }
  return run;
}

let run: Run;
beforeAll(() => {
  if (!existsSync(PRELOAD)) throw new Error(`${PRELOAD} is missing: run \`npx electron-vite build\` first (npm test does).`);
  run = runPreload();
});

describe('the built preload, sandboxed', () => {
  it('runs requiring nothing but electron', () => {
    expect(run.error).toBeUndefined();
    expect(new Set(run.required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly window.keyward: the contract, no ipcRenderer', () => {
    expect(run.exposed.map((e) => e.name)).toEqual(['keyward']);
    const api = run.exposed[0].api;
    expect(Object.keys(api).sort()).toEqual(['channels', 'events', 'invoke', 'on']);
    expect(api.channels).toEqual(CHANNEL_NAMES);
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipcRenderer');
  });

  it('sends each call on the one invoke channel with its contract channel name', async () => {
    const api = run.exposed[0].api as { invoke: (c: string, r: unknown) => Promise<unknown>; on: (e: string, l: () => void) => () => void };
    await expect(api.invoke('vault.status', {})).resolves.toEqual({ state: 'UNLOCKED' });
    expect(run.invoked).toEqual([[IPC_INVOKE, 'vault.status', {}]]);
    await expect(api.invoke('not.a.channel', {})).rejects.toThrow(/Unknown channel/);
    expect(run.invoked).toHaveLength(1);
    api.on(EVENT_NAMES[0], () => {});
    expect(run.listening).toEqual([IPC_EVENT]);
  });
});
