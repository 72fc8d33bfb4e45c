"""A real webhook receiver: an HTTP server in a thread that verifies every
signature, can fail the first tries of every event with 500 or hang, and processes each
event id once (what a receiver of an at-least-once feed must do)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self, secret: str, *, fail_first: int = 0, sleep_s: float = 0.0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.sleep_s = sleep_s
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []  # every POST: id, event, status, signature_ok
        self.processed: dict[str, dict[str, Any]] = {}  # event id -> body, once
        self.duplicates = 0
        self.arrived = 0  # POSTs received (counted before any hang)
        self.bad_signatures = 0
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec.handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def handle(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
        want = "sha256=" + hmac.new(self.secret.encode(), raw, hashlib.sha256).hexdigest()
        sig_ok = hmac.compare_digest(want, h.headers.get("X-Stadium-Signature", ""))
        eid = h.headers.get("X-Stadium-Id", "")
        with self.lock:
            self.arrived += 1
        if self.sleep_s:
            time.sleep(self.sleep_s)
        with self.lock:
            n = sum(1 for r in self.requests if r["id"] == eid)  # earlier tries of this id
            status = 500 if n < self.fail_first else (200 if sig_ok else 401)
            self.requests.append(
                {"id": eid, "event": h.headers.get("X-Stadium-Event"), "status": status,
                 "signature_ok": sig_ok, "body": raw}
            )  # fmt: skip
            if not sig_ok:
                self.bad_signatures += 1
            elif status == 200:
                if eid in self.processed:
                    self.duplicates += 1  # seen: acknowledged, not processed again
                else:
                    self.processed[eid] = json.loads(raw)
        try:
            h.send_response(status)
            h.send_header("Content-Length", "0")
            h.end_headers()
        except OSError:
            pass  # the worker gave up waiting (its timeout)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *a: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
