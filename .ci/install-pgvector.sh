#!/usr/bin/env bash
# Installs the pgvector extension into the local PostgreSQL server. Debian 12 ships no pgvector
# package, so it is built from Debian's source package (trixie) against the installed server.
# Idempotent: does nothing when the extension is already available.
set -euo pipefail
PG_CONFIG=${PG_CONFIG:-$(ls -d /usr/lib/postgresql/*/bin/pg_config 2>/dev/null | sort -V | tail -n1)}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
sharedir=$("$PG_CONFIG" --sharedir)
if [ -f "$sharedir/extension/vector.control" ]; then
  echo "install-pgvector: already installed ($(grep default_version "$sharedir/extension/vector.control"))"; exit 0
fi
major=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$major" build-essential dpkg-dev >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$work/apt/sources.list.d" "$work/apt/preferences.d"
cat > "$work/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian trixie main
SRC
cat > "$work/apt.conf" <<CONF
Dir::State::Lists "$work/apt/lists";
Dir::Etc::SourceList "$work/apt/sources.list";
Dir::Etc::SourceParts "$work/apt/sources.list.d";
Dir::Etc::Preferences "$work/apt/preferences.d";
Dir::Cache "$work/apt/cache";
CONF
export APT_CONFIG="$work/apt.conf"
apt-get update -qq
(cd "$work" && apt-get source --download-only pgvector >/dev/null)
unset APT_CONFIG
tarball=$(ls "$work"/pgvector_*.orig.tar.* | head -n1)
mkdir -p "$work/src" && tar -xf "$tarball" -C "$work/src" --strip-components=1
make -C "$work/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
make -C "$work/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" install >/dev/null
echo "install-pgvector: installed $(grep default_version "$sharedir/extension/vector.control")"
