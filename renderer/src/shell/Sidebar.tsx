import { ShieldIcon } from '../ui/icons';
import { useVault } from '../vault/store';
import { PAGES } from './pages';
import { useRoute } from './route';
import { AttentionBadge } from '../watch/AttentionList';
import { LockControl } from '../watch/LockControl';

/**
 * Product name and navigation. Only pages that exist are listed. Below 1100 px it
 * collapses to icons (styles.css); until the vault is open it is inert, since every
 * page is behind the gate.
 */
export function Sidebar() {
  const { page } = useRoute();
  const open = useVault((s) => s.status?.state === 'UNLOCKED');
  return (
    <aside className={`sidebar${open ? '' : ' sidebar-inert'}`} inert={!open}>
      <div className="brand">
        <ShieldIcon className="brand-icon" />
        <span className="brand-name">Keyward</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {PAGES.map((p) => {
            const Icon = p.icon;
            const active = open && p.id === page;
            return (
              <li key={p.id}>
                <a className={`nav-link${active ? ' nav-link-active' : ''}`} href={`#/${p.id}`} aria-current={active ? 'page' : undefined} title={p.label}>
                  <Icon />
                  <span className="nav-label">{p.label}</span>
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
