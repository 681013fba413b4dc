#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus
# session, with throwaway keyring folders. Call it under dbus-run-session.
set -euo pipefail
export XDG_DATA_HOME XDG_RUNTIME_DIR
XDG_DATA_HOME=$(mktemp -d /tmp/keyward-keyring-data.XXXXXX)
XDG_RUNTIME_DIR=$(mktemp -d /tmp/keyward-keyring-run.XXXXXX)
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'keyward-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
trap 'pkill -u "$(id -u)" -f "gnome-keyring-daemon.*--components=secrets" >/dev/null 2>&1 || true; rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"' EXIT
"$@"
