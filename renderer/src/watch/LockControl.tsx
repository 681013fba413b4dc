// The watch styles load with the sidebar, which every unlocked page shows.
import './watch.css';
import { useEffect } from 'react';
import { Button } from '../ui/Button';
import { useVault } from '../vault/store';
import { lockVault } from './store';

/** True for Ctrl+L (Cmd+L on macOS), the app's Lock shortcut. */
export function isLockShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l';
}

/** The sidebar footer's Lock button, and Ctrl+L / Cmd+L anywhere in the window. */
export function LockControl() {
  const unlocked = useVault((s) => s.status?.state === 'UNLOCKED');
  useEffect(() => {
    if (!unlocked) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isLockShortcut(e)) return;
      e.preventDefault();
      void lockVault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [unlocked]);
  if (!unlocked) return null;
  const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
  return (
    <div className="sidebar-footer">
      <Button variant="ghost" className="lock-button" onClick={() => void lockVault()} aria-keyshortcuts={mac ? 'Meta+L' : 'Control+L'} title={`Lock the vault (${mac ? '⌘L' : 'Ctrl+L'})`}>
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <rect x="4" y="11" width="16" height="10" rx="2" />
          <path d="M8 11V7a4 4 0 0 1 8 0v4" />
        </svg>
        <span className="lock-label">Lock</span>
        <kbd className="lock-kbd">{mac ? '⌘L' : 'Ctrl+L'}</kbd>
      </Button>
    </div>
  );
}
