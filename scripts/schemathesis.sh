#!/usr/bin/env bash
# Property-based API testing: schemathesis (from PyPI, in a venv under
# ~/.cache) generates requests from the served OpenAPI document and checks
# that no answer is a server error and every answer matches the documented
# status codes and schemas. Runs `stint serve` (debug build) on a free
# loopback port with a throwaway data directory, signed in as an admin.
#
# Deterministic: one worker, a fixed seed, a bounded number of examples, no
# example database. Takes about a minute on two cores.
# Environment: CARGO_TARGET_DIR (default target), SCHEMATHESIS_MAX_EXAMPLES
# (default 25), SCHEMATHESIS_SEED (default 20260405).
set -euo pipefail

cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV="$HOME/.cache/stint-venv"
TARGET="${CARGO_TARGET_DIR:-target}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-20260405}"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet -p stint
STINT="$TARGET/debug/stint"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DATA="$WORK/data"
EMAIL=admin@schemathesis.test
PASSWORD=schemathesis-admin-password
export STINT_LOG="${STINT_LOG:-error}"
"$STINT" user add --data-dir "$DATA" --email "$EMAIL" --name "Ada Admin" \
  --password "$PASSWORD" --role admin >/dev/null
"$STINT" user add --data-dir "$DATA" --email emp@schemathesis.test --name "Eve Employee" \
  --password "$PASSWORD" --supervisor "$EMAIL" >/dev/null
"$STINT" project add --data-dir "$DATA" --name Website --assign "$EMAIL" \
  --assign emp@schemathesis.test >/dev/null

: >"$WORK/serve.log"
"$STINT" serve --data-dir "$DATA" --listen 127.0.0.1:0 >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 1 300); do
  URL="$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$WORK/serve.log" || true)"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "stint serve did not start"; cat "$WORK/serve.log"; exit 1; }

TOKEN="$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$URL/api/auth/login" |
  "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# Some data for the generated requests to find: timesheet 1 (this week's)
# with entry 1 in it, the documented examples of the IceHrm ids.
curl -sf -X POST -H "Authorization: Bearer $TOKEN" "$URL/timesheets/create-current" >/dev/null
DAY="$(date -u +%F)"
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"date\":\"$DAY\",\"start_time\":\"00:00:01\",\"end_time\":\"00:00:02\",\"details\":\"seed\"}" \
  "$URL/timesheets/1/entries" >/dev/null

# A Gauzy time log for the {id} operations, which random UUIDs never find.
YESTERDAY="$(date -u -d yesterday +%F)"
LOG_ID="$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"startedAt\":\"${YESTERDAY}T01:00:00Z\",\"stoppedAt\":\"${YESTERDAY}T02:00:00Z\",\"description\":\"seed\"}" \
  "$URL/api/timesheet/time-log" |
  "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
cat >"$WORK/schemathesis.toml" <<TOML
[[operations]]
include-path = "/api/timesheet/time-log/{id}"
parameters = { "path.id" = "$LOG_ID" }
TOML

# Excluded: logout, which ends the very session the run signs its requests
# with (every later answer would be a 401). No example database: each run
# starts from the seed alone.
start=$(date +%s)
set +e
# From the temp directory: schemathesis keeps a cache in its working one.
(cd "$WORK" && "$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$URL/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --exclude-path /api/auth/logout \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
  --workers 1 --no-color --suppress-health-check all --generation-database none \
  --report junit --report-dir "$WORK/report" "$@")
status=$?
set -e
echo "schemathesis: exit $status after $(($(date +%s) - start))s"
if [ "$status" != 0 ]; then
  echo "--- server log (last 40 lines)"
  tail -n 40 "$WORK/serve.log"
fi
exit "$status"
