import { KeyIcon, ShieldIcon } from '../ui/icons';

/** Product name and navigation. Only pages that exist are listed. */
export function Sidebar() {
  return (
    <aside className="sidebar">
      <div className="brand">
        <ShieldIcon className="brand-icon" />
        <span className="brand-name">Keyward</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          <li>
            <a className="nav-link nav-link-active" href="#/credentials" aria-current="page">
              <KeyIcon />
              Credentials
            </a>
          </li>
        </ul>
      </nav>
    </aside>
  );
}
