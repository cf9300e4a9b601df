#!/usr/bin/env bash
# pdftoppm (poppler-utils): the end-to-end tests render the first page of a certificate PDF with it.
set -euo pipefail
if command -v pdftoppm >/dev/null; then
  echo "install-poppler: $(pdftoppm -v 2>&1 | head -n1)"; exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "install-poppler: installing Debian's poppler-utils"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  pdftoppm -v 2>&1 | head -n1
  exit 0
fi
echo "install-poppler: pdftoppm not found; install poppler-utils" >&2
exit 1
