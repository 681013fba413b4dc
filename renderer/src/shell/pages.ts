import type { ComponentType } from 'react';
import { CredentialsPage } from '../credentials/CredentialsPage';
import { KeyIcon } from '../ui/icons';

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

export const PAGES: PageDef[] = [{ id: 'credentials', label: 'Credentials', icon: KeyIcon, component: CredentialsPage }];

export const DEFAULT_PAGE = 'credentials';
