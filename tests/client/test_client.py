"""The client against a real HTTP server on 127.0.0.1 that checks the bearer token like the gateway."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import pulumi_endpoints
from pulumi_endpoints import Client, ClientError, EndpointsError, OpenAIClient
from pulumi_endpoints.client import EndpointHTTPError, EndpointTimeout, EndpointUnreachable

TOKEN = "ws-token-7f3a9c"


class Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []
    release = threading.Event()  # lets /slow answer

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _answer(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        body = (json.dumps(payload) if content_type == "application/json" else str(payload)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(401, {"error": "unauthorized"})
            return False
        return True

    def do_GET(self) -> None:
        if self.path == "/public/hello":
            self._answer(200, "hello", "text/plain")
        elif self._authorized() and self.path == "/v1/models":
            self._answer(200, {"object": "list", "data": [{"id": "meta-llama/Meta-Llama-3-8B-Instruct"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"null")
        Handler.seen.append({"path": self.path, "payload": payload,
                             "content_type": self.headers.get("Content-Type")})
        if not self._authorized():
            return
        if self.path == "/run":
            self._answer(200, {"echo": payload})
        elif self.path == "/slow":  # answers once the test has seen the client give up
            Handler.release.wait(timeout=10)
            with contextlib.suppress(ConnectionError):  # the client has hung up: what the test wants
                self._answer(200, {})
        elif self.path == "/boom":
            self._answer(500, {"detail": "CUDA out of memory"})
        elif self.path == "/v1/chat/completions":
            reply = f"{payload['model']} got {len(payload['messages'])} message(s)"
            self._answer(200, {"choices": [{"message": {"role": "assistant", "content": reply}}],
                               "params": {k: v for k, v in payload.items() if k not in ("model", "messages")}})
        else:
            self._answer(404, {"detail": "Not Found"})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_run_posts_json_with_the_bearer_token(server: str) -> None:
    Handler.seen.clear()
    answer = Client(server, TOKEN).run(inputs="Hello", max_tokens=5)
    assert answer == {"echo": {"inputs": "Hello", "max_tokens": 5}}
    assert Handler.seen == [{"path": "/run", "payload": {"inputs": "Hello", "max_tokens": 5},
                             "content_type": "application/json"}]


def test_a_trailing_slash_and_other_paths(server: str) -> None:
    client = Client(server + "/", TOKEN)
    assert client.post("run", {"a": 1}) == {"echo": {"a": 1}}
    assert Client(server).get("/public/hello") == "hello"  # text answers come back as text; no token needed


def test_a_wrong_token_is_a_clear_error_without_the_token(server: str) -> None:
    with pytest.raises(EndpointHTTPError) as caught:
        Client(server, "wrong-secret-token").run(inputs="x")
    error = caught.value
    assert error.status == 401 and isinstance(error, ClientError) and isinstance(error, EndpointsError)
    assert str(error) == f'{server}/run: HTTP 401 Unauthorized (missing or wrong token): {{"error": "unauthorized"}}'
    assert "wrong-secret-token" not in str(error) and "wrong-secret-token" not in repr(Client(server, "wrong-secret-token"))


def test_server_errors_carry_the_status_and_body(server: str) -> None:
    with pytest.raises(EndpointHTTPError) as caught:
        Client(server, TOKEN).post("/boom", {})
    assert caught.value.status == 500
    assert "HTTP 500" in str(caught.value) and "CUDA out of memory" in str(caught.value)
    with pytest.raises(EndpointHTTPError, match="HTTP 404 Not Found \\(no such path"):
        Client(server, TOKEN).post("/nowhere", {})


def test_timeouts_say_so(server: str) -> None:
    Handler.release.clear()
    with pytest.raises(EndpointTimeout, match=r"/slow: no answer within 0.2 s"):
        Client(server, TOKEN, timeout=0.2).post("/slow", {})
    Handler.release.set()


def test_unreachable_endpoints_say_so() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EndpointUnreachable, match="cannot connect"):
        Client(f"http://127.0.0.1:{port}", TOKEN, timeout=5).run()


def test_bad_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="url must be"):
        Client("llama3-8b.prod.example.com", TOKEN)


def test_openai_chat_picks_the_served_model(server: str) -> None:
    client = OpenAIClient(server, TOKEN)
    assert client.models() == ["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert client.complete("Hi", system="Be brief") == "meta-llama/Meta-Llama-3-8B-Instruct got 2 message(s)"
    response = client.chat([{"role": "user", "content": "Hi"}], model="other", temperature=0.2)
    assert response["choices"][0]["message"]["content"] == "other got 1 message(s)"
    assert response["params"] == {"temperature": 0.2}


def test_the_client_is_exported_lazily_from_the_package_root() -> None:
    assert pulumi_endpoints.Client is Client and "Client" in pulumi_endpoints.__all__
    code = "import sys, pulumi_endpoints; print('pulumi_endpoints.client' in sys.modules, 'urllib.request' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
