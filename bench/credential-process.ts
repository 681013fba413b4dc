import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { buildCli } from '../scripts/build-cli.mjs';
import { startAwsServerProcess } from '../test/support/aws-server-process';
import { baseEnv, BIN, medians } from './cli';
import { figure, type Figure } from './report';

// `keyward credential-process` as the AWS CLI runs it on every call: the shipped CLI on a
// keychain vault, the long-term key and a cached --session, each a ratio to `node -e 0`
// measured in the same run. The session is fetched once (from the AWS test server, in
// its own process) before the runs, so every measured call is served from the vault.

export async function benchCredentialProcess(): Promise<Figure[]> {
  await buildCli();
  const tmp = mkdtempSync(join(tmpdir(), 'keyward-bench-cp-'));
  const aws = await startAwsServerProcess({ seed: { users: [{ userName: 'bench-cp', keys: [{}] }] } });
  try {
    const vaultDir = join(tmp, 'keychain-vault');
    const core = new KeywardCore({ vaultDir });
    await core.init('keychain');
    const [key] = aws.keys;
    core.credentials.add({
      name: 'prod',
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url },
      verify: false,
    });
    await core.close();
    const env = baseEnv({ KEYWARD_HOME: vaultDir });
    const m = await medians({ node: ['-e', '0'], longTerm: [BIN, 'credential-process', 'prod'], session: [BIN, 'credential-process', 'prod', '--session'] }, env);
    return [
      figure(`keyward credential-process, keychain vault (${m.longTerm.toFixed(0)} ms; node -e 0: ${m.node.toFixed(0)} ms), × node -e 0`, m.longTerm / m.node, 3, 'x'),
      figure(`keyward credential-process --session, cached session (${m.session.toFixed(0)} ms), × node -e 0`, m.session / m.node, 3, 'x'),
    ];
  } finally {
    await aws.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
