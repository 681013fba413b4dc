import { create } from 'zustand';

// Transient notices: the one way the renderer says what happened (a success, a note, an
// error no form can show). Notices belong to the page they were raised on: changing
// page clears them, and a notice with the same `key` replaces the last one (a new test
// result over the old), so nothing lingers over what it no longer describes.

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  message: string;
  key?: string;
}

interface ToastState {
  toasts: Toast[];
}

export const useToasts = create<ToastState>(() => ({ toasts: [] }));

let nextId = 1;
const TIMEOUT_MS = { error: 8000, info: 5000, success: 4000 } as const;

export function showToast(kind: Toast['kind'], message: string, opts: { key?: string } = {}): void {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts.filter((t) => !opts.key || t.key !== opts.key).slice(-3), { id, kind, message, key: opts.key }] }));
  setTimeout(() => dismissToast(id), TIMEOUT_MS[kind]);
}

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

const pageOf = () => window.location.hash.replace(/^#\/?/, '').split('?')[0];
let page = typeof window === 'undefined' ? '' : pageOf();
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const next = pageOf();
    if (next !== page && useToasts.getState().toasts.length) useToasts.setState({ toasts: [] });
    page = next;
  });
}
