#!/usr/bin/env bash
# The Debian packages the tests need: Chromium for the renderer tests, a real Secret
# Service (gnome-keyring on a D-Bus session) for the keychain tests; slapd, PostgreSQL
# and Redis for the connector tests (they start their own servers on loopback); the AWS
# CLI for the credential_process tests.
# Installs them when run as root; otherwise names them and fails.
set -euo pipefail
PACKAGES=(chromium gnome-keyring dbus libsecret-tools slapd ldap-utils postgresql redis-server awscli)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v dbus-run-session >/dev/null || missing+=(dbus)
command -v secret-tool >/dev/null || missing+=(libsecret-tools)
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapwhoami >/dev/null || missing+=(ldap-utils)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
# Debian's AWS CLI, at its own path (a pyenv or pip `aws` on PATH is not the one the tests pin).
[ -x /usr/bin/aws ] || missing+=(awscli)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # slapd asks for a domain and admin password: take the defaults (the tests start their own).
  echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]} (all of them: ${PACKAGES[*]})." >&2
  echo "Install them with: sudo apt-get install ${PACKAGES[*]}" >&2
  exit 1
fi
