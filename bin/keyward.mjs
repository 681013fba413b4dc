#!/usr/bin/env node
// `keyward` from a checkout: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

// The SDK warns that Node 20 support ends in 2027; the CLI's stderr is for its own messages.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../electron/cli/main.ts');
