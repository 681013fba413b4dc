import { create } from 'zustand';

// Transient notices: invoke errors land here so no failure is silent.

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

interface ToastState {
  toasts: Toast[];
}

export const useToasts = create<ToastState>(() => ({ toasts: [] }));

let nextId = 1;
const TIMEOUT_MS = { error: 8000, info: 4000 } as const;

export function showToast(kind: Toast['kind'], message: string): void {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, message }] }));
  setTimeout(() => dismissToast(id), TIMEOUT_MS[kind]);
}

export function toastError(message: string): void {
  showToast('error', message);
}

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
