#!/usr/bin/env bash
# `npm test`: everything, on a fresh Debian machine. Installs the system packages it needs
# (as root), builds the renderer, checks types and layering, then runs the vitest suites
# (core, CLI, AWS test server, keychain) and the Playwright renderer tests, and prints
# one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ART=.artifacts
rm -rf "$ART"; mkdir -p "$ART"

bash scripts/system-deps.sh || exit 1

# better-sqlite3 may have been rebuilt for Electron by `npm start`; the tests run on Node.
# Keep this Node's build beside Electron's (scripts/native-abi.mjs), so both open the vault.
node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null || npm rebuild better-sqlite3 || exit 1
node scripts/native-abi.mjs keep >/dev/null || exit 1

status=0
# Typecheck, lint and build are checks too: each counts as one test in the summary.
check() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo "PASS $name" >>"$ART/checks.txt"; else echo "FAIL $name" >>"$ART/checks.txt"; status=1; fi
}
check "typecheck (each layer, then everything)" npm run --silent typecheck
check "lint (layering and code rules)" npx eslint --max-warnings 0 .
check "format (prettier --check)" npx prettier --check --log-level warn .
check "build (electron-vite)" bash -c "npx electron-vite build >'$ART/build.log' 2>&1 || { cat '$ART/build.log'; exit 1; }"

export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
echo "== vitest"
dbus-run-session -- bash scripts/with-keyring.sh \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$ART/vitest.json" || status=1

echo "== playwright (renderer in Chromium via the loopback harness)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$ART/playwright.json" npx playwright test --reporter=list,json || status=1

node scripts/summarize.mjs "$ART/checks.txt" "$ART/vitest.json" "$ART/playwright.json" || status=1
exit $status
