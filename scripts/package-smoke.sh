#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a
# throwaway prefix (runtime dependencies only: no devDependencies, no tsx, no source
# tree), then that `keyward` runs --version, init, add, list and verify against the AWS
# test server on 127.0.0.1. Exits non-zero, saying which step failed, otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d /tmp/keyward-package.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "package smoke: $*" >&2; exit 1; }

echo "== npm pack (prepare builds out/cli/keyward.cjs)"
npm pack --pack-destination "$WORK" --silent >/dev/null
tgz=$(ls "$WORK"/keyward-*.tgz)
tar -tzf "$tgz" | sed 's|^package/||' | sort >"$WORK/contents.txt"
cat "$WORK/contents.txt"
for f in out/cli/keyward.cjs out/cli/aws-use.cjs out/cli/route.cjs; do grep -qx "$f" "$WORK/contents.txt" || fail "the tarball has no $f"; done
if grep -qE '^(electron|renderer|shared|test)/|\.ts$' "$WORK/contents.txt"; then fail "the tarball holds source files"; fi

echo "== npm install -g into a throwaway prefix"
# Native modules build from source where no prebuilt binary can be fetched: use the
# checkout's Node headers setting (.npmrc), if it has one.
nodedir=$(npm config get nodedir 2>/dev/null || true)
[ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] && export npm_config_nodedir=$nodedir
(cd "$WORK" && npm install -g --prefix "$WORK/prefix" --omit=dev --no-audit --no-fund "$tgz" >"$WORK/install.log" 2>&1) || { cat "$WORK/install.log"; fail "npm install -g failed"; }
PKG="$WORK/prefix/lib/node_modules/keyward"
for dev in tsx esbuild vitest electron typescript; do
  [ ! -e "$PKG/node_modules/$dev" ] || fail "devDependency $dev was installed"
done
KEYWARD="$WORK/prefix/bin/keyward"

echo "== the AWS test server"
echo '{"users":[{"userName":"smoke","keys":[{}]}]}' >"$WORK/seed.json"
mkfifo "$WORK/server.out"
node --import tsx "$ROOT/test/support/aws-server/main.ts" --seed "$WORK/seed.json" >"$WORK/server.out" &
server_pid=$!
read -r line <"$WORK/server.out"
url=$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$line")
key_id=$(node -e 'console.log(JSON.parse(process.argv[1]).keys[0].accessKeyId)' "$line")
secret=$(node -e 'console.log(JSON.parse(process.argv[1]).keys[0].secretAccessKey)' "$line")

echo "== keyward, from $KEYWARD"
# From a folder that is not the checkout, with a clean environment and a passphrase vault.
cd "$WORK"
run() { env -i PATH="$PATH" HOME="$WORK/home" KEYWARD_HOME="$WORK/vault" KEYWARD_PASSPHRASE='package smoke passphrase' "$KEYWARD" "$@"; }
mkdir -p "$WORK/home"
version=$(run --version)
[ "$version" = "keyward $(node -p "require('$ROOT/package.json').version")" ] || fail "--version printed \"$version\""
echo "$version"
run init
printf '%s\n' "$secret" | run add aws --name smoke --access-key-id "$key_id" --endpoint-url "$url" --no-verify
run list | tee "$WORK/list.txt"
grep -q smoke "$WORK/list.txt" || fail "list does not show the credential"
run list | cmp -s - "$WORK/list.txt" || fail "list with the code cache printed something else"
# Exit 0 only when every credential verified VALID.
run verify smoke --json | tee "$WORK/verify.json" || fail "verify did not report VALID"
grep -q '"VALID"' "$WORK/verify.json" || fail "verify did not report VALID"
# The code cache goes to the user's cache folder, owner-only, never into the package.
ls "$WORK/home/.cache/keyward/cli/"list-*.v8cache >/dev/null 2>&1 || fail "no code cache in ~/.cache/keyward/cli"
[ "$(stat -c %a "$WORK/home/.cache/keyward/cli/"list-*.v8cache)" = 600 ] || fail "the code cache is not owner-only"
[ -z "$(find "$PKG" -name '*.v8cache')" ] || fail "a code cache was written into the package folder"
echo "package smoke: ok"
