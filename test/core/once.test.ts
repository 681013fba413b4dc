import { describe, expect, it } from 'vitest';
import { once } from '../../shared/once';

describe('once', () => {
  it('makes the value on the first call only, and remembers it, undefined and null included', () => {
    let calls = 0;
    const made = once(() => ({ n: ++calls }));
    expect(calls).toBe(0);
    const first = made();
    expect(made()).toBe(first);
    expect(calls).toBe(1);
    let nothing = 0;
    const none = once(() => {
      nothing++;
      return undefined;
    });
    expect([none(), none()]).toEqual([undefined, undefined]);
    expect(nothing).toBe(1);
  });

  it('makes it again after a failed attempt (nothing is remembered from a throw)', () => {
    let tries = 0;
    const made = once(() => {
      if (++tries === 1) throw new Error('first try fails');
      return tries;
    });
    expect(() => made()).toThrow('first try fails');
    expect(made()).toBe(2);
    expect(made()).toBe(2);
  });
});
