import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { modalClosed, modalOpened, tabbables } from './modal';
import { CloseIcon } from './icons';

export interface DialogProps {
  /** The dialog's accessible name, shown as its heading. */
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Element to focus when the dialog opens; defaults to the first focusable field. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes on close when the opener is gone (e.g. its row was deleted). */
  fallbackFocus?: () => HTMLElement | null;
  /** Extra content for aria-describedby. */
  describedBy?: string;
  size?: 'sm' | 'md';
}

/**
 * A modal dialog: focus moves in on open, Tab cycles inside, Escape closes, and focus
 * returns to the element that opened it.
 */
export function Dialog({ title, onClose, children, initialFocus, fallbackFocus, describedBy, size = 'md' }: DialogProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  const fallbackRef = useRef(fallbackFocus);
  const openRef = useRef(false);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    fallbackRef.current = fallbackFocus;
  });

  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    modalOpened();
    openRef.current = true;
    const panel = panelRef.current;
    if (panel) {
      const target = initialFocus?.current ?? panel.querySelector<HTMLElement>('[data-autofocus]') ?? tabbables(panel)[0] ?? panel;
      target.focus();
    }
    return () => {
      openRef.current = false;
      modalClosed();
      const back = opener?.isConnected ? opener : fallbackRef.current?.();
      back?.focus();
    };
    // Runs once per opening: the dialog's lifetime is the component's.
  }, []);

  // Focus that escapes (a click on the backdrop, a toast) is brought back in.
  useEffect(() => {
    function onFocusIn(e: FocusEvent) {
      const panel = panelRef.current;
      if (!openRef.current || !panel || !(e.target instanceof Node) || panel.contains(e.target)) return;
      if (e.target instanceof Element && e.target.closest('.toaster')) return;
      if (isTopmost(panel)) (tabbables(panel)[0] ?? panel).focus();
    }
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);

  // Keys are handled at the document: after a field is blurred, focus sits on <body>, and
  // Escape must still close the dialog on top.
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const panel = panelRef.current;
      if (!panel || !openRef.current || !isTopmost(panel) || e.defaultPrevented) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = tabbables(panel);
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      if (!(active instanceof Node) || !panel.contains(active) || active === panel) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      } else if (e.shiftKey && active === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first.focus();
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return createPortal(
    <div className="dialog-backdrop">
      <div ref={panelRef} className={`dialog dialog-${size}`} role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={describedBy} tabIndex={-1}>
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => onCloseRef.current()} tabIndex={-1}>
            <CloseIcon />
          </button>
        </header>
        {children}
      </div>
    </div>,
    document.body,
  );
}

function isTopmost(panel: HTMLElement): boolean {
  const all = document.querySelectorAll('.dialog[aria-modal="true"]');
  return all[all.length - 1] === panel;
}
