// `node --import ./test/support/record-imports.mjs …`: writes every module URL the process
// resolves through the ESM loader to the file named by KEYWARD_TEST_IMPORT_LOG, one per
// line. Tests use it to prove that a command never loads a heavy client library. Test
// support only: nothing shipped reads that variable.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.KEYWARD_TEST_IMPORT_LOG } });
