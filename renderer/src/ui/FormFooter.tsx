import type { Ref } from 'react';
import { Button } from './Button';

/**
 * A dialog form's footer: Cancel, and the submit button that says what it is doing while
 * busy. A destructive one is `danger`, with the focus on Cancel (cancelRef as the dialog's initialFocus).
 */
export function FormFooter({
  onCancel,
  busy,
  disabled,
  label,
  busyLabel,
  danger,
  cancelRef,
}: {
  onCancel: () => void;
  busy: boolean;
  disabled?: boolean;
  label: string;
  busyLabel: string;
  danger?: boolean;
  cancelRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <footer className="dialog-footer">
      <Button type="button" ref={cancelRef} onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={danger ? 'danger' : 'primary'} disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </Button>
    </footer>
  );
}
