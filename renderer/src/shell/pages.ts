import { createElement, lazy, type ComponentType } from 'react';
import { ChartIcon, GearIcon, KeyIcon, ListIcon, ServerIcon, ShieldIcon, SlidersIcon } from '../ui/icons';

// Each page is its own chunk, out of the lock screen's script; all start loading now, at
// start-up, beside the lock screen, so a page is there by the time it is opened.
// Once loaded, a page renders at once: suspending again would make React hold the new page
// back behind the fallback for its reveal throttle (~300 ms).
function page<M>(load: Promise<M>, pick: (m: M) => ComponentType): ComponentType {
  let loaded: ComponentType | null = null;
  const ready = load.then((m) => (loaded = pick(m)));
  const Pending = lazy(() => ready.then((c) => ({ default: c })));
  return function Page() {
    return createElement(loaded ?? Pending);
  };
}

/**
 * The app's pages, in sidebar order. A feature adds its page here once: the sidebar and
 * the hash router both read this list, so there are no dead links.
 */
export interface PageDef {
  /** The hash route: #/<id>. */
  id: string;
  label: string;
  icon: ComponentType<{ className?: string }>;
  component: ComponentType;
}

export const PAGES: PageDef[] = [
  { id: 'inventory', label: 'Inventory', icon: ChartIcon, component: page(import('../inventory/InventoryPage'), (m) => m.InventoryPage) },
  { id: 'credentials', label: 'Credentials', icon: KeyIcon, component: page(import('../credentials/CredentialsPage'), (m) => m.CredentialsPage) },
  { id: 'parameters', label: 'System Parameters', icon: SlidersIcon, component: page(import('../parameters/ParametersPage'), (m) => m.ParametersPage) },
  { id: 'resources', label: 'Resources', icon: ServerIcon, component: page(import('../resources/ResourcesPage'), (m) => m.ResourcesPage) },
  { id: 'policy', label: 'IAM Policy', icon: ShieldIcon, component: page(import('../policy/PolicyPage'), (m) => m.PolicyPage) },
  { id: 'audit', label: 'Audit Logs', icon: ListIcon, component: page(import('../audit/AuditPage'), (m) => m.AuditPage) },
  { id: 'settings', label: 'Settings', icon: GearIcon, component: page(import('../settings/SettingsPage'), (m) => m.SettingsPage) },
];

export const DEFAULT_PAGE = 'credentials';
