#!/usr/bin/env bash
# Makes a Chromium available for the Playwright suite, without downloading a browser build of
# Playwright's own (this machine reaches only the npm registry and Debian's packages).
# Order: Playwright's own browser if already present, else the system Chromium, else install it.
set -euo pipefail
if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1; then
  echo "install-chromium: Playwright's own Chromium is present"; exit 0
fi
if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: using $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"; exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "install-chromium: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
  exit 0
fi
echo "install-chromium: no Chromium found; run 'npx playwright install chromium' where the internet is reachable" >&2
exit 1
