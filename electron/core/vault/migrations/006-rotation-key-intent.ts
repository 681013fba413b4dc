import type { Migration } from './migration';

export default {
  version: 6,
  name: 'rotation-key-intent',
  sql: `
      -- When a rotation asked AWS for its new key, written before CreateAccessKey: a run
      -- killed before it recorded the key can tell that key as its own on resume.
      ALTER TABLE rotations ADD COLUMN key_requested_at TEXT;
    `,
} satisfies Migration;
