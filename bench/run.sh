#!/usr/bin/env bash
# `make bench`: release builds, then each benchmark with its same-run
# baseline; figures to bench/results/latest.json and a table to stdout.
# BENCH_ONLY="ingest latency reads" (any of outbox capture footprint
# ingest latency reads) runs only those and keeps the other figures of the
# previous latest.json. BENCH_READ_LOGS (default 10000000) sizes the read
# benchmark's database; BENCH_INGEST_AGENTS, BENCH_INGEST_LOGS_PER_AGENT,
# BENCH_LATENCY_AGENTS, BENCH_LATENCY_SECONDS size the others.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_FOOTPRINT="${BENCH_FOOTPRINT_SECONDS:-120}"
cargo build --release -p stint -p stint-bench
BIN="${CARGO_TARGET_DIR:-target}/release"
out=bench/results/latest.json.tmp
: > "$out.parts"
only="${BENCH_ONLY:-}"
want() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

xvfb() { # start Xvfb with a screen size on a free display; echo the display
  local size=$1 n
  for n in $(seq 140 200); do
    [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do [ -S "/tmp/.X11-unix/X$n" ] && { echo "$n $pid"; return; }; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
  done
  echo "no free X display" >&2; exit 1
}

if want outbox; then
echo "== outbox"
echo "\"outbox\": $($BIN/stint-bench outbox)," >> "$out.parts"
fi
if want capture; then
for size in 1280x800 1920x1080; do
  echo "== capture $size"
  read -r n pid < <(xvfb "$size")
  echo "\"capture_$size\": $(DISPLAY=":$n" $BIN/stint-bench capture)," >> "$out.parts"
  kill "$pid"
done
fi
if want footprint; then
echo "== tracker footprint (${SECONDS_FOOTPRINT} s)"
read -r n pid < <(xvfb 1280x800)
echo "\"footprint\": $(DISPLAY=":$n" python3 bench/footprint.py $BIN/stint $BIN/stint-bench "$SECONDS_FOOTPRINT")," >> "$out.parts"
kill "$pid"
fi
# The server: each starts the release `stint serve` on 127.0.0.1:0, stops
# it, and drops the stint_bench_* databases it creates.
if want ingest; then
  echo "== server ingest (SQLite, PostgreSQL)"
  echo "\"ingest\": $($BIN/stint-bench ingest $BIN/stint)," >> "$out.parts"
fi
if want latency; then
  echo "== sync latency at ${BENCH_LATENCY_AGENTS:-1000} agents"
  echo "\"latency\": $($BIN/stint-bench latency $BIN/stint)," >> "$out.parts"
fi
if want reads; then
  echo "== read paths at ${BENCH_READ_LOGS:-10000000} logs (PostgreSQL)"
  echo "\"reads\": $($BIN/stint-bench reads $BIN/stint)," >> "$out.parts"
fi
size=$(stat -c %s $BIN/stint)
# BENCH_NOTE: e.g. "shared with other builds" when the machine was busy.
machine=$(printf '{"cpu": "%s", "cores": %s, "memory_gb": %s, "os": "%s", "date": "%s", "note": "%s"}' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" \
  "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(date -u +%FT%TZ)" \
  "${BENCH_NOTE:-}")
# The desktop app's binary and .deb from the last `make package`, if any.
sizes=$(python3 bench/sizes.py "${CARGO_TARGET_DIR:-target}")
{ echo "{"; cat "$out.parts"; echo "\"release_binary_mb\": $(awk "BEGIN {printf \"%.1f\", $size/1048576}"),"; echo "\"sizes\": $sizes,"; echo "\"machine\": $machine"; echo "}"; } > "$out"
rm -f "$out.parts"
# With BENCH_ONLY, the figures not run now are the previous run's.
python3 - "$out" "$only" <<'PY'
import json, sys
new = json.load(open(sys.argv[1]))
merged = json.load(open("bench/results/latest.json")) if sys.argv[2] else {}
merged.update(new)
json.dump(merged, open("bench/results/latest.json", "w"), indent=4, ensure_ascii=False)
PY
rm -f "$out"
python3 bench/table.py bench/results/latest.json | tee bench/results/latest.txt
