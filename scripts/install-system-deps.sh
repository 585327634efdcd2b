#!/usr/bin/env bash
# Install the Debian packages the test suite needs (PostgreSQL and Redis servers, Chromium,
# a CJK font). Idempotent: does nothing when all are installed. Run as root.
# Starts no services: the tests run their own throwaway PostgreSQL cluster and Redis server.
set -euo pipefail

PACKAGES=(postgresql chromium fonts-wqy-microhei redis-server)

is_installed() {
    # No "| grep -q": with pipefail, SIGPIPE could turn a match into a failure.
    local status
    status=$(dpkg -s "$1" 2>/dev/null) || return 1
    [[ "$status" == *$'\nStatus: install ok installed'* || "$status" == 'Status: install ok installed'* ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

die() { echo "install-system-deps: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root to install: ${missing[*]}"
command -v apt-get >/dev/null || die "apt-get not found (Debian 12 expected); missing: ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/install-system-deps.XXXXXX.log)

# Keep package scripts from starting services (e.g. the default postgres
# cluster). Reuse an existing policy-rc.d; otherwise add one for this run.
cleanup() { rm -f "$log"; }
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    cleanup() { rm -f "$log" /usr/sbin/policy-rc.d; }
fi
trap cleanup EXIT

updated=0
apt_update() {
    echo "install-system-deps: apt-get update" >&2
    apt-get update -qq >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get update failed"; }
    updated=1
}

# Update package lists only if some missing package has no install candidate.
for pkg in "${missing[@]}"; do
    policy=$(apt-cache policy "$pkg" 2>/dev/null || true)
    if [[ "$policy" != *"Candidate: "* || "$policy" == *"Candidate: (none)"* ]]; then
        apt_update
        break
    fi
done

apt_install() {
    apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 \
        "${missing[@]}" >>"$log" 2>&1
}

echo "install-system-deps: installing ${missing[*]}" >&2
if ! apt_install; then
    # Stale lists give 404s on download: refresh once and retry.
    if [ "$updated" -eq 0 ]; then
        apt_update
        apt_install || { tail -n 30 "$log" >&2; die "apt-get install failed: ${missing[*]}"; }
    else
        tail -n 30 "$log" >&2
        die "apt-get install failed: ${missing[*]}"
    fi
fi

for pkg in "${missing[@]}"; do
    is_installed "$pkg" || die "$pkg still not installed"
done
echo "install-system-deps: done" >&2
