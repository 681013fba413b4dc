import { lazy, type ComponentType } from 'react';
import { CredentialsPage } from '../credentials/CredentialsPage';
import { ChartIcon, GearIcon, KeyIcon, ListIcon, ServerIcon, ShieldIcon, SlidersIcon } from '../ui/icons';

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

// Pages other than Credentials load when first opened: the window's first paint does not
// wait for the chart library or pages the admin may never visit.
const InventoryPage = lazy(() => import('../inventory/InventoryPage').then((m) => ({ default: m.InventoryPage })));
const ParametersPage = lazy(() => import('../parameters/ParametersPage').then((m) => ({ default: m.ParametersPage })));
const ResourcesPage = lazy(() => import('../resources/ResourcesPage').then((m) => ({ default: m.ResourcesPage })));
const PolicyPage = lazy(() => import('../policy/PolicyPage').then((m) => ({ default: m.PolicyPage })));
const AuditPage = lazy(() => import('../audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const SettingsPage = lazy(() => import('../settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));

export const PAGES: PageDef[] = [
  { id: 'inventory', label: 'Inventory', icon: ChartIcon, component: InventoryPage },
  { id: 'credentials', label: 'Credentials', icon: KeyIcon, component: CredentialsPage },
  { id: 'parameters', label: 'System Parameters', icon: SlidersIcon, component: ParametersPage },
  { id: 'resources', label: 'Resources', icon: ServerIcon, component: ResourcesPage },
  { id: 'policy', label: 'IAM Policy', icon: ShieldIcon, component: PolicyPage },
  { id: 'audit', label: 'Audit Logs', icon: ListIcon, component: AuditPage },
  { id: 'settings', label: 'Settings', icon: GearIcon, component: SettingsPage },
];

export const DEFAULT_PAGE = 'credentials';
