#!/usr/bin/env node
// `keyward` from the TypeScript source through tsx (no build step): `npm run keyward:dev -- …`.
// What ships is bin/keyward.cjs, which runs the built out/cli/keyward.cjs with plain Node.
import { register } from 'tsx/esm/api';

// The SDK warns that Node 20 support ends in 2027; the CLI's stderr is for its own messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../electron/cli/main.ts');
