"""A fault-injecting HTTP proxy in front of the moto server (test-only, 127.0.0.1).

Every AWS request of a faulted service draws from a seeded RNG; with probability ``rate`` it gets a
fault instead of (or after) moto's answer:

- ``throttle``: HTTP 400 ``ThrottlingException`` in the service's error shape (JSON 1.1 for Secrets
  Manager: ``__type`` in the body; REST-JSON for EKS and EFS: the ``x-amzn-ErrorType`` header;
  query/XML for EC2 and IAM), without forwarding (AWS throttles before doing anything);
- ``500`` / ``503``: an internal error / service unavailable, without forwarding;
- ``reset``: the connection is reset (TCP RST) without an answer;
- ``lost``: the request reaches moto, then the connection is reset: the work is done, the
  answer is lost (a retried create must adopt what it made, a retried delete must accept "gone");
- ``slow``: the answer comes after ``slow_seconds`` (not an error; counted as a fault).

It counts requests, faults by kind, SDK calls (``amz-sdk-invocation-id``) and retries (requests
with ``amz-sdk-request: attempt=N`` and N > 1, i.e. the same call seen again). Calls to moto's own
API (``/moto-api/``) pass through unfaulted and uncounted.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

KINDS = ("throttle", "500", "503", "reset", "lost", "slow")
DEFAULT_SERVICES = frozenset({"eks", "elasticfilesystem", "secretsmanager"})
_SERVICE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_ATTEMPT = re.compile(r"attempt=(\d+)")


@dataclass
class Figures:
    requests: int = 0
    calls: int = 0
    retries: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    by_service: Counter[str] = field(default_factory=Counter)

    @property
    def faulted(self) -> int:
        return sum(self.faults.values())

    def as_dict(self) -> dict[str, object]:
        return {"requests": self.requests, "calls": self.calls, "retries": self.retries, "faulted": self.faulted,
                "faults": dict(sorted(self.faults.items())), "by_service": dict(sorted(self.by_service.items()))}


class FaultProxy(ThreadingHTTPServer):
    """``with FaultProxy(moto_url, rate=0.2, seed=1) as proxy: ... proxy.url ... proxy.figures``."""

    daemon_threads = True

    def __init__(self, upstream: str, *, rate: float = 0.2, seed: int = 0, kinds: tuple[str, ...] = KINDS,
                 services: frozenset[str] = DEFAULT_SERVICES, slow_seconds: float = 0.5,
                 max_faults_per_call: int | None = None,
                 hold: Callable[[str, str, dict[str, str]], bool] | None = None) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("rate is a probability between 0 and 1")
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {KINDS}")
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.rate, self.kinds, self.services, self.slow_seconds = rate, tuple(kinds), services, slow_seconds
        self.max_faults_per_call = max_faults_per_call  # e.g. 1: every call's first attempt faulted, at rate 1
        self._faults_of: Counter[str] = Counter()
        # hold(method, path, headers): the first matching request is forwarded, then its answer is held
        # until ``release`` is set (``held`` tells when): a crash can then happen after AWS did the work.
        self.hold, self.held, self.release = hold, threading.Event(), threading.Event()
        self.random = random.Random(seed)
        self.figures = Figures()
        self.lock = threading.Lock()
        self._invocations: set[str] = set()
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a reset connection is the point, not an error to print

    def reset_figures(self) -> None:
        with self.lock:
            self.figures = Figures()
            self._invocations.clear()
            self._faults_of.clear()

    def decide(self, headers: dict[str, str], path: str) -> str | None:
        """Count the request; return the fault to inject, or None."""
        if path.startswith("/moto-api"):
            return None
        match = _SERVICE.search(headers.get("authorization", ""))
        service = match.group(1) if match else "unknown"
        attempt = _ATTEMPT.search(headers.get("amz-sdk-request", ""))
        invocation = headers.get("amz-sdk-invocation-id", "")
        with self.lock:
            figures = self.figures
            figures.requests += 1
            figures.by_service[service] += 1
            if attempt and int(attempt.group(1)) > 1:
                figures.retries += 1
            if invocation not in self._invocations or not invocation:
                self._invocations.add(invocation)
                figures.calls += 1
            if service not in self.services or self.random.random() >= self.rate:
                return None
            if self.max_faults_per_call is not None and self._faults_of[invocation] >= self.max_faults_per_call:
                return None
            kind = self.random.choice(self.kinds)
            self._faults_of[invocation] += 1
            figures.faults[kind] += 1
            return kind


class _Handler(BaseHTTPRequestHandler):
    server: FaultProxy
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault = self.server.decide(headers, self.path)
        if fault == "reset":
            return self._reset()
        if fault == "throttle":
            return self._reply(*_throttling(headers))
        if fault in ("500", "503"):
            message = "Internal server error" if fault == "500" else "Service unavailable"
            return self._reply(int(fault), {"Content-Type": "application/json"},
                               json.dumps({"message": message}).encode())
        if fault == "slow":
            time.sleep(self.server.slow_seconds)
        status, response_headers, payload = self._forward(body)
        if self._should_hold(headers):
            self.server.release.wait(timeout=120)
        if fault == "lost":
            return self._reset()
        self._reply(status, response_headers, payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    def _should_hold(self, headers: dict[str, str]) -> bool:
        server = self.server
        if server.hold is None:
            return False
        with server.lock:
            if server.held.is_set() or not server.hold(self.command, self.path, headers):
                return False
            server.held.set()
            return True

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=120)
        try:
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
            response = upstream.getresponse()
            payload = response.read()
            kept = {k: v for k, v in response.getheaders()
                    if k.lower() not in ("transfer-encoding", "content-length", "connection", "date", "server")}
            return response.status, kept, payload
        finally:
            upstream.close()

    def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        try:
            self._send(status, headers, payload)
        except OSError:
            self.close_connection = True  # the client went away (killed while its answer was held)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the client sees a reset, not a clean end of stream."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def log_message(self, *args: object) -> None:
        pass


def _throttling(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """HTTP 400 ThrottlingException in the error shape of the request's protocol."""
    message = "Rate exceeded"
    if "x-amz-target" in headers:  # JSON 1.0/1.1 (Secrets Manager): the code is the body's __type
        return 400, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(
            {"__type": "ThrottlingException", "message": message}).encode()
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):  # query (EC2, IAM)
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>{message}</Message>"
               f"</Error><RequestId>fault-proxy</RequestId></ErrorResponse>")
        return 400, {"Content-Type": "text/xml"}, xml.encode()
    # REST-JSON (EKS, EFS): the code is the x-amzn-ErrorType header (botocore also reads the body)
    return 400, {"Content-Type": "application/json", "x-amzn-ErrorType": "ThrottlingException:http://internal/",
                 "x-amzn-RequestId": "fault-proxy"}, json.dumps({"message": message}).encode()
