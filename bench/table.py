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
    if "capture_get_image" in c:
        rows.append((f"  capture p95 ms without MIT-SHM (plain GetImage)", c["capture_get_image"]["p95_ms"], "", "", ""))
f = r["footprint"]
rows.append(("tracker RSS max MB", f["stint_track"]["rss_max_mb"], f["poll_only"]["rss_max_mb"], f["ratio_rss_to_poll_only"], "<= 30"))
rows.append(("tracker CPU % median between shots (sleep / poll-only)", f["stint_track"]["cpu_median_pct"], f"{f['sleep']['cpu_median_pct']} / {f['poll_only']['cpu_median_pct']}", "", "<= 0.3"))
rows.append(("tracker CPU % mean incl. screenshots", f["stint_track"]["cpu_mean_pct"], f"{f['sleep']['cpu_mean_pct']} / {f['poll_only']['cpu_mean_pct']}", "", ""))
rows.append(("release binary MB (stint)", r["release_binary_mb"], "", "", "<= 15"))
if "sizes" in r:
    z, t = r["sizes"], r["sizes"]["targets"]
    for key, name, target in (("app_binary", "desktop app binary MiB (profile app)", t["app_binary_mb"]), ("deb", "desktop .deb MiB (make package)", t["deb_mb"])):
        m = z.get(key)
        rows.append((name, m["mib"] if m else "not built", "", "", f"<= {target}" + (f" (built {m['built']})" if m else "")))
if "ingest" in r:
    g = r["ingest"]
    for db in [db for db in ("sqlite", "postgres") if db in g]:
        d = g[db]
        rows.append((f"server ingest logs/s, {db} ({g['logs']} logs, {g['agents']} agents; baseline bare insert)", d["logs_per_s"], d["bare_insert_rows_per_s"], d["ratio_to_bare"], ">= 100000"))
    one = g.get("one_client")
    if one:
        for db in ("sqlite", "postgres"):
            d = one[db]
            target = one[f"target_{db}_logs_per_s"]
            rows.append((f"ingest, one client, {db} ({one['logs']} logs, {one['per_request']} a request; baseline bare insert of both rows)", d["logs_per_s"], d["bare_insert_rows_per_s"], d["ratio_to_bare"], f">= {target}, ratio >= {one['target_ratio_to_bare']}"))
            rows.append((f"  baseline time_logs rows alone", "", d["bare_time_logs_only_rows_per_s"], d["ratio_to_bare_time_logs_only"], ""))
        aw = one.get("aw_server_rust")
        if aw:
            rows.append(("  aw-server-rust, same client shape, same run (events/s)", aw["events_per_s"], "", "", ""))
    for db in ("sqlite", "postgres"):
        if db not in g:
            continue
        d = g[db]
        rows.append((f"server RSS MB idle, {db} (baseline: sleep)", d["rss_idle_mb"], r.get("footprint", {}).get("sleep", {}).get("rss_max_mb", ""), "", "<= 15"))
        rows.append((f"server RSS MB peak while ingesting, {db} (logins' peak)", d["rss_peak_during_ingest_mb"], d["rss_peak_during_logins_mb"], "", ""))
if "latency" in r:
    g = r["latency"]
    for db in ("postgres", "sqlite"):
        d = g.get(db)
        if not d:
            continue
        s, h = d["sync"], d["healthz"]
        rows.append((f"sync p99 ms, {g['agents']} agents x {g['logs_per_sync']} logs, {db} (baseline /healthz)", s["p99_ms"], h["p99_ms"], d["ratio_p99_to_healthz"], "<= 50" if db == "postgres" else ""))
        rows.append((f"  p50 ms; req/s; errors", f"{s['p50_ms']}; {s['requests_per_s']}; {s['errors']}", f"{h['p50_ms']}; {h['requests_per_s']}", d["ratio_p50_to_healthz"], ""))
        prev = (g.get("previous_code_same_session") or {}).get(db)
        if prev:
            p = prev["sync"]
            rows.append((f"  previous code, same session: p99; p50; req/s", f"{p['p99_ms']}; {p['p50_ms']}; {p['requests_per_s']}", "", "", ""))
if "reads" in r:
    g = r["reads"]
    for k, name in (("week_of_logs", "time-log list, one week"), ("icehrm_timesheet", "IceHrm /timesheets/{id}"), ("statistics_counts", "statistics/counts")):
        d = g[k]
        rows.append((f"{name} p99 ms at {g['logs']} logs (baseline: its SQL)", d["p99_ms"], d["sql_p99_ms"], d["ratio_p50_to_sql"], "<= 20"))

w = max(len(str(x[0])) for x in rows)
print(f"{'figure':<{w}}  {'measured':>12}  {'baseline':>14}  {'ratio':>6}  target")
for a, b, c, d, e in rows:
    print(f"{a:<{w}}  {str(b):>12}  {str(c):>14}  {str(d):>6}  {e}")
print(f"machine: {r['machine']}")
