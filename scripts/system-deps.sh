#!/usr/bin/env bash
# Install the Debian packages govaudit needs beyond Python: a CJK font for the bulletin's
# charts and documents, headless Chromium (the bulletin rendered to PNG), PostgreSQL and Redis
# servers (the tests start throwaway ones), nginx and linkchecker (bench/).
# Idempotent: installs only what `dpkg -s` says is missing. Needs root (or sudo).
set -euo pipefail
PACKAGES=(fonts-noto-cjk chromium nginx linkchecker)   # nginx, linkchecker: bench/ only
PACKAGES+=(postgresql)   # initdb/pg_ctl for the tests' throwaway server (tests/pg.py); psycopg is from PyPI
PACKAGES+=(redis-server)   # distributed crawling (docs/scaling.md) and its test's throwaway server
missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
