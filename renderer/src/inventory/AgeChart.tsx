import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { InventorySummary } from '@shared/channels/inventory';

// Key ages as a histogram (SVG, no inline <style>: fits the strict CSP), with the maximum
// age marked, so old keys stand out without reading a table.

function binLabel(b: { fromDays: number; toDays: number | null }): string {
  return b.toDays === null ? `${b.fromDays}+` : `${b.fromDays}–${b.toDays - 1}`;
}

export function AgeChart({ bins, maxAgeDays }: { bins: InventorySummary['ageBins']; maxAgeDays: number }) {
  const data = bins.map((b) => ({ label: binLabel(b), keys: b.count, over: b.fromDays >= maxAgeDays }));
  const maxBin = bins.find((b) => (b.toDays === null ? maxAgeDays >= b.fromDays : maxAgeDays >= b.fromDays && maxAgeDays < b.toDays));
  return (
    <figure className="age-chart" aria-label={`Key ages in days; maximum age ${maxAgeDays} days`}>
      <BarChart width={640} height={220} data={data} margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={14} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={36} />
        <Tooltip formatter={(v) => [`${String(v)} key${Number(v) === 1 ? '' : 's'}`, 'Age (days)']} />
        <Bar dataKey="keys" fill="#3b82f6" isAnimationActive={false} />
        {maxBin && <ReferenceLine x={binLabel(maxBin)} stroke="#dc2626" strokeWidth={2} label={{ value: `max ${maxAgeDays} d`, position: 'top', fill: '#dc2626', fontSize: 11 }} />}
      </BarChart>
      <figcaption className="muted">Key age in days (15-day bins). Red line: the maximum age of {maxAgeDays} days.</figcaption>
    </figure>
  );
}
