#!/usr/bin/env python3
"""Tracker footprint: RSS and CPU of `stint track` (screenshots every 10 s,
scripted mouse input) under Xvfb for a fixed time, sampled once a second from
/proc, beside two baselines sampled in the same seconds: an idle `sleep`
process and the idle-polling loop alone (`stint-bench poll-only`).

usage: footprint.py STINT STINT_BENCH SECONDS  (DISPLAY must be set)
Prints one JSON object."""
import json, os, subprocess, sys, tempfile, time, statistics

stint, bench, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
tick = os.sysconf("SC_CLK_TCK")

def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

data = tempfile.mkdtemp()
agent = tempfile.mkdtemp()
env = {k: v for k, v in os.environ.items() if not k.startswith("STINT_")}
run = lambda *a: subprocess.run([stint, *a], env=env, check=True, capture_output=True, text=True)
run("user", "add", "--email", "bench@stint.test", "--name", "Bench", "--password", "bench-password-1", "--data-dir", data)
server = subprocess.Popen([stint, "serve", "--listen", "127.0.0.1:0", "--data-dir", data], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
url = server.stdout.readline().strip().removeprefix("listening on ")
run("login", "--server", url, "--email", "bench@stint.test", "--password", "bench-password-1", "--data-dir", agent)
tracker = subprocess.Popen([stint, "track", "--screenshot-interval", "10s", "--data-dir", agent], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
sleeper = subprocess.Popen(["sleep", str(seconds + 60)])
poller = subprocess.Popen([bench, "poll-only"], env=env)
time.sleep(3)  # let everything start and sign in

procs = {"stint_track": tracker.pid, "sleep": sleeper.pid, "poll_only": poller.pid}
samples = {k: {"cpu": [], "rss": []} for k in procs}
last = {k: cpu_ticks(p) for k, p in procs.items()}
for i in range(seconds):
    if i % 2 == 0:
        subprocess.run(["xdotool", "mousemove", str(100 + i % 400), str(100 + i % 300)], check=False)
    time.sleep(1)
    for k, p in procs.items():
        t = cpu_ticks(p)
        samples[k]["cpu"].append(100.0 * (t - last[k]) / tick)
        samples[k]["rss"].append(rss_kb(p))
        last[k] = t

tracker.send_signal(2)
try:
    out, _ = tracker.communicate(timeout=30)
except subprocess.TimeoutExpired:
    tracker.kill()
    out = ""
for p in (sleeper, poller, server):
    p.kill()

def summary(s):
    return {
        "rss_max_mb": round(max(s["rss"]) / 1024, 1),
        "rss_median_mb": round(statistics.median(s["rss"]) / 1024, 1),
        "cpu_median_pct": round(statistics.median(s["cpu"]), 2),
        "cpu_mean_pct": round(statistics.mean(s["cpu"]), 2),
    }

result = {k: summary(v) for k, v in samples.items()}
result["seconds"] = seconds
result["screenshots_taken"] = out.count("screenshot taken")
result["targets"] = {"rss_max_mb": 30, "cpu_median_pct": 0.3}
result["ratio_rss_to_poll_only"] = round(result["stint_track"]["rss_max_mb"] / max(result["poll_only"]["rss_max_mb"], 0.1), 2)
print(json.dumps(result))
