// While a modal dialog is open, everything behind it is inert and hidden from assistive
// technology, so Tab and screen readers stay inside the dialog. Counted, so nested
// dialogs (a confirm over a form) restore the shell only when the last one closes.

export const APP_SHELL_ID = 'app-shell';

let openModals = 0;

export function modalOpened(): void {
  openModals++;
  setShellInert(true);
}

export function modalClosed(): void {
  openModals = Math.max(0, openModals - 1);
  if (openModals === 0) setShellInert(false);
}

export function isModalOpen(): boolean {
  return openModals > 0;
}

function setShellInert(inert: boolean): void {
  const shell = document.getElementById(APP_SHELL_ID);
  if (!shell) return;
  shell.inert = inert;
  if (inert) shell.setAttribute('aria-hidden', 'true');
  else shell.removeAttribute('aria-hidden');
}

const TABBABLE = ['a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type="hidden"])', 'select:not([disabled])', 'textarea:not([disabled])', '[tabindex]:not([tabindex="-1"])'].join(',');

export function tabbables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(TABBABLE)).filter((el) => el.tabIndex >= 0 && !el.closest('[inert]') && el.getClientRects().length > 0);
}

/** True when a key press is meant for a text field, not for a global shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
  }
  return false;
}
