import type { InventoryFigure } from '@shared/channels/inventory';

export const FIGURE_LABELS: Record<InventoryFigure, string> = {
  pastMaxAge: 'Keys past the maximum age',
  approachingMaxAge: 'Keys approaching the maximum age',
  unused: 'Keys not used recently',
  neverVerified: 'Never verified',
  staleVerification: 'Not verified recently',
  secretsExpiring: 'Secrets expired or expiring',
};

export function isFigure(v: string | null): v is InventoryFigure {
  return v !== null && v in FIGURE_LABELS;
}
