import { performance } from 'node:perf_hooks';

export interface Figure {
  name: string;
  value: number;
  target: number;
  unit: string;
  ok: boolean;
}

export function figure(name: string, value: number, target: number, unit: string): Figure {
  return { name, value, target, unit, ok: value <= target };
}

export async function time(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function print(figures: Figure[]): void {
  for (const f of figures) {
    const v = f.value < 10 ? f.value.toFixed(3) : f.value.toFixed(1);
    console.log(`${f.ok ? 'PASS' : 'MISS'}  ${f.name}: ${v} ${f.unit} (target ≤ ${f.target} ${f.unit})`);
  }
}
