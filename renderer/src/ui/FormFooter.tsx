import { Button } from './Button';

/** A dialog form's footer: Cancel, and the submit button that says what it is doing while busy. */
export function FormFooter({ onCancel, busy, disabled, label, busyLabel }: { onCancel: () => void; busy: boolean; disabled?: boolean; label: string; busyLabel: string }) {
  return (
    <footer className="dialog-footer">
      <Button type="button" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </Button>
    </footer>
  );
}
