import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage } from '../api';

/** A dialog's submit: busy while it runs, and the error (if any) to show in the form. */
export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, []);
  /** A form's onSubmit that runs the action (no page reload). */
  const submit = useCallback(
    (action: () => Promise<void>) => (e: FormEvent) => {
      e.preventDefault();
      void run(action);
    },
    [run],
  );
  return { busy, error, setError, run, submit };
}

/** The form's error line, announced to screen readers. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}
