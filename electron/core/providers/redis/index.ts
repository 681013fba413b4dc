import { redis } from '../../../../shared/providers/redis';
import { CA_FILE, sh, testWithCa } from '../shell';
import { providerOf } from '../types';
import { REDIS_CATALOG } from './catalog';

// Redis: a password (default or ACL user), checked with AUTH and PING (verify.ts). The
// test command is redis-cli --askpass, which prompts for it.

export const redisProvider = providerOf(redis, () => import('./verify'), REDIS_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.host) return null;
    const parts = ['redis-cli', '-h', sh(fields.host), '-p', sh(fields.port || '6379')];
    if (fields.tls === 'on') parts.push('--tls');
    if (fields.tls === 'on' && testWithCa(fields, errorCode)) parts.push('--cacert', CA_FILE);
    if (fields.username) parts.push('--user', sh(fields.username));
    parts.push('--askpass', 'PING');
    return parts.join(' ');
  },
  cliCheck: (fields) => (fields.caCert !== undefined && fields.tls !== 'on' ? '--ca-file is for TLS: add --tls on.' : null),
});
