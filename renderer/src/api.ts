import type { KeywardApi } from '@shared/api';
import type { ErrorCode } from '@shared/errors';

// The one door to main. Everything the renderer learns goes through window.keyward.

export function api(): KeywardApi {
  return window.keyward;
}

export function hasApi(): boolean {
  return typeof window !== 'undefined' && typeof window.keyward?.invoke === 'function';
}

/** A KeywardApiError's code; errors cloned across contextBridge may lose it. */
export function errorCode(e: unknown): ErrorCode | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code as ErrorCode;
  return undefined;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
  return 'Something went wrong. Try again.';
}
