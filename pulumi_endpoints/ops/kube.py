"""The cluster connection for day-2 commands, and the few API calls they make.

The ``kubernetes`` client is imported inside functions so ``import pulumi_endpoints`` stays light.
Every failure of the connection or of a call becomes a :class:`ClusterError` with one line
of text, which the CLI prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..labels import CONTAINER_NAME, ENDPOINT_LABEL
from ..errors import EndpointsError

if TYPE_CHECKING:
    from kubernetes.client import ApiClient, V1Deployment, V1Pod
    from kubernetes.client.exceptions import ApiException

# The container the Deployment runs the server in (see blueprint.workload).
CONTAINER = CONTAINER_NAME
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
CHUNK_SIZE = 4096
DEFAULT_KUBECONFIG = "~/.kube/config"
T = TypeVar("T")


class ClusterError(EndpointsError):
    """The cluster cannot be reached, refuses a call, or lacks what a command needs."""


@dataclass(frozen=True)
class CustomKind:
    group: str
    version: str
    plural: str


def connect(kubeconfig: str | None = None, context: str | None = None) -> ApiClient:
    """An API client from ``kubeconfig``, $KUBECONFIG or ~/.kube/config, else the in-cluster config."""
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    path = kubeconfig or os.environ.get("KUBECONFIG") or DEFAULT_KUBECONFIG
    configuration = client.Configuration()
    configuration.retries = 0  # fail fast: one line, not three retries with back-off
    try:
        if _use_file(path):
            config.load_kube_config(config_file=path, context=context, client_configuration=configuration)
        else:
            config.load_incluster_config(client_configuration=configuration)
    except ConfigException as error:
        text = str(error).strip().rstrip(".")
        if "No configuration found" in text:
            text = (f"no kubeconfig at {path} and not running inside a cluster "
                    "(pass --kubeconfig or set KUBECONFIG)")
        else:
            text = f"kubeconfig: {text}"
        raise ClusterError(f"no cluster access: {text}") from None
    except OSError as error:
        raise ClusterError(f"no cluster access: cannot read the kubeconfig: {error}") from None
    return client.ApiClient(configuration)


def _use_file(path: str) -> bool:
    """A kubeconfig wins, unless there is none at the default place and we run in a pod."""
    in_pod = "KUBERNETES_SERVICE_HOST" in os.environ
    return not in_pod or path != DEFAULT_KUBECONFIG or os.path.exists(os.path.expanduser(path))


def _api_problem(error: ApiException) -> str:
    if error.status == 401:
        return "no cluster access: the API server rejected the credentials (401 Unauthorized)"
    message = _api_message(error)
    if error.status == 403:
        return f"not allowed: {message}"
    return f"the API server answered {error.status} {error.reason}: {message}"


def _api_message(error: ApiException) -> str:
    try:
        return str(json.loads(error.body)["message"])
    except (TypeError, ValueError, KeyError):
        return str(error.body or error.reason).strip()


def _unreachable(host: str, error: Exception) -> ClusterError:
    # urllib3 wraps the OS error: "<urllib3.connection.HTTPConnection ...>: Failed to establish ..."
    reason = str(getattr(error, "reason", None) or error).split(">: ", 1)[-1].strip()
    return ClusterError(f"no cluster access: cannot reach the API server at {host} ({reason})")


class NotFound(ClusterError):
    """The object asked for does not exist (HTTP 404)."""


class Cluster:
    """The calls the day-2 commands make, in one namespace, with one-line errors."""

    def __init__(self, api: ApiClient, namespace: str) -> None:
        from kubernetes import client

        self.namespace = namespace
        self.host: str = api.configuration.host
        self.api = api
        self.core = client.CoreV1Api(api)
        self.apps = client.AppsV1Api(api)
        self.custom = client.CustomObjectsApi(api)

    def _call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        kwargs.setdefault("_request_timeout", (CONNECT_TIMEOUT, READ_TIMEOUT))
        try:
            return method(*args, **kwargs)
        except ApiException as error:
            if error.status == 404:
                raise NotFound(_api_message(error)) from None
            raise ClusterError(_api_problem(error)) from None
        except HTTPError as error:
            raise _unreachable(self.host, error) from None

    def deployment(self, endpoint: str) -> V1Deployment:
        """The endpoint's Deployment (named after it); ``endpoint ... not found`` otherwise."""
        try:
            return self._call(self.apps.read_namespaced_deployment, endpoint, self.namespace)
        except NotFound:
            raise ClusterError(f"endpoint {endpoint} not found in namespace {self.namespace}") from None

    def pods(self, endpoint: str) -> list[V1Pod]:
        """The endpoint's pods (by its endpoint label), oldest first."""
        found = self._call(self.core.list_namespaced_pod, self.namespace,
                           label_selector=f"{ENDPOINT_LABEL}={endpoint}").items
        return sorted(found, key=lambda p: (p.metadata.creation_timestamp is None,
                                            p.metadata.creation_timestamp, p.metadata.name))

    def existing_pods(self, endpoint: str) -> list[V1Pod]:
        """The endpoint's pods; an error when the endpoint does not exist or has none yet."""
        pods = self.pods(endpoint)
        if not pods:
            self.deployment(endpoint)  # "endpoint ... not found" when there is no such endpoint
            raise ClusterError(f"endpoint {endpoint} has no replicas yet in namespace {self.namespace} "
                               f"(see: endpoints status {endpoint})")
        return pods

    def custom_object(self, kind: CustomKind, name: str) -> dict[str, Any] | None:
        """A custom resource, or None when it (or its kind) does not exist."""
        try:
            found: dict[str, Any] = self._call(self.custom.get_namespaced_custom_object, kind.group,
                                               kind.version, self.namespace, kind.plural, name)
        except NotFound:
            return None
        return found

    def get(self, path: str, **query: str) -> dict[str, Any] | None:
        """Any object or list by its API path (``/apis/<group>/<version>/…``); None when it, or its
        kind, does not exist."""
        try:
            found: dict[str, Any] = self._call(
                self.api.call_api, path, "GET", query_params=list(query.items()), response_types_map={200: "object"},
                auth_settings=["BearerToken"], _return_http_data_only=True)
        except NotFound:
            return None
        return found

    def log_lines(self, pod: str, *, follow: bool, since_seconds: int | None) -> Iterator[str]:
        """The lines of the server container's log, as they arrive when following."""
        from urllib3.exceptions import HTTPError

        options: dict[str, Any] = {"container": CONTAINER, "_preload_content": False,
                                   "_request_timeout": (CONNECT_TIMEOUT, None if follow else READ_TIMEOUT)}
        if follow:
            options["follow"] = True  # the API server parses "True" like Go's strconv.ParseBool
        if since_seconds is not None:
            options["since_seconds"] = since_seconds
        response = self._call(self.core.read_namespaced_pod_log, pod, self.namespace, **options)
        try:
            pending = b""
            for chunk in response.stream(CHUNK_SIZE, decode_content=True):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    yield line.decode("utf-8", errors="replace")
            if pending:
                yield pending.decode("utf-8", errors="replace")
        except HTTPError as error:
            raise _unreachable(self.host, error) from None
        finally:
            response.release_conn()

    def patch_pod_status(self, pod: str, patch: dict[str, Any]) -> None:
        """A strategic merge patch on the pod's status subresource (conditions merge by type)."""
        self._call(self.core.patch_namespaced_pod_status, pod, self.namespace, patch,
                   _content_type="application/strategic-merge-patch+json")


def locate(api: ApiClient, prefix: str, endpoint: str) -> Cluster:
    """The cluster in the namespace that holds the endpoint: its own, ``<prefix>-<endpoint>``
    (workspace isolation: namespace), else ``prefix`` itself (isolation: shared)."""
    from ..blueprint.naming import endpoint_namespace

    tried = []
    for namespace in (endpoint_namespace(prefix, endpoint), prefix):
        cluster = Cluster(api, namespace)
        try:
            cluster._call(cluster.apps.read_namespaced_deployment, endpoint, namespace)
        except NotFound:
            tried.append(namespace)
            continue
        return cluster
    raise ClusterError(f"endpoint {endpoint} not found in namespace {' or '.join(tried)}")
