// Versioned schema, one migration per file (NNN-name.ts). Each runs in one transaction
// and bumps user_version, so a vault is always at exactly one known version. Never edit a
// shipped migration: add the next file and list it here.
import type { Migration } from './migration';
import v1 from './001-credentials';
import v2 from './002-audit';
import v3 from './003-rotation-and-parameters';
import v4 from './004-resources';
import v5 from './005-credential-reports';
import v6 from './006-rotation-key-intent';
import v7 from './007-credential-watch';
import v8 from './008-aws-sessions';
import v9 from './009-rotation-runs';
import v10 from './010-deliveries';

export type { Migration };

export const MIGRATIONS: ReadonlyArray<Migration> = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
