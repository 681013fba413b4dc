// Reads vitest's and Playwright's JSON reports and prints "N passed, N failed".
// A missing or unreadable report counts as one failure: no report means no proof.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`summary: no readable report at ${file}`);
    failed += 1;
    return null;
  }
}

for (const file of process.argv.slice(2)) {
  if (file.endsWith('.txt')) {
    // scripts/test.sh's own checks (typecheck, lint, build): "PASS name" / "FAIL name".
    let lines = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      console.error(`summary: no readable check list at ${file}`);
      failed += 1;
    }
    for (const line of lines) {
      if (line.startsWith('PASS ')) passed += 1;
      else {
        console.error(`summary: check failed: ${line.slice(5)}`);
        failed += 1;
      }
    }
    continue;
  }
  const r = read(file);
  if (!r) continue;
  if (Array.isArray(r.testResults)) {
    // vitest (jest-compatible JSON): per-test assertionResults; a file that failed to
    // load has none but a failed status.
    for (const f of r.testResults) {
      const tests = f.assertionResults ?? [];
      if (tests.length === 0 && f.status === 'failed') failed += 1;
      for (const t of tests) {
        if (t.status === 'passed') passed += 1;
        else if (t.status === 'failed') failed += 1;
        else skipped += 1;
      }
    }
  } else if (r.stats) {
    // Playwright: expected = passed, unexpected = failed, flaky passed on retry.
    passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected ?? 0;
    skipped += r.stats.skipped ?? 0;
    for (const e of r.errors ?? []) {
      console.error(`summary: playwright error: ${e.message ?? e}`);
      failed += 1;
    }
  } else {
    console.error(`summary: ${file} is not a vitest or Playwright report`);
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
