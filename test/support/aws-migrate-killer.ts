// Runs `import aws-credentials --migrate` in this process and SIGKILLs it at a chosen
// moment of writing the files: the port below is the test's, core never has such a hook.
//   tsx test/support/aws-migrate-killer.ts VAULT_DIR CREDENTIALS CONFIG POINT
// POINT: config-tmp (half of config's temporary file written), after-config (config
// replaced, credentials not yet), credentials-tmp (half of the credentials' temporary file).
import { openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AuditLog } from '../../electron/core/audit/log';
import { diskFiles, type MigrationFiles } from '../../electron/core/aws-profiles/migrate';
import { migrateProfiles } from '../../electron/core/aws-profiles/service';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import { Vault } from '../../electron/core/vault/vault';
import { fastProvider } from './fixtures';

const [dir, credentialsFile, configFile, point] = process.argv.slice(2);

function dieHalfWay(file: string, text: string): never {
  const fd = openSync(join(dirname(file), `.keyward-migrate-${basename(file)}-killed`), 'wx', 0o600);
  writeSync(fd, text.slice(0, Math.floor(text.length / 2)));
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const files: MigrationFiles = {
  writeBackup: diskFiles.writeBackup,
  writeAtomic(file, text) {
    if (file === configFile && point === 'config-tmp') dieHalfWay(file, text);
    if (file === credentialsFile && point === 'after-config') process.kill(process.pid, 'SIGKILL');
    if (file === credentialsFile && point === 'credentials-tmp') dieHalfWay(file, text);
    diskFiles.writeAtomic(file, text);
  },
};

const vault = await Vault.open(dir, fastProvider());
const audit = new AuditLog(vault, 'cli');
migrateProfiles(new CredentialService(vault, new EventBus(), { audit }), audit, { credentialsFile, configFile, dryRun: false, verify: false }, { files });
vault.close();
console.log('finished without being killed');
