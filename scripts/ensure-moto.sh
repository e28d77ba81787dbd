#!/usr/bin/env bash
# Makes sure moto's S3-compatible server (from PyPI, pinned) is installed in
# a venv under ~/.cache, for the tests that store screenshots in object
# storage (tests/blobs_s3.rs starts it on a free loopback port). Idempotent
# and safe to run concurrently (a lock around the install); prints the
# moto_server path. `make setup` runs it, and so does the test itself.
set -euo pipefail
MOTO_VERSION=5.2.5
VENV="${STINT_MOTO_VENV:-$HOME/.cache/stint-moto-venv}"
SERVER="$VENV/bin/moto_server"

installed() {
  [ -x "$SERVER" ] && "$VENV/bin/python" -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '$MOTO_VERSION')" 2>/dev/null
}

if ! installed; then
  mkdir -p "$(dirname "$VENV")"
  exec 9>"$VENV.lock"
  flock 9
  if ! installed; then
    echo "installing moto[server] $MOTO_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  fi
fi
echo "$SERVER"
