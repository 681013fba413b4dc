/** A small rotating ring. Give it a label when it is the only sign that work is running. */
export function Spinner({ label }: { label?: string }) {
  return label ? <span className="spinner" role="img" aria-label={label} title={label} /> : <span className="spinner" aria-hidden="true" />;
}
