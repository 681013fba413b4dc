import type { ComponentType } from 'react';
import { CredentialsPage } from '../credentials/CredentialsPage';
import { InventoryPage } from '../inventory/InventoryPage';
import { ParametersPage } from '../parameters/ParametersPage';
import { ResourcesPage } from '../resources/ResourcesPage';
import { PolicyPage } from '../policy/PolicyPage';
import { AuditPage } from '../audit/AuditPage';
import { CopyIcon, KeyIcon, ShieldIcon } from '../ui/icons';

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
  { id: 'inventory', label: 'Inventory', icon: ShieldIcon, component: InventoryPage },
  { id: 'credentials', label: 'Credentials', icon: KeyIcon, component: CredentialsPage },
  { id: 'parameters', label: 'System Parameters', icon: ShieldIcon, component: ParametersPage },
  { id: 'resources', label: 'Resources', icon: ShieldIcon, component: ResourcesPage },
  { id: 'policy', label: 'IAM Policy', icon: KeyIcon, component: PolicyPage },
  { id: 'audit', label: 'Audit Logs', icon: CopyIcon, component: AuditPage },
];

export const DEFAULT_PAGE = 'credentials';
