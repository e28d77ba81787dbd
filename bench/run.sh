#!/usr/bin/env bash
# `make bench`: release builds, then each benchmark with its same-run
# baseline; figures to bench/results/latest.json and a table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_FOOTPRINT="${BENCH_FOOTPRINT_SECONDS:-120}"
cargo build --release -p stint -p stint-bench
BIN=target/release
out=bench/results/latest.json.tmp
: > "$out.parts"

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

echo "== outbox"
echo "\"outbox\": $($BIN/stint-bench outbox)," >> "$out.parts"
for size in 1280x800 1920x1080; do
  echo "== capture $size"
  read -r n pid < <(xvfb "$size")
  echo "\"capture_$size\": $(DISPLAY=":$n" $BIN/stint-bench capture)," >> "$out.parts"
  kill "$pid"
done
echo "== tracker footprint (${SECONDS_FOOTPRINT} s)"
read -r n pid < <(xvfb 1280x800)
echo "\"footprint\": $(DISPLAY=":$n" python3 bench/footprint.py $BIN/stint $BIN/stint-bench "$SECONDS_FOOTPRINT")," >> "$out.parts"
kill "$pid"
size=$(stat -c %s $BIN/stint)
machine=$(printf '{"cpu": "%s", "cores": %s, "memory_gb": %s, "os": "%s", "date": "%s"}' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" \
  "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(date -u +%FT%TZ)")
{ echo "{"; cat "$out.parts"; echo "\"release_binary_mb\": $(awk "BEGIN {printf \"%.1f\", $size/1048576}"),"; echo "\"machine\": $machine"; echo "}"; } > "$out"
rm -f "$out.parts"
python3 -m json.tool "$out" > bench/results/latest.json
rm -f "$out"
python3 bench/table.py bench/results/latest.json
