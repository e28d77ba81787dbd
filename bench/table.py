#!/usr/bin/env python3
"""Prints bench/results/latest.json as a short table: figure, measured,
baseline (same run), ratio, target."""
import json, sys

r = json.load(open(sys.argv[1]))
rows = []
o = r["outbox"]
rows.append(("outbox writes (rows/s, batched)", o["outbox_rows_per_s"], o["bare_rusqlite_rows_per_s"], o["ratio_to_bare"], ">= 100000"))
for k in [k for k in r if k.startswith("capture_")]:
    c = r[k]
    rows.append((f"capture+encode+thumb p95 ms {c['screen']}", c["pipeline"]["p95_ms"], c["xcap_raw_capture"]["p95_ms"], c["ratio_p50_to_raw_capture"], "<= 60 at 1080p"))
    rows.append((f"  split p50 ms capture/encode/thumb", f"{c['capture']['p50_ms']}/{c['full_encode_jpeg']['p50_ms']}/{c['thumbnail_320']['p50_ms']}", "", "", ""))
f = r["footprint"]
rows.append(("tracker RSS max MB", f["stint_track"]["rss_max_mb"], f["poll_only"]["rss_max_mb"], f["ratio_rss_to_poll_only"], "<= 30"))
rows.append(("tracker CPU % median between shots (sleep / poll-only)", f["stint_track"]["cpu_median_pct"], f"{f['sleep']['cpu_median_pct']} / {f['poll_only']['cpu_median_pct']}", "", "<= 0.3"))
rows.append(("tracker CPU % mean incl. screenshots", f["stint_track"]["cpu_mean_pct"], f"{f['sleep']['cpu_mean_pct']} / {f['poll_only']['cpu_mean_pct']}", "", ""))
rows.append(("release binary MB", r["release_binary_mb"], "", "", "<= 15"))
w = max(len(str(x[0])) for x in rows)
print(f"{'figure':<{w}}  {'measured':>12}  {'baseline':>14}  {'ratio':>6}  target")
for a, b, c, d, e in rows:
    print(f"{a:<{w}}  {str(b):>12}  {str(c):>14}  {str(d):>6}  {e}")
print(f"machine: {r['machine']}")
