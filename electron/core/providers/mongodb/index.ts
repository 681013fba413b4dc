import { mongodb } from '../../../../shared/providers/mongodb';
import { CA_FILE, sh, testWithCa } from '../shell';
import { providerOf } from '../types';
import { MONGODB_CATALOG } from './catalog';

// MongoDB: a user's password, checked with the official driver: SCRAM-SHA-256 and a
// `ping` (verify.ts). The test command is mongosh, which prompts for the password.

export const mongodbProvider = providerOf(mongodb, () => import('./verify'), MONGODB_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.host || !fields.user) return null;
    const parts = ['mongosh', '--host', sh(fields.host), '--port', sh(fields.port || '27017')];
    if (fields.tls !== 'off') parts.push('--tls');
    if (fields.tls !== 'off' && testWithCa(fields, errorCode)) parts.push('--tlsCAFile', CA_FILE);
    parts.push('--username', sh(fields.user), '--authenticationDatabase', sh(fields.database || 'admin'), '--authenticationMechanism', 'SCRAM-SHA-256');
    parts.push('--eval', sh('db.runCommand({ ping: 1 })'));
    return parts.join(' ');
  },
  cliCheck: (fields) => (fields.caCert !== undefined && fields.tls === 'off' ? '--ca-file is for TLS: use --tls on (the default), not off.' : null),
});
