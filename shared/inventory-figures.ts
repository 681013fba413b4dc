// The Inventory's figures (each a count of keys, and the list behind it). Apart from the
// channels (channels/inventory.ts), so that core computes them without building every
// inventory channel's schemas.
export const INVENTORY_FIGURES = ['pastMaxAge', 'approachingMaxAge', 'unused', 'neverVerified', 'staleVerification', 'secretsExpiring'] as const;
