#!/usr/bin/env python3
"""`make soak`: the faults Stint must survive (issue 8), each scenario ending
with a reconciliation of every agent's outbox against the server.

  1. kill9      -- `stint track` killed with SIGKILL at random moments, N
                   times, under Xvfb with scripted input, restarted each time
                   against a live server; tracked time lost per kill.
  2. restarts   -- 50 agents tracking while the server is SIGKILLed and
                   restarted on the same port, then down for a long stretch.
  3. responses  -- a proxy that lets requests land but drops their responses,
                   so agents replay what the server already has.
  4. replicas   -- two `stint serve` on one PostgreSQL database, agents on
                   both, one replica SIGKILLed while a sync batch is in flight.

Loopback only; release binary; figures to soak/results/latest.json.
Sizes from the environment: SOAK_KILLS (1000), SOAK_AGENTS (50),
SOAK_SERVER_KILLS (5), SOAK_OUTAGE (60 s), SOAK_PROXY_AGENTS (10),
SOAK_PROXY_SECONDS (60), SOAK_DROP (0.25), SOAK_REPLICA_AGENTS (10),
SOAK_REPLICA_KILLS (3), SOAK_SCENARIOS (kill9,restarts,responses,replicas),
SOAK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: where to create
the scratch database stint_soak_*).
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import (Agent, Api, Display, Server, Stint, add_users, log, now_ms,  # noqa: E402
                 offline_lines, ok, reconcile, slot_check, stop_all)
from proxy import FaultProxy  # noqa: E402

POLL_MS = 1000  # `stint track`'s idle poll, and heartbeat, interval
# A heartbeat carries the moment its tick began and is committed a few ms
# later: a kill just before that commit loses the poll interval plus the
# tick's own write. The bound checked is the poll plus this slack.
LOST_SLACK_MS = int(os.environ.get("SOAK_LOST_SLACK_MS", 100))
BACKOFF_CAP_S = 300  # crates/agent/src/sync.rs: Backoff::default().max


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_float(name, default):
    return float(os.environ.get(name, default))


class Churn:
    """Stops (SIGINT, a clean stop) and restarts one random agent every
    `period` seconds: people stopping and starting their timers, so logs
    are opened and closed while the faults happen."""

    def __init__(self, agents, display, args, period, seed=3):
        self.agents, self.display, self.args, self.period = agents, display, args, period
        self.rnd = random.Random(seed)
        self.stop_ = threading.Event()
        self.restarts = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_.wait(self.period):
            a = self.rnd.choice(self.agents)
            a.interrupt()
            a.wait(30)
            if self.stop_.is_set():
                a.start(self.display.name, *self.args)
                return
            a.start(self.display.name, *self.args)
            self.restarts += 1

    def stop(self):
        self.stop_.set()
        self.thread.join(60)


def wait_all(agents, text, secs):
    end = time.time() + secs
    for a in agents:
        if not a.wait_for(text, max(0.1, end - time.time())):
            raise RuntimeError(f"{a.email} never said {text!r}:\n{a.output()[-2000:]}")


def wait_caught_up(agents, secs):
    """Seconds until no agent has a log version the server has not
    acknowledged (None if not within `secs`)."""
    t0 = time.time()
    while time.time() - t0 < secs:
        if all(a.pending() == 0 for a in agents):
            return round(time.time() - t0, 1)
        time.sleep(0.5)
    return None


def finish(name, fig, t0):
    fig["seconds"] = round(time.time() - t0, 1)
    fig["passed"] = ok(fig) and not fig.get("failures")
    shown = {k: v for k, v in fig.items() if k != "problems"}
    log(f"{name}: {'PASSED' if fig['passed'] else 'FAILED'} {json.dumps(shown)}")
    for p in fig.get("problems", []):
        log(f"  {p}")
    return fig


# 1 ------------------------------------------------------------------------

def scenario_kill9(stint, work, display, kills):
    t0 = time.time()
    rnd = random.Random(1)
    server = Server(stint, work)
    add_users(server, ["kate@acme.test"])
    server.start()
    agent = Agent(stint, work, "kate@acme.test")
    agent.login(server.url)
    display.mode = "bursty"
    args = ["--idle-threshold", "2s"]
    lost, during_startup, before_tracking, expected = [], 0, 0, []
    last_open = None
    log(f"kill9: {kills} kills of stint track, 0.3-1.5 s after each start")
    for i in range(kills):
        agent.start(display.name, *args)
        time.sleep(rnd.uniform(0.3, 1.5))
        killed_at = agent.kill9()
        open_, hb = agent.open_and_heartbeat()
        if open_ is None:
            before_tracking += 1
        elif last_open is not None and open_["id"] == last_open:
            # Killed before this run had recovered the previous log: it
            # tracked nothing itself.
            during_startup += 1
        else:
            closed = max(hb or open_["started_at"], open_["started_at"])
            lost.append(killed_at - closed)
            expected.append((open_["id"], open_["started_at"], closed))
        last_open = open_["id"] if open_ else None
        if (i + 1) % 100 == 0:
            log(f"kill9: {i + 1} kills, max lost so far {max(lost) if lost else 0} ms")
    # A last clean run: recovers the last kill's log, syncs, stops on SIGINT.
    started = agent.output().count("started tracking")
    agent.start(display.name, *args)
    agent.wait_for("started tracking", 30, after=started)
    time.sleep(2)
    hung, sync_failed = stop_all([agent])
    # Each killed log was closed at exactly the last heartbeat (or deleted,
    # when it never got past its start).
    rows = {r["id"]: r for r in agent.rows()}
    recovery_wrong = []
    for lid, started_at, closed in expected:
        r = rows.get(lid)
        want_deleted = closed <= started_at
        good = (r is None or r["deleted"]) if want_deleted else (r is not None and r["stopped_at"] == closed)
        if not good:
            recovery_wrong.append(f"{lid}: expected {'deleted' if want_deleted else closed}, outbox {r}")
    api = Api(server.url)
    fig = {"kills": kills, "kills_with_a_running_log": len(lost),
           "kills_before_a_log_was_open": before_tracking,
           "kills_during_startup_recovery": during_startup,
           "max_lost_ms_per_kill": max(lost) if lost else 0,
           "mean_lost_ms_per_kill": round(sum(lost) / len(lost)) if lost else 0,
           "p99_lost_ms_per_kill": sorted(lost)[int(len(lost) * 0.99)] if lost else 0,
           "kills_over_poll_interval": sum(1 for x in lost if x > POLL_MS),
           "lost_bound_ms": POLL_MS + LOST_SLACK_MS,
           "kills_over_bound": sum(1 for x in lost if x > POLL_MS + LOST_SLACK_MS),
           "negative_lost": sum(1 for x in lost if x < 0),
           "recovered_not_at_heartbeat": len(recovery_wrong),
           "retries_seen": offline_lines([agent]),
           "trackers_hung_on_sigint": hung, "final_syncs_failed": sync_failed}
    fig.update(reconcile([agent], [api]))
    fig.update(slot_check([agent], api))
    fig["problems"] = recovery_wrong[:10] + fig["problems"]
    fig["failures"] = fig["kills_over_bound"] + fig["negative_lost"] + len(recovery_wrong) \
        + hung + sync_failed
    server.stop()
    return finish("kill9", fig, t0)


# 2 ------------------------------------------------------------------------

def scenario_restarts(stint, work, display, n, server_kills, outage):
    t0 = time.time()
    rnd = random.Random(2)
    server = Server(stint, work)
    emails = [f"agent{i:02}@acme.test" for i in range(n)]
    log(f"restarts: {n} users and sign-ins")
    add_users(server, emails)
    server.start()
    agents = [Agent(stint, work, e) for e in emails]
    for a in agents:
        a.login(server.url)
    display.mode = "steady"
    args = ["--idle-threshold", "60m"]
    for a in agents:
        a.start(display.name, *args)
    wait_all(agents, "started tracking", 120)
    wait_caught_up(agents, 60)
    churn = Churn(agents, display, args, period=1.0)
    log(f"restarts: {server_kills} SIGKILLs of the server while {n} agents track and sync")
    downs = []
    for k in range(server_kills):
        time.sleep(rnd.uniform(2, 6))
        server.kill9()
        d = rnd.uniform(0.5, 3)
        time.sleep(d)
        server.start()
        downs.append(round(d, 1))
    log(f"restarts: server down for {outage} s while the agents keep tracking")
    time.sleep(3)
    server.kill9()
    before = sum(max(a.pending(), 0) for a in agents)
    time.sleep(outage)
    during = sum(max(a.pending(), 0) for a in agents)
    server.start()
    churn.stop()
    caught_up = wait_caught_up(agents, BACKOFF_CAP_S + 30)
    log(f"restarts: all {n} agents caught up {caught_up} s after the server came back")
    hung, sync_failed = stop_all(agents)
    api = Api(server.url)
    fig = {"agents": n, "server_kills": server_kills + 1, "short_outages_s": downs,
           "long_outage_s": outage, "pending_before_long_outage": before,
           "pending_at_end_of_long_outage": during,
           "caught_up_s_after_long_outage": caught_up,
           "tracker_restarts": churn.restarts,
           "retries_seen": offline_lines(agents),
           "trackers_hung_on_sigint": hung, "final_syncs_failed": sync_failed}
    fig.update(reconcile(agents, [api]))
    fig.update(slot_check(agents, api))
    fig["failures"] = hung + sync_failed + (caught_up is None)
    server.stop()
    return finish("restarts", fig, t0)


# 3 ------------------------------------------------------------------------

def scenario_responses(stint, work, display, n, seconds, drop):
    t0 = time.time()
    server = Server(stint, work)
    emails = [f"proxied{i:02}@acme.test" for i in range(n)]
    add_users(server, emails)
    server.start()
    proxy = FaultProxy(server.addr, drop=0.0)
    agents = [Agent(stint, work, e) for e in emails]
    for a in agents:
        a.login(proxy.url)
    display.mode = "bursty"
    args = ["--idle-threshold", "2s"]
    for a in agents:
        a.start(display.name, *args)
    wait_all(agents, "started tracking", 60)
    log(f"responses: {n} agents through a proxy dropping {int(drop * 100)} % of "
        f"/api/timesheet/* responses for {seconds} s")
    proxy.drop = drop
    churn = Churn(agents, display, args, period=2.0)
    time.sleep(seconds)
    churn.stop()
    proxy.drop = 0.0
    caught_up = wait_caught_up(agents, 120)
    hung, sync_failed = stop_all(agents)
    proxy.close()
    api = Api(server.url)
    fig = {"agents": n, "drop_phase_s": seconds, "drop_fraction": drop,
           "requests": proxy.stats["requests"], "responses_dropped": proxy.stats["dropped"],
           "sync_batches_replayed": proxy.stats["dropped_sync"],
           "retries_seen": offline_lines(agents), "tracker_restarts": churn.restarts,
           "caught_up_s": caught_up,
           "trackers_hung_on_sigint": hung, "final_syncs_failed": sync_failed}
    fig.update(reconcile(agents, [api]))
    fig.update(slot_check(agents, api))
    fig["failures"] = hung + sync_failed + (caught_up is None) + (proxy.stats["dropped_sync"] == 0)
    server.stop()
    return finish("responses", fig, t0)


# 4 ------------------------------------------------------------------------

def psql(base_url, sql):
    subprocess.run(["psql", base_url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True,
                   capture_output=True, text=True)


def scenario_replicas(stint, work, display, n, kills, base_url):
    t0 = time.time()
    name = f"stint_soak_{os.getpid()}"
    u = urllib.parse.urlsplit(base_url)
    url = urllib.parse.urlunsplit(u._replace(path="/" + name))
    psql(base_url, f"DROP DATABASE IF EXISTS {name}")
    psql(base_url, f"CREATE DATABASE {name}")
    try:
        a_srv = Server(stint, work, database=url, name="replica-a")
        b_srv = Server(stint, work, database=url, name="replica-b")
        emails = [f"replica{i:02}@acme.test" for i in range(n)]
        # Both replicas start together (migrations take an advisory lock).
        threads = [threading.Thread(target=s.start) for s in (a_srv, b_srv)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        add_users(a_srv, emails)
        proxy = FaultProxy(b_srv.addr)  # in front of B: sees its batches in flight
        agents = [Agent(stint, work, e) for e in emails]
        for i, a in enumerate(agents):
            a.login(a_srv.url if i % 2 == 0 else proxy.url)
        on_b = agents[1::2]
        display.mode = "bursty"
        args = ["--idle-threshold", "2s"]
        for a in agents:
            a.start(display.name, *args)
        wait_all(agents, "started tracking", 60)
        churn = Churn(agents, display, args, period=1.5)
        time.sleep(10)
        killed = threading.Event()
        batch_sizes = []

        def kill_mid_batch(method, path):
            if method == b"POST" and path.endswith(b"/time-log/sync") and not killed.is_set():
                killed.set()
                time.sleep(random.uniform(0, 0.03))
                b_srv.kill9()

        mid_batch = 0
        for k in range(kills):
            # B goes away for a while, so its agents have a batch waiting ...
            b_srv.kill9()
            time.sleep(15)
            batch_sizes.append(sum(max(a.pending(), 0) for a in on_b))
            # ... and is killed again while that batch is being written.
            killed.clear()
            proxy.in_flight = kill_mid_batch
            b_srv.start()
            proxy.upstream = b_srv.addr
            if killed.wait(60):
                mid_batch += 1
            proxy.in_flight = None
            time.sleep(2)
            if b_srv.proc is None:
                b_srv.start()
            log(f"replicas: replica B killed mid-batch ({batch_sizes[-1]} logs pending on its agents)")
        churn.stop()
        caught_up = wait_caught_up(agents, 120)
        hung, sync_failed = stop_all(agents)
        proxy.close()
        apis = [Api(a_srv.url), Api(b_srv.url)]
        fig = {"agents": n, "replicas": 2, "replica_kills_mid_batch": mid_batch,
               "pending_logs_when_killed": batch_sizes, "tracker_restarts": churn.restarts,
               "retries_seen": offline_lines(agents), "caught_up_s": caught_up,
               "trackers_hung_on_sigint": hung, "final_syncs_failed": sync_failed}
        fig.update(reconcile(agents, apis))
        fig.update(slot_check(agents, apis[0]))
        fig["failures"] = hung + sync_failed + (caught_up is None) + (kills - mid_batch)
        a_srv.stop()
        b_srv.stop()
        return finish("replicas", fig, t0)
    finally:
        psql(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "stint"))
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "latest.json"))
    o = p.parse_args()
    cfg = {
        "kills": env_int("SOAK_KILLS", 1000),
        "agents": env_int("SOAK_AGENTS", 50),
        "server_kills": env_int("SOAK_SERVER_KILLS", 5),
        "outage_s": env_int("SOAK_OUTAGE", 60),
        "proxy_agents": env_int("SOAK_PROXY_AGENTS", 10),
        "proxy_seconds": env_int("SOAK_PROXY_SECONDS", 60),
        "drop": env_float("SOAK_DROP", 0.25),
        "replica_agents": env_int("SOAK_REPLICA_AGENTS", 10),
        "replica_kills": env_int("SOAK_REPLICA_KILLS", 3),
        "lost_slack_ms": LOST_SLACK_MS,
        "scenarios": os.environ.get("SOAK_SCENARIOS", "kill9,restarts,responses,replicas").split(","),
        "database": os.environ.get("SOAK_DATABASE_URL", os.environ.get(
            "STINT_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")),
    }
    stint = Stint(o.bin)
    t0 = time.time()
    results = {}
    with tempfile.TemporaryDirectory(prefix="stint-soak-") as work:
        display = Display()
        try:
            runs = {
                "kill9": lambda: scenario_kill9(stint, os.path.join(work, "kill9"), display, cfg["kills"]),
                "restarts": lambda: scenario_restarts(stint, os.path.join(work, "restarts"), display,
                                                      cfg["agents"], cfg["server_kills"], cfg["outage_s"]),
                "responses": lambda: scenario_responses(stint, os.path.join(work, "responses"), display,
                                                        cfg["proxy_agents"], cfg["proxy_seconds"], cfg["drop"]),
                "replicas": lambda: scenario_replicas(stint, os.path.join(work, "replicas"), display,
                                                      cfg["replica_agents"], cfg["replica_kills"], cfg["database"]),
            }
            for name in cfg["scenarios"]:
                try:
                    results[name] = runs[name.strip()]()
                except Exception as e:  # a scenario that could not run is a failure, not a crash
                    log(f"{name}: ERROR {e!r}")
                    results[name] = {"passed": False, "error": repr(e)}
        finally:
            display.close()
    machine = {
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "cores": os.cpu_count(), "os": platform.platform(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    cfg.pop("database")
    out = {"passed": all(r.get("passed") for r in results.values()), "seconds": round(time.time() - t0),
           "config": cfg, "backoff_cap_s": BACKOFF_CAP_S, "poll_ms": POLL_MS,
           "machine": machine, "scenarios": results}
    os.makedirs(os.path.dirname(o.out), exist_ok=True)
    with open(o.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    log(f"soak: {'PASSED' if out['passed'] else 'FAILED'} in {out['seconds']} s; {o.out}")
    sys.exit(0 if out["passed"] else 1)


if __name__ == "__main__":
    main()
