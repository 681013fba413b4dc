/** A select of credentials by name, with an optional first choice (e.g. "Any credential"). */
export function CredentialSelect({
  id,
  credentials,
  value,
  onChange,
  emptyLabel,
  ariaLabel,
}: {
  /** For a <label htmlFor>. */
  id?: string;
  credentials: ReadonlyArray<{ id: string; name: string }>;
  value: string;
  onChange: (id: string) => void;
  /** A first option with the value "", when none is a valid choice. */
  emptyLabel?: string;
  ariaLabel?: string;
}) {
  return (
    <select id={id} aria-label={ariaLabel} value={value} onChange={(e) => onChange(e.target.value)}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {credentials.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
