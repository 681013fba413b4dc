import { dismissToast, useToasts } from './toast';
import { CloseIcon } from './icons';

// Lives outside the app shell, so a modal dialog (which makes the shell inert) never hides it.
export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toaster" role="region" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role="status" aria-live={t.kind === 'error' ? 'assertive' : 'polite'}>
          <span className="toast-message">{t.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => dismissToast(t.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
