import { AWS_REGIONS } from '@shared/regions';

/** Every AWS region as a select's options: "eu-west-1 — Europe (Ireland)". */
export function RegionOptions() {
  return (
    <>
      {AWS_REGIONS.map((r) => (
        <option key={r.code} value={r.code}>
          {r.code} — {r.name}
        </option>
      ))}
    </>
  );
}
