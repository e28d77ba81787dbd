"""Shared pieces of the soak harness: the `stint` processes it drives (server,
tracker, admin commands), an X display with scripted input, the outbox as
SQLite sees it, a small HTTP client, and the reconciliation every scenario
ends with. Python 3 standard library only; loopback only."""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime

PASSWORD = "soak-horse-1"
ADMIN = "soak-admin@acme.test"


def now_ms():
    return int(time.time() * 1000)


def iso_ms(s):
    """`2026-11-23T11:50:39.123Z` (the server's spelling) as epoch ms."""
    if s is None:
        return None
    return int(round(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Stint:
    """The release binary and the environment every run of it gets."""

    def __init__(self, binary):
        self.bin = os.path.abspath(binary)
        env = dict(os.environ)
        for k in ("STINT_DATABASE_URL", "STINT_DATA_DIR", "STINT_LISTEN"):
            env.pop(k, None)
        env.setdefault("STINT_LOG", "warn")
        self.env = env

    def run(self, args, timeout=60, check=True):
        p = subprocess.run([self.bin, *args], env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError(f"stint {' '.join(args)}: {p.returncode}\n{p.stdout}{p.stderr}")
        return p


class Server:
    """`stint serve` on SQLite (data dir) or PostgreSQL (URL), killable with
    SIGKILL and restartable on the same port."""

    def __init__(self, stint, workdir, database=None, name="server"):
        self.stint, self.database = stint, database
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.data = ["--database", database] if database else ["--data-dir", self.dir]
        self.addr = "127.0.0.1:0"
        self.proc = None
        self.starts = 0

    @property
    def url(self):
        return f"http://{self.addr}"

    def admin(self, *args):
        return self.stint.run([*args, *self.data])

    def start(self):
        errlog = open(os.path.join(self.dir, "serve.log"), "a")
        deadline = time.time() + 30
        while True:
            self.proc = subprocess.Popen(
                [self.stint.bin, "serve", "--listen", self.addr, *self.data],
                env=self.stint.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=errlog, text=True)
            line = self.proc.stdout.readline()
            if line.startswith("listening on http://"):
                break
            self.proc.wait()
            # The port of the killed process may take a moment to free.
            if time.time() > deadline:
                raise RuntimeError(f"stint serve did not start: {line!r}")
            time.sleep(0.2)
        self.addr = line.strip().removeprefix("listening on http://")
        out = self.proc.stdout
        threading.Thread(target=lambda: [None for _ in out], daemon=True).start()
        self.starts += 1
        return self

    def kill9(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def restart(self):
        self.kill9()
        return self.start()

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class Api:
    """Just enough of the Gauzy API to read back what the agents sent."""

    def __init__(self, url, email=ADMIN, password=PASSWORD):
        self.url = url
        body = self.call("POST", "/api/auth/login", {"email": email, "password": password})
        self.token = body["token"]
        self.user_id = body.get("user", {}).get("id")

    def call(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if getattr(self, "token", None):
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"null")

    def logs(self):
        return self.call("GET", "/api/timesheet/time-log")["items"]

    def slots(self):
        return self.call("GET", "/api/timesheet/time-slot")["items"]


class Display:
    """Xvfb on a free display number, and a thread moving the pointer with
    xdotool: `steady` (someone at work) or `bursty` (work, pause, work: idle
    transitions with a short threshold)."""

    def __init__(self):
        for n in range(150, 250):
            if os.path.exists(f"/tmp/.X{n}-lock"):
                continue
            p = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            for _ in range(100):
                if p.poll() is not None:
                    break
                if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                    self.proc, self.name = p, f":{n}"
                    self.mode, self._stop, self.moves = "steady", threading.Event(), 0
                    self._thread = threading.Thread(target=self._move, daemon=True)
                    self._thread.start()
                    return
                time.sleep(0.05)
            p.kill()
            p.wait()
        raise RuntimeError("no free X display")

    def move(self, x, y):
        r = subprocess.run(["xdotool", "mousemove", str(x), str(y)], stderr=subprocess.DEVNULL,
                           env={**os.environ, "DISPLAY": self.name}, check=False)
        if r.returncode == 0:
            self.moves += 1

    def _move(self):
        rnd = random.Random(7)
        while not self._stop.is_set():
            if self.mode == "still":
                time.sleep(0.2)
                continue
            work = rnd.uniform(1.0, 4.0) if self.mode == "bursty" else 5.0
            end = time.time() + work
            while time.time() < end and not self._stop.is_set():
                self.move(rnd.randint(10, 1200), rnd.randint(10, 780))
                time.sleep(0.3)
            if self.mode == "bursty":
                self._stop.wait(rnd.uniform(0.0, 4.0))

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.proc.kill()
        self.proc.wait()


class Agent:
    """One employee's `stint track` with its own outbox directory."""

    def __init__(self, stint, workdir, email):
        self.stint, self.email = stint, email
        self.dir = os.path.join(workdir, email.split("@")[0])
        os.makedirs(self.dir, exist_ok=True)
        self.outbox = os.path.join(self.dir, "outbox.db")
        self.logfile = os.path.join(self.dir, "track.log")
        self.proc = None
        self.runs = 0

    def cmd(self, *args, timeout=60, check=True):
        return self.stint.run([*args, "--data-dir", self.dir], timeout=timeout, check=check)

    def login(self, url):
        return self.cmd("login", "--server", url, "--email", self.email, "--password", PASSWORD)

    def start(self, display, *args):
        out = open(self.logfile, "a")
        self.proc = subprocess.Popen(
            [self.stint.bin, "track", "--screenshot-interval", "off", "--idle-answer", "keep",
             *args, "--data-dir", self.dir],
            env={**self.stint.env, "DISPLAY": display}, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT)
        out.close()
        self.runs += 1
        return self.proc

    def kill9(self):
        """SIGKILL; returns the wall-clock moment (ms) the kill was done."""
        self.proc.kill()
        at = now_ms()
        self.proc.wait()
        self.proc = None
        return at

    def interrupt(self):
        if self.proc:
            self.proc.send_signal(signal.SIGINT)

    def wait(self, timeout=30):
        if not self.proc:
            return True
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            return False
        self.proc = None
        return True

    def output(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def wait_for(self, text, secs, after=0):
        end = time.time() + secs
        while time.time() < end:
            if self.output().count(text) > after:
                return True
            time.sleep(0.1)
        return False

    def db(self):
        c = sqlite3.connect(self.outbox, timeout=10)
        c.row_factory = sqlite3.Row
        return c

    def rows(self):
        with self.db() as c:
            return [dict(r) for r in c.execute(
                "SELECT id, log_type, started_at, stopped_at, deleted, version, synced_version, "
                "failed_version, failed_message FROM logs ORDER BY started_at")]

    def open_and_heartbeat(self):
        """The log left running and the last heartbeat, as a restart finds them."""
        with self.db() as c:
            o = c.execute("SELECT id, started_at FROM logs WHERE stopped_at IS NULL AND deleted = 0 "
                          "ORDER BY started_at DESC LIMIT 1").fetchone()
            hb = c.execute("SELECT value FROM kv WHERE key = 'heartbeat'").fetchone()
        return (dict(o) if o else None), (int(hb[0]) if hb else None)

    def pending(self):
        try:
            with self.db() as c:
                return c.execute("SELECT COUNT(*) FROM logs WHERE version > synced_version "
                                 "AND (failed_version IS NULL OR failed_version < version)").fetchone()[0]
        except sqlite3.Error:
            return -1

    def slot_seconds(self):
        with self.db() as c:
            return sum(json.loads(r[0]).get("duration", 0)
                       for r in c.execute("SELECT report FROM slots WHERE synced = 1"))


def add_users(server, emails, admin=True):
    if admin:
        server.admin("user", "add", "--email", ADMIN, "--name", "Soak Admin",
                     "--password", PASSWORD, "--role", "admin")
    for e in emails:
        server.admin("user", "add", "--email", e, "--name", e.split("@")[0], "--password", PASSWORD)


def stop_all(agents, timeout=40):
    """SIGINT to every tracker at once (each stops its log and pushes), then
    a final `stint sync` each. Returns (trackers that did not stop, syncs
    that failed)."""
    for a in agents:
        a.interrupt()
    hung = sum(0 if a.wait(timeout) else 1 for a in agents)
    failed = 0
    for a in agents:
        p = a.cmd("sync", check=False, timeout=60)
        if p.returncode != 0:
            failed += 1
            log(f"final sync of {a.email} failed: {p.stdout}{p.stderr}")
    return hung, failed


def reconcile(agents, apis):
    """Every non-deleted log of every outbox is on the server exactly once
    with the same start and stop; nothing on the server that no outbox
    holds; nothing running; no overlaps; the same answer from every API
    (replicas). Returns the figures."""
    views = [api.logs() for api in apis]
    server = views[0]
    by_id = {}
    dup_ids = 0
    for l in server:
        if l["id"] in by_id:
            dup_ids += 1
        by_id[l["id"]] = l
    checked = lost = mismatched = pending = failed = deleted_on_server = open_local = 0
    known = set()
    employees = {}
    problems = []
    for a in agents:
        emp = set()
        for r in a.rows():
            if r["deleted"]:
                if r["id"] in by_id:
                    deleted_on_server += 1
                    problems.append(f"{a.email}: deleted log {r['id']} is on the server")
                known.add(r["id"])
                continue
            checked += 1
            known.add(r["id"])
            if r["version"] > r["synced_version"]:
                pending += 1
            if r["failed_message"]:
                failed += 1
                problems.append(f"{a.email}: refused {r['id']}: {r['failed_message']}")
            if r["stopped_at"] is None:
                open_local += 1
            s = by_id.get(r["id"])
            if s is None:
                lost += 1
                problems.append(f"{a.email}: log {r['id']} ({r['log_type']}) not on the server")
                continue
            emp.add(s["employeeId"])
            if (iso_ms(s["startedAt"]), iso_ms(s["stoppedAt"])) != (r["started_at"], r["stopped_at"]) \
                    or s["logType"] != r["log_type"]:
                mismatched += 1
                problems.append(f"{a.email}: {r['id']} outbox {r['log_type']} {r['started_at']}..{r['stopped_at']}"
                                f" server {s['logType']} {s['startedAt']}..{s['stoppedAt']} ({s.get('stoppedReason')})")
        if len(emp) > 1:
            problems.append(f"{a.email}: logs under {len(emp)} employees")
        for e in emp:
            employees.setdefault(e, []).append(a.email)
    shared = [v for v in employees.values() if len(v) > 1]
    extra = [l for l in server if l["id"] not in known]
    for l in extra[:10]:
        problems.append(f"on the server but in no outbox: {l['id']} {l['logType']} {l['startedAt']}..{l['stoppedAt']}")
    running = [l for l in server if l["isRunning"] or l["stoppedAt"] is None]
    overlaps = 0
    per_emp = {}
    for l in server:
        per_emp.setdefault(l["employeeId"], []).append(l)
    for ls in per_emp.values():
        ls.sort(key=lambda l: iso_ms(l["startedAt"]))
        for x, y in zip(ls, ls[1:]):
            if x["stoppedAt"] is None or iso_ms(x["stoppedAt"]) > iso_ms(y["startedAt"]):
                overlaps += 1
    disagree = sum(1 for v in views[1:]
                   if sorted((l["id"], l["startedAt"], l["stoppedAt"]) for l in v)
                   != sorted((l["id"], l["startedAt"], l["stoppedAt"]) for l in server))
    return {
        "logs_checked": checked,
        "server_logs": len(server),
        "lost": lost,
        "duplicated": dup_ids + len(extra),
        "mismatched": mismatched,
        "deleted_still_on_server": deleted_on_server,
        "running_on_server": len(running),
        "running_in_outbox": open_local,
        "pending_in_outbox": pending,
        "refused": failed,
        "overlaps": overlaps,
        "agents_sharing_an_employee": len(shared),
        "replica_views_disagreeing": disagree,
        "problems": problems[:20],
    }


def slot_check(agents, api):
    """Activity seconds the outboxes saw acknowledged vs. the server's
    slots: a replayed slot must not count twice."""
    local = sum(a.slot_seconds() for a in agents)
    remote = sum(s.get("duration", 0) for s in api.slots())
    return {"slot_seconds_outbox": local, "slot_seconds_server": remote}


def ok(fig):
    return all(fig.get(k, 0) == 0 for k in (
        "lost", "duplicated", "mismatched", "deleted_still_on_server", "running_on_server",
        "running_in_outbox", "pending_in_outbox", "refused", "overlaps",
        "agents_sharing_an_employee", "replica_views_disagreeing")) \
        and fig.get("slot_seconds_outbox", 0) == fig.get("slot_seconds_server", 0)


def offline_lines(agents):
    return sum(a.output().count("offline (") for a in agents)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path
