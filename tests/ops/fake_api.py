"""A fake Kubernetes API server over HTTP on 127.0.0.1, for the day-2 command tests.

It serves just what ``endpoints logs/status/approve/doctor`` call, in the API server's wire format,
so the real ``kubernetes`` client and its HTTP requests are exercised: list pods by label selector,
get any object by path, list a collection (in one namespace or all) by label selector, pod logs
(chunked, streaming when following) and strategic merge patches of ``pods/status``. Every request is
recorded for assertions.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PLURALS = {"Deployment": "deployments", "ScaledObject": "scaledobjects",
           "HTTPScaledObject": "httpscaledobjects", "HTTPRoute": "httproutes"}
GATE_TIMEOUT = 5.0


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApi:
    """The cluster's state, and the server that exposes it."""

    pods: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Pod name -> log items: a line to send, or an Event to wait for before sending the rest.
    logs: dict[str, list[str | threading.Event]] = field(default_factory=dict)
    # Path -> (status code, message): answer with this error instead.
    failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    url: str = ""

    def add(self, manifest: dict[str, Any]) -> None:
        """Store an object (as rendered by ``expand``) where the API serves it."""
        api = manifest["apiVersion"]
        root = "/api/v1" if api == "v1" else f"/apis/{api}"
        meta = manifest["metadata"]
        self.objects[f"{root}/namespaces/{meta['namespace']}/{PLURALS[manifest['kind']]}/{meta['name']}"] = manifest

    def put(self, path: str, obj: dict[str, Any]) -> None:
        """Store any object at its API path."""
        self.objects[path] = obj

    def collection(self, path: str) -> list[dict[str, Any]]:
        """The objects a list call on ``path`` returns: /apis/G/V/PLURAL spans every namespace."""
        parts = path.strip("/").split("/")
        found = []
        for stored, obj in self.objects.items():
            item = stored.strip("/").split("/")
            if len(item) == len(parts) + 3 and item[len(parts) - 1:len(parts) + 1] == ["namespaces", item[len(parts)]]:
                item = item[:len(parts) - 1] + item[len(parts) + 1:]  # drop namespaces/<ns>: all-namespace form
            if item[:-1] == parts:
                found.append(obj)
        return found

    def serves_collection(self, path: str) -> bool:
        """A list path of a kind the fake knows (it answers an empty list, as the API server does)."""
        return path.rsplit("/", 1)[-1] in {*PLURALS.values(), "daemonsets", "nodes"} or bool(self.collection(path))

    def requests_to(self, method: str, suffix: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.endswith(suffix)]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        pass

    def _record(self) -> tuple[list[str], dict[str, str], bytes]:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        query = dict(parse_qsl(url.query))
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.api.requests.append(Request(self.command, url.path, query, headers, body))
        return url.path.strip("/").split("/"), query, body

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts, query, _ = self._record()
        api = self.server.api
        path = "/" + "/".join(parts)
        if path in api.failures:
            return self._error(*api.failures[path])
        if parts[:2] == ["api", "v1"] and parts[4:5] == ["pods"]:
            if len(parts) == 5:
                return self._json(200, {"apiVersion": "v1", "kind": "PodList", "metadata": {},
                                        "items": [p for p in api.pods.values() if _selects(query, p)]})
            if len(parts) == 7 and parts[6] == "log" and parts[5] in api.pods:
                return self._log(parts[5], query)
        if path in api.objects:
            return self._json(200, api.objects[path])
        if api.serves_collection(path):
            return self._json(200, {"kind": "List", "apiVersion": "v1", "metadata": {},
                                    "items": [o for o in api.collection(path) if _selects(query, o)]})
        self._error(404, f'{parts[-2]} "{parts[-1]}" not found')

    def do_PATCH(self) -> None:  # noqa: N802
        parts, _, body = self._record()
        pod = self.server.api.pods.get(parts[5]) if parts[-1] == "status" else None
        if pod is None:
            return self._error(404, f'pods "{parts[5]}" not found')
        conditions = {c["type"]: c for c in pod["status"].get("conditions", [])}
        for condition in json.loads(body)["status"]["conditions"]:  # merge by type, like the API
            conditions[condition["type"]] = {**conditions.get(condition["type"], {}), **condition}
        pod["status"]["conditions"] = list(conditions.values())
        self._json(200, pod)

    def _log(self, pod: str, query: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        api = self.server.api
        for item in api.logs.get(pod, []):
            if isinstance(item, threading.Event):
                api.events.append(f"{pod}: waited" if item.wait(GATE_TIMEOUT) else f"{pod}: gate timed out")
                continue
            api.events.append(f"{pod}: sent {item}")
            self._chunk(f"{item}\n".encode())
        self._chunk(b"")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        reasons = {403: "Forbidden", 404: "NotFound", 401: "Unauthorized"}
        self._json(status, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": reasons.get(status, "InternalError"), "code": status})


def _selects(query: dict[str, str], obj: dict[str, Any]) -> bool:
    selector = query.get("labelSelector", "")
    wanted = dict(term.split("=", 1) for term in selector.split(",") if term)
    labels = obj["metadata"].get("labels", {})
    return all(labels.get(k) == v for k, v in wanted.items())


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: FakeApi) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api


def serve(api: FakeApi) -> _Server:
    server = _Server(api)
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-api-server", daemon=True).start()
    return server


def write_kubeconfig(path: Path, contexts: dict[str, str], current: str) -> Path:
    """A kubeconfig with one cluster per context (name -> server URL) and a bearer token user."""
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": current,
        "clusters": [{"name": name, "cluster": {"server": url}} for name, url in contexts.items()],
        "users": [{"name": "tester", "user": {"token": "fake-token"}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": "tester"}} for name in contexts],
    }
    path.write_text(json.dumps(config))  # JSON is YAML
    return path
