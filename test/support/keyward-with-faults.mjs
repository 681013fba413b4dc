#!/usr/bin/env node
// A test-only `keyward`: the CLI's own process entry, with a rotation fault port and a short
// propagation wait passed as ports (see cli-with-faults.ts). The shipped CLI reads no test switch.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./cli-with-faults.ts');
