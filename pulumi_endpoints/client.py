"""Call a running endpoint: ``Client(url, token).run(**inputs)``, like Lepton's client.

Standard library only (``urllib``), so it adds nothing to ``import pulumi_endpoints``.
Every call POSTs or GETs JSON with ``Authorization: Bearer <token>`` (the workspace
token, or one of the endpoint's extra tokens; none for a public endpoint). HTTP
errors, timeouts and unreachable hosts raise :class:`ClientError` subclasses whose
message names the URL and, for HTTP errors, the status and the start of the body;
the token never appears in a message.

    from pulumi_endpoints import Client, OpenAIClient

    Client("https://mygpt2.prod.example.com", token).run(inputs="Hello")    # POST /run
    chat = OpenAIClient("https://llama3-8b.prod.example.com", token)
    chat.complete("Say hi")                                                   # the reply's text
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import EndpointsError

DEFAULT_TIMEOUT = 60.0
BODY_EXCERPT = 500


class ClientError(EndpointsError):
    """A call to an endpoint failed."""

    def __init__(self, message: str, url: str) -> None:
        self.url = url
        super().__init__(message)


class EndpointHTTPError(ClientError):
    """The endpoint answered with an HTTP error status (4xx, 5xx)."""

    def __init__(self, url: str, status: int, reason: str, body: str) -> None:
        self.status, self.reason, self.body = status, reason, body
        excerpt = body.strip()[:BODY_EXCERPT]
        hint = {401: " (missing or wrong token)", 403: " (token not accepted)",
                404: " (no such path: check the URL)", 503: " (no replica ready yet?)"}.get(status, "")
        super().__init__(f"{url}: HTTP {status} {reason}{hint}" + (f": {excerpt}" if excerpt else ""), url)


class EndpointTimeout(ClientError):
    """No complete answer within the timeout (a scale-to-zero endpoint may still be starting)."""

    def __init__(self, url: str, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(f"{url}: no answer within {timeout:g} s (a replica may still be starting; "
                         "raise timeout=)", url)


class EndpointUnreachable(ClientError):
    """The endpoint could not be reached (DNS, connection refused, TLS)."""

    def __init__(self, url: str, reason: object) -> None:
        super().__init__(f"{url}: cannot connect: {reason}", url)


class Client:
    """An endpoint at ``url`` (``https://<endpoint>.<domain>``), called with a bearer ``token``."""

    def __init__(self, url: str, token: str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 headers: Mapping[str, str] | None = None) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"url must be http(s)://host[:port][/prefix], got {url!r}")
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._headers = {"Accept": "application/json", **(headers or {})}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self.url!r})"

    def run(self, **inputs: Any) -> Any:
        """POST the keyword arguments as JSON to ``/run`` (a photon's handler) and return the answer."""
        return self.post("/run", inputs)

    def post(self, path: str, payload: Any = None, *, timeout: float | None = None) -> Any:
        """POST ``payload`` as JSON to ``path``; JSON answers are decoded, others returned as text."""
        body = json.dumps({} if payload is None else payload).encode()
        return self._call("POST", path, body, timeout)

    def get(self, path: str, *, timeout: float | None = None) -> Any:
        return self._call("GET", path, None, timeout)

    def _call(self, method: str, path: str, body: bytes | None, timeout: float | None) -> Any:
        url = f"{self.url}/{path.lstrip('/')}"
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        limit = self.timeout if timeout is None else timeout
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:  # noqa: S310 (http(s) only)
                data = response.read()
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace") if error.fp else ""
            raise EndpointHTTPError(url, error.code, str(error.reason), text) from None
        except TimeoutError as error:
            raise EndpointTimeout(url, limit) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise EndpointTimeout(url, limit) from error
            raise EndpointUnreachable(url, error.reason) from error
        text = data.decode("utf-8", "replace")
        if "json" in content_type:
            try:
                return json.loads(text)
            except ValueError:
                return text
        return text


class OpenAIClient(Client):
    """An endpoint with an OpenAI-compatible API (vLLM, NIM, the llm-engine template)."""

    def models(self) -> list[str]:
        """The served model ids (``GET /v1/models``)."""
        return [m["id"] for m in self.get("/v1/models").get("data", [])]

    def chat(self, messages: Sequence[Mapping[str, Any]], *, model: str | None = None, **params: Any) -> Any:
        """``POST /v1/chat/completions``; the whole response. ``model`` defaults to the first served one."""
        chosen = model or next(iter(self.models()), None)
        if chosen is None:
            raise ClientError(f"{self.url}/v1/models: the endpoint serves no model", self.url)
        return self.post("/v1/chat/completions", {"model": chosen, "messages": list(messages), **params})

    def complete(self, prompt: str, *, system: str | None = None, model: str | None = None,
                 **params: Any) -> str:
        """One user message in, the reply's text out."""
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
        response = self.chat(messages, model=model, **params)
        try:
            return str(response["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError):
            raise ClientError(f"{self.url}/v1/chat/completions: unexpected answer: {str(response)[:BODY_EXCERPT]}",
                              self.url) from None
