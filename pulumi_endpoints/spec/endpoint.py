"""``EndpointSpec``: every option of a Lepton dedicated endpoint, with Lepton's defaults.

The YAML/JSON field names are a user contract. Defaults live here, once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictStr, ValidationInfo, field_validator, model_validator

from ..cloud_defaults import ACCESS_POINT_GID, ACCESS_POINT_UID, NODE_CAPACITY, NODE_DISK_SIZE_GB
from ..labels import PREFIX
from .fields import (RESERVED_ENV_PREFIX, WORKSPACE_TOKEN_ENV, AbsolutePath, Cidr, EndpointName, Float, Int, KubeName,
                     MemoryQuantity, MountPath, SecretName, SpecModel, UrlPath, UserEnvName, check_labels, one_of)
from .shapes import DEFAULT_SHAPE
from .sources import PHOTON_HEALTH_PATH, Source
from .workspace import CAPACITY_TYPES_DESCRIPTION, CapacityType, distinct_capacity_types

DEFAULT_NO_TRAFFIC_TIMEOUT = 3600
DEFAULT_SCALE_TO_ZERO_MAX_REPLICAS = 1
SCALE_TO_ZERO_CONCURRENCY = 100  # requests in flight per replica the KEDA HTTP add-on aims at
SCRAPE_INTERVAL_SECONDS = 30
# Lepton's probe defaults: (initial delay, period, success threshold, failure threshold) in seconds.
READINESS_PROBE = (5, 5, 1, 10)
LIVENESS_PROBE = (600, 5, 1, 12)
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
# Gateway timeouts. 600 s holds a long completion (thousands of tokens at tens of tokens per
# second) or a stream; Envoy's own route default is 15 s. The idle limit is Envoy's stream idle
# default (5 minutes): a stream may pause that long, e.g. while a long prompt is read.
DEFAULT_REQUEST_TIMEOUT = 600
DEFAULT_IDLE_TIMEOUT = 300
MAX_TIMEOUT = 24 * 3600
# /dev/shm of a shape with several GPUs: tensor parallelism (NCCL) moves data through it, and the
# container runtime's 64 MiB default makes a multi-GPU engine fail or crawl.
MULTI_GPU_SHARED_MEMORY = "16Gi"


def _max_not_below_min(max_replicas: int, info: ValidationInfo) -> int:
    minimum = info.data.get("min_replicas")
    if minimum is not None and max_replicas < minimum:
        raise ValueError(f"must be at least min_replicas ({minimum})")
    return max_replicas


class ScaleToZero(SpecModel):
    no_traffic_timeout: Int = Field(
        default=DEFAULT_NO_TRAFFIC_TIMEOUT, ge=60, le=7 * 24 * 3600,
        description="Seconds without traffic before scaling to zero (the KEDA HTTP add-on's scale-down period)")
    max_replicas: Int = Field(
        default=DEFAULT_SCALE_TO_ZERO_MAX_REPLICAS, ge=1, le=1000,
        description=f"Most replicas under load; the KEDA HTTP add-on aims at {SCALE_TO_ZERO_CONCURRENCY} requests "
                    "in flight per replica")


class Qpm(SpecModel):
    min_replicas: Int = Field(
        default=1, ge=0, le=1000,
        description="Fewest replicas; at 0 requests fail (503) until a replica is ready, unlike scale_to_zero")
    max_replicas: Int = Field(ge=1, le=1000, description="Most replicas; at least min_replicas")
    target_qpm: Float = Field(
        gt=0, le=1_000_000,
        description="Queries per minute per replica the autoscaler aims for, counted at the gateway over 1 minute")
    methods: list[HttpMethod] = Field(default_factory=list, max_length=7,
                                      description="Count only requests with these HTTP methods; empty: all methods")
    paths: list[UrlPath] = Field(
        default_factory=list, max_length=32,
        description="Count only requests whose route (http_route) is one of these paths; empty: all paths")

    _max = field_validator("max_replicas")(_max_not_below_min)


class GpuUtilization(SpecModel):
    min_replicas: Int = Field(
        default=1, ge=0, le=1000,
        description="Fewest replicas; 0 is refused at expansion (with no replica there is no GPU metric to scale "
                    "up on)")
    max_replicas: Int = Field(ge=1, le=1000, description="Most replicas; at least min_replicas")
    target_percent: Int = Field(
        default=80, ge=1, le=100,
        description="Average GPU utilization of the replicas, in percent, the autoscaler aims for")

    _max = field_validator("max_replicas")(_max_not_below_min)


class Queue(SpecModel):
    min_replicas: Int = Field(
        default=1, ge=1, le=1000,
        description="Fewest replicas, at least 1: with no replica there is no queue to measure (scale_to_zero "
                    "serves idle endpoints)")
    max_replicas: Int = Field(ge=1, le=1000, description="Most replicas; at least min_replicas")
    target_waiting: Float = Field(
        gt=0, le=100_000,
        description="Requests waiting in the engine's queue per replica that the autoscaler aims for (vLLM's "
                    "vllm:num_requests_waiting, SGLang's sglang:num_queue_reqs)")

    _max = field_validator("max_replicas")(_max_not_below_min)


AUTOSCALING_MODES = ("replicas", "scale_to_zero", "qpm", "gpu_utilization", "queue")


class Autoscaling(SpecModel):
    replicas: Int | None = Field(default=None, ge=0, le=1000,
                                 description="Fixed replica count, no autoscaler; 0 stops the endpoint")
    scale_to_zero: ScaleToZero | None = Field(
        default=None,
        description="Scale on HTTP traffic down to 0 replicas; requests that arrive at 0 wait while a replica starts")
    qpm: Qpm | None = Field(
        default=None, description="Scale on queries per minute measured at the gateway (KEDA and Prometheus)")
    gpu_utilization: GpuUtilization | None = Field(
        default=None, description="Scale on the replicas' average GPU utilization (KEDA and Prometheus)")
    queue: Queue | None = Field(
        default=None, description="Scale on the requests waiting in the LLM engine's queue (KEDA and Prometheus; "
                                  "vLLM and SGLang)")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Autoscaling":
        one_of(self, AUTOSCALING_MODES)
        return self

    @property
    def mode(self) -> str:
        return one_of(self, AUTOSCALING_MODES)

    @property
    def bounds(self) -> tuple[int, int]:
        """(min, max) replicas."""
        if self.replicas is not None:
            return self.replicas, self.replicas
        if self.scale_to_zero is not None:
            return 0, self.scale_to_zero.max_replicas
        bounded = self.qpm or self.gpu_utilization or self.queue
        assert bounded is not None
        return bounded.min_replicas, bounded.max_replicas


class Access(SpecModel):
    public: StrictBool = Field(
        default=False,
        description="Accept requests without a token; false: callers need the workspace token or one of tokens "
                    "(Authorization header)")
    tokens: list[SecretName] = Field(
        default_factory=list, max_length=32,
        description="Workspace secrets holding extra accepted tokens; ignored when public")
    ip_allowlist: list[Cidr] = Field(
        default_factory=list, max_length=256,
        description="IP addresses or CIDR blocks allowed to call the endpoint; empty: any address")


class Mount(SpecModel):
    from_: AbsolutePath = Field(
        alias="from",
        description="Folder on the workspace file system, created when missing; the container reads and writes it "
                    f"as uid {ACCESS_POINT_UID}, gid {ACCESS_POINT_GID}")
    path: MountPath = Field(description="Absolute path where the folder appears in the container; not a system folder")
    read_only: StrictBool = Field(default=False, description="Mount the folder read-only")


class Health(SpecModel):
    initial_delay_seconds: Int | None = Field(
        default=None, ge=0, le=24 * 3600,
        description="Start-up grace period: seconds after start before the liveness probe begins checking; "
                    f"null: Lepton's {LIVENESS_PROBE[0]}")
    path: UrlPath | None = Field(
        default=None,
        description="HTTP path the readiness and liveness probes request; null: the engine's, NIM's or the "
                    f"template's own (see spec/images.py), {PHOTON_HEALTH_PATH} for photons, else a TCP check "
                    "of the port")


class Security(SpecModel):
    run_as_user: int | None = Field(
        default=None, ge=1, le=2_147_483_647,
        description="Run the container as this uid, never root (runAsNonRoot; the uid is also its group and "
                    "the pod's fsGroup); null: the image's own user (root for the vLLM and SGLang images)")
    read_only_root_filesystem: StrictBool = Field(
        default=False,
        description="Mount the container's root file system read-only; /tmp becomes an emptyDir and HOME "
                    "points at it unless env sets HOME, so caches under ~ stay writable")


class Timeouts(SpecModel):
    request: Int = Field(
        default=DEFAULT_REQUEST_TIMEOUT, ge=0, le=MAX_TIMEOUT,
        description="Seconds the gateway gives a response, from the request to its last byte (a long completion, a "
                    "stream, an image); 0: no limit. A scale-to-zero endpoint gets scale_from_zero on top, for the "
                    "cold start")
    idle: Int = Field(
        default=DEFAULT_IDLE_TIMEOUT, ge=1, le=MAX_TIMEOUT,
        description="Seconds a request or stream may pass without a byte either way before the gateway closes it")
    scale_from_zero: Int | None = Field(
        default=None, ge=1, le=MAX_TIMEOUT,
        description="Seconds the KEDA interceptor holds a request while the first replica starts (autoscaling "
                    "scale_to_zero only), at least the start-up grace; null: the start-up budget (GPU node, "
                    "image pull, weights, engine start; see the README) in whole minutes, at least the start-up "
                    f"grace (health.initial_delay_seconds, else {LIVENESS_PROBE[0]})")


class Metrics(SpecModel):
    pull: StrictBool = Field(default=True,
                             description=f"Have Prometheus scrape the replicas (a PodMonitor, every "
                                         f"{SCRAPE_INTERVAL_SECONDS} s)")
    path: UrlPath = Field(default="/metrics",
                          description="HTTP path on the serving port where the replicas expose Prometheus metrics")


class Logs(SpecModel):
    collect: StrictBool | None = Field(
        default=None,
        description="Mark the replicas' pods for the log collector; null: the workspace's collect_logs")


class Routing(SpecModel):
    header_based: StrictBool = Field(
        default=False,
        description="Send requests with the same header value to the same replica (consistent hashing at the gateway)")
    header: str = Field(default="X-Routing-Key", pattern=r"^[A-Za-z0-9-]+$", max_length=128,
                        description="Request header whose value picks the replica when header_based is on")


class NodePoolOptions(SpecModel):
    capacity_type: Literal["on_demand", "spot"] = Field(
        default=NODE_CAPACITY,
        description="EC2 capacity of the endpoint's node pool, on-demand or spot; a change replaces the pool")
    disk_size_gb: Int = Field(default=NODE_DISK_SIZE_GB, ge=20, le=16384,
                              description="Root disk of each node, in GiB; a change replaces the pool")
    max_nodes: Int | None = Field(
        default=None, ge=1, le=1000,
        description="Cap on the pool's nodes, an error when too few for max replicas; null: enough for max "
                    "replicas plus one replica surging during updates")


class EndpointSpec(SpecModel):
    name: EndpointName = Field(
        description="Endpoint name: names its Kubernetes objects and node pool, and its URL https://<name>.<domain>")
    source: Source = Field(description="What the endpoint serves: exactly one kind of source")
    resource_shape: str = Field(
        default=DEFAULT_SHAPE, min_length=1, max_length=64,
        description="Resources of each replica (CPU, memory, GPUs, instance type) by shape name, from the catalog "
                    "or workspace.shapes")
    autoscaling: Autoscaling = Field(
        default_factory=lambda: Autoscaling(scale_to_zero=ScaleToZero()),
        description=f"How many replicas run; default: scale to zero after {DEFAULT_NO_TRAFFIC_TIMEOUT} s without "
                    f"traffic, at most {DEFAULT_SCALE_TO_ZERO_MAX_REPLICAS} replica")
    env: dict[UserEnvName, StrictStr] = Field(
        default_factory=dict, max_length=512,
        description=f"Environment variables of the serving container; names starting with {RESERVED_ENV_PREFIX} "
                    "are reserved")
    secrets: dict[UserEnvName, SecretName] = Field(
        default_factory=dict, max_length=256,
        description="Environment variables read from workspace secrets: env name -> secret name")
    access: Access = Field(default_factory=Access,
                           description="Who may call the endpoint: token check and IP allowlist at the gateway")
    mounts: list[Mount] = Field(default_factory=list, max_length=32,
                                description="Folders of the workspace file system mounted into the container")
    shared_memory_size: MemoryQuantity | None = Field(
        default=None,
        description="Size of an in-memory /dev/shm as a quantity such as 16Gi; null: "
                    f"{MULTI_GPU_SHARED_MEMORY} for a shape with more than one GPU (tensor parallelism needs it), "
                    "else the container runtime's 64 MiB")
    health: Health = Field(default_factory=Health,
                           description="Readiness and liveness probes of the serving container")
    require_approval: StrictBool = Field(
        default=False,
        description="Each new replica gets no traffic until approved with `endpoints approve` (a readiness gate)")
    visibility: Literal["private", "public"] = Field(
        default="private",
        description="Who may see and operate the endpoint in Kubernetes: admins and owner, plus the member group "
                    "when public (not network access: see access.public)")
    owner: str | None = Field(default=None, min_length=1, max_length=256,
                              description="Kubernetes user who may see and operate the endpoint, besides admins")
    include_workspace_token: StrictBool = Field(
        default=False, description=f"Give the container the workspace token as {WORKSPACE_TOKEN_ENV}")
    metrics: Metrics = Field(default_factory=Metrics, description="Prometheus scraping of the replicas")
    logs: Logs = Field(default_factory=Logs, description="Log collection from the replicas")
    routing: Routing = Field(default_factory=Routing, description="How the gateway spreads requests over replicas")
    timeouts: Timeouts = Field(default_factory=Timeouts,
                               description="How long the gateway and the scale-from-zero interceptor wait")
    security: Security = Field(default_factory=Security,
                               description="Opt-in hardening of the serving container beyond the defaults")
    image_pull_secrets: list[KubeName] = Field(
        default_factory=list, max_length=16,
        description="Kubernetes secrets in the endpoint's namespace used to pull a private image")
    labels: dict[str, StrictStr] = Field(
        default_factory=dict, max_length=64,
        description=f"Extra labels on every Kubernetes object of the endpoint; keys under {PREFIX}/ are reserved")
    node_pool: NodePoolOptions = Field(default_factory=NodePoolOptions,
                                       description="The endpoint's own EKS node pool")
    capacity_types: list[CapacityType] | None = Field(
        default=None, min_length=1, max_length=3,
        description=f"The endpoint's EC2 capacity, {CAPACITY_TYPES_DESCRIPTION}; null: node_pool.capacity_type "
                    "when set, else workspace.capacity.capacity_types")

    _distinct_capacity = field_validator("capacity_types")(distinct_capacity_types)

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return check_labels(labels, PREFIX)

    @field_validator("secrets")
    @classmethod
    def _no_env_clash(cls, secrets: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        clash = sorted(set(secrets) & set(info.data.get("env") or {}))
        if clash:
            raise ValueError(f"{', '.join(clash)} set both in env and in secrets")
        return secrets

    @field_validator("mounts")
    @classmethod
    def _distinct_mount_paths(cls, mounts: list[Mount]) -> list[Mount]:
        paths = [m.path for m in mounts]
        duplicates = sorted({p for p in paths if paths.count(p) > 1})
        if duplicates:
            raise ValueError(f"mount path {duplicates[0]} used more than once")
        return mounts
