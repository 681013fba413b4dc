import { useEffect, useState, type ComponentProps } from 'react';

// The chart library (recharts) is its own chunk, so the lock screen does not load it. It is
// loaded right after unlock (preloadAgeChart, from App) rather than on the click that opens
// the Inventory, so the chart renders at once there, as if it were in the main bundle.

type AgeChartModule = typeof import('./AgeChart');
let loaded: AgeChartModule | null = null;
let loading: Promise<AgeChartModule> | null = null;

export function preloadAgeChart(): Promise<AgeChartModule> {
  loading ??= import('./AgeChart').then((m) => (loaded = m));
  return loading;
}

export function AgeChart(props: ComponentProps<AgeChartModule['AgeChart']>) {
  const [mod, setMod] = useState(loaded);
  useEffect(() => {
    if (!mod) void preloadAgeChart().then(setMod);
  }, [mod]);
  if (!mod) return <figure className="age-chart" aria-busy="true" aria-label="Key ages (loading the chart)" />;
  return <mod.AgeChart {...props} />;
}

/** Rendered once the vault is unlocked: starts loading the chart's chunk. */
export function PreloadAgeChart() {
  useEffect(() => void preloadAgeChart(), []);
  return null;
}
