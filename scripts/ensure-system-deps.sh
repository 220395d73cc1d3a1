#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing: PostgreSQL server binaries
# (the suite starts its own throwaway server) and Chromium (the end-to-end tests drive it with
# Playwright, which cannot download a browser of its own here; it also prints the PDF review) and
# poppler-utils. Uses apt-get; needs root or sudo.
set -euo pipefail

need=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
  need+=(postgresql)
fi
if ! command -v chromium >/dev/null; then
  need+=(chromium)
fi
if ! command -v pdftoppm >/dev/null; then
  need+=(poppler-utils)  # the PDF export's test looks at its pages as images
fi
if ! command -v runuser >/dev/null && [ "$(id -u)" = 0 ]; then
  need+=(util-linux)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing system packages: ${need[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: ${need[*]} missing and not root (no sudo): install them with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian's package starts a cluster of its own; the tests never use it.
if command -v pg_lsclusters >/dev/null; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do $sudo pg_ctlcluster "$ver" "$name" stop || true; done
fi
