// What a failing call threw, checked to be the app's own error type.
import { expect } from 'vitest';
import { KeywardError } from '../../electron/core/errors';

/** Runs `fn`, expects a KeywardError, and returns it. */
export async function keywardError(fn: () => Promise<unknown> | unknown): Promise<KeywardError> {
  try {
    await fn();
  } catch (e) {
    expect(e, `expected a KeywardError, got ${String(e)}`).toBeInstanceOf(KeywardError);
    return e as KeywardError;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
