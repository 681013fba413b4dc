import { ShieldIcon } from '../ui/icons';
import { PAGES } from './pages';
import { useRoute } from './route';
import { AttentionBadge } from '../watch/AttentionList';
import { LockControl } from '../watch/LockControl';

/** Product name and navigation. Only pages that exist are listed. */
export function Sidebar() {
  const { page } = useRoute();
  return (
    <aside className="sidebar">
      <div className="brand">
        <ShieldIcon className="brand-icon" />
        <span className="brand-name">Keyward</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {PAGES.map((p) => {
            const Icon = p.icon;
            const active = p.id === page;
            return (
              <li key={p.id}>
                <a className={`nav-link${active ? ' nav-link-active' : ''}`} href={`#/${p.id}`} aria-current={active ? 'page' : undefined}>
                  <Icon />
                  {p.label}
                  {p.id === 'inventory' && <AttentionBadge />}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <LockControl />
    </aside>
  );
}
