#!/usr/bin/env bash
# Makes sure the PostgreSQL the tests use answers. Under CI a missing
# PostgreSQL is a failure; locally we try to start the machine's cluster.
set -u
url="${STINT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if pg_isready -d "$url" -q 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  echo "PostgreSQL is not answering; trying to start the local cluster"
  ver=$(ls /etc/postgresql | head -1)
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
  for _ in $(seq 1 20); do pg_isready -d "$url" -q 2>/dev/null && exit 0; sleep 0.5; done
fi
echo "error: PostgreSQL at $url does not answer; the store and end-to-end tests need it." >&2
echo "       Set STINT_TEST_DATABASE_URL to a database you may create databases on." >&2
[ "${CI:-}" = "true" ] && exit 1
echo "       (continuing: PostgreSQL tests will fail or skip)" >&2
exit 0
