#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus
# session, with throwaway keyring folders. Call it under dbus-run-session.
# It stops only the daemon it started (by its pid), never another keyring of this user.
set -euo pipefail
export XDG_DATA_HOME XDG_RUNTIME_DIR
XDG_DATA_HOME=$(mktemp -d /tmp/keyward-keyring-data.XXXXXX)
XDG_RUNTIME_DIR=$(mktemp -d /tmp/keyward-keyring-run.XXXXXX)
chmod 700 "$XDG_RUNTIME_DIR"
keyring_pid=
cleanup() {
  if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true; fi
  rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
}
trap cleanup EXIT
# In the foreground (our child, so $! is its pid); the password on stdin unlocks the
# login keyring it creates.
printf 'keyward-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring_pid=$!
# Wait until it serves org.freedesktop.secrets on this bus: a client that came first would
# have D-Bus start a second, locked daemon of its own.
serving=
for _ in $(seq 1 200); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    serving=1; break
  fi
  kill -0 "$keyring_pid" 2>/dev/null || { echo "with-keyring: gnome-keyring-daemon exited before serving the Secret Service" >&2; exit 1; }
  sleep 0.05
done
[ -n "$serving" ] || { echo "with-keyring: gnome-keyring-daemon did not serve the Secret Service within 10 s" >&2; exit 1; }
"$@"
