/** A select of credentials by name, with an optional first choice (e.g. "Any credential"). */
export function CredentialSelect({
  credentials,
  value,
  onChange,
  emptyLabel,
  ariaLabel,
  id,
  ariaDescribedBy,
}: {
  credentials: ReadonlyArray<{ id: string; name: string }>;
  value: string;
  onChange: (id: string) => void;
  /** A first option with the value "", when none is a valid choice. */
  emptyLabel?: string;
  ariaLabel?: string;
  /** For a visible <label htmlFor> (Field) instead of ariaLabel. */
  id?: string;
  ariaDescribedBy?: string;
}) {
  return (
    <select id={id} aria-label={ariaLabel} aria-describedby={ariaDescribedBy} value={value} onChange={(e) => onChange(e.target.value)}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      <NamedOptions items={credentials} />
    </select>
  );
}

/** Options of things with an id and a name (credentials, delivery kinds): the id is the value. */
export function NamedOptions({ items }: { items: ReadonlyArray<{ id: string; name: string }> }) {
  return (
    <>
      {items.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </>
  );
}
