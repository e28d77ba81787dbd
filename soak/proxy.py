"""A fault-injecting HTTP proxy on loopback, between agents and a server.

Each request is read whole from the client, sent upstream on a fresh
connection (`Connection: close`) and its response read whole. For a
fraction of requests the response is then thrown away and the client's
connection closed: the request landed, the client never hears so, and
retries what the server already has. A hook can also run while a request is
in flight upstream (scenario 4 kills a replica mid-batch with it)."""

import random
import socket
import threading


def _read_head(sock, buf):
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head, rest


def _headers(head):
    lines = head.split(b"\r\n")
    hs = {}
    for l in lines[1:]:
        k, _, v = l.partition(b":")
        hs[k.strip().lower()] = v.strip()
    return lines[0], lines[1:], hs


def _read_body(sock, hs, rest):
    if hs.get(b"transfer-encoding", b"").lower() == b"chunked":
        # Keep the chunked framing as is; read until the last chunk.
        while not rest.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                return None, b""
            rest += chunk
        return rest, b""
    n = int(hs.get(b"content-length", b"0") or 0)
    while len(rest) < n:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return rest[:n], rest[n:]


class FaultProxy:
    # Responses dropped: /api/timesheet/* (agents replay their writes, which
    # are idempotent) and token refreshes (the rotated-out refresh token is
    # taken once more within the server's grace, so a lost refresh answer
    # does not sign the agent out).
    def __init__(self, upstream, drop=0.0,
                 only=(b"/api/timesheet/", b"/api/auth/refresh-token"), seed=1):
        self.upstream = upstream  # "127.0.0.1:PORT"
        self.drop = drop
        self.only = only
        self.rnd = random.Random(seed)
        self.lock = threading.Lock()
        self.in_flight = None  # callable(method, path) run after forwarding
        self.stats = {"requests": 0, "dropped": 0, "dropped_sync": 0, "upstream_errors": 0}
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.addr = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"http://{self.addr}"

    def close(self):
        self._closed = True
        self.sock.close()

    def _accept(self):
        while not self._closed:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        buf = b""
        try:
            while True:
                head, rest = _read_head(c, buf)
                if head is None:
                    return
                first, lines, hs = _headers(head)
                body, buf = _read_body(c, hs, rest)
                if body is None:
                    return
                method, path = first.split(b" ")[0], first.split(b" ")[1]
                out = [first] + [l for l in lines if not l.lower().startswith(b"connection:")]
                out.append(b"Connection: close")
                request = b"\r\n".join(out) + b"\r\n\r\n" + body
                response = self._forward(request, method, path)
                with self.lock:
                    self.stats["requests"] += 1
                    drop = (response is not None and path.startswith(self.only)
                            and self.rnd.random() < self.drop)
                    if drop:
                        self.stats["dropped"] += 1
                        if path.endswith(b"/time-log/sync"):
                            self.stats["dropped_sync"] += 1
                if response is None or drop:
                    return  # the client sees its connection closed
                c.sendall(response)
                _, _, rhs = _headers(response.split(b"\r\n\r\n", 1)[0])
                if rhs.get(b"connection", b"").lower() == b"close":
                    return
        except OSError:
            return
        finally:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _forward(self, request, method, path):
        host, port = self.upstream.rsplit(":", 1)
        try:
            with socket.create_connection((host, int(port)), timeout=60) as u:
                u.sendall(request)
                hook = self.in_flight
                if hook:
                    hook(method, path)
                chunks = []
                while True:
                    chunk = u.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            data = b"".join(chunks)
            return data if data.startswith(b"HTTP/") else None
        except OSError:
            with self.lock:
                self.stats["upstream_errors"] += 1
            return None
