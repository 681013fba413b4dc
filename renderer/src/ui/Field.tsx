import type { ReactNode } from 'react';

/**
 * Every form's field: its label, "optional" when it is, the control, its error (announced)
 * and its help, wired together by id so a screen reader reads them with the control.
 */
export function Field({
  id,
  label,
  help,
  optional,
  error,
  children,
}: {
  id: string;
  label: string;
  help?: ReactNode;
  optional?: boolean;
  error?: string | null;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {optional && <span className="optional">optional</span>}
      {children(describedBy)}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
