import type { ComponentType } from 'react';
import { CredentialsPage } from '../credentials/CredentialsPage';
import { InventoryPage } from '../inventory/InventoryPage';
import { ParametersPage } from '../parameters/ParametersPage';
import { ResourcesPage } from '../resources/ResourcesPage';
import { PolicyPage } from '../policy/PolicyPage';
import { AuditPage } from '../audit/AuditPage';
import { SettingsPage } from '../settings/SettingsPage';
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
