"""``EndpointSpec``: every option of a Lepton dedicated endpoint, with Lepton's defaults.

The YAML/JSON field names are a user contract. Defaults live here, once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationInfo,
                      field_validator, model_validator)

from ..labels import PREFIX
from .fields import (AbsolutePath, Cidr, EndpointName, Float, Int, KubeName, MemoryQuantity, MountPath, SecretName,
                     UrlPath, UserEnvName, check_labels)
from .shapes import DEFAULT_SHAPE
from .sources import Source

DEFAULT_NO_TRAFFIC_TIMEOUT = 3600
# Lepton's probe defaults: (initial delay, period, success threshold, failure threshold) in seconds.
READINESS_PROBE = (5, 5, 1, 10)
LIVENESS_PROBE = (600, 5, 1, 12)
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _max_not_below_min(max_replicas: int, info: ValidationInfo) -> int:
    minimum = info.data.get("min_replicas")
    if minimum is not None and max_replicas < minimum:
        raise ValueError(f"must be at least min_replicas ({minimum})")
    return max_replicas


class ScaleToZero(_Model):
    no_traffic_timeout: Int = Field(default=DEFAULT_NO_TRAFFIC_TIMEOUT, ge=60, le=7 * 24 * 3600,
                                    description="Seconds without traffic before scaling to zero")
    max_replicas: Int = Field(default=1, ge=1, le=1000)


class Qpm(_Model):
    min_replicas: Int = Field(default=1, ge=0, le=1000)
    max_replicas: Int = Field(ge=1, le=1000)
    target_qpm: Float = Field(gt=0, le=1_000_000, description="Queries per minute per replica")
    methods: list[HttpMethod] = Field(default_factory=list, max_length=7)
    paths: list[UrlPath] = Field(default_factory=list, max_length=32)

    _max = field_validator("max_replicas")(_max_not_below_min)


class GpuUtilization(_Model):
    min_replicas: Int = Field(default=1, ge=0, le=1000)
    max_replicas: Int = Field(ge=1, le=1000)
    target_percent: Int = Field(default=80, ge=1, le=100)

    _max = field_validator("max_replicas")(_max_not_below_min)


AUTOSCALING_MODES = ("replicas", "scale_to_zero", "qpm", "gpu_utilization")


class Autoscaling(_Model):
    replicas: Int | None = Field(default=None, ge=0, le=1000, description="Fixed replica count; 0 stops")
    scale_to_zero: ScaleToZero | None = None
    qpm: Qpm | None = None
    gpu_utilization: GpuUtilization | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Autoscaling":
        chosen = [mode for mode in AUTOSCALING_MODES if getattr(self, mode) is not None]
        if len(chosen) != 1:
            got = ", ".join(chosen) if chosen else "none"
            raise ValueError(f"set exactly one of {', '.join(AUTOSCALING_MODES)} (got {got})")
        return self

    @property
    def mode(self) -> str:
        return next(mode for mode in AUTOSCALING_MODES if getattr(self, mode) is not None)

    @property
    def bounds(self) -> tuple[int, int]:
        """(min, max) replicas."""
        if self.replicas is not None:
            return self.replicas, self.replicas
        if self.scale_to_zero is not None:
            return 0, self.scale_to_zero.max_replicas
        bounded = self.qpm or self.gpu_utilization
        assert bounded is not None
        return bounded.min_replicas, bounded.max_replicas


class Access(_Model):
    public: StrictBool = False
    tokens: list[SecretName] = Field(default_factory=list, max_length=32,
                                     description="Workspace secrets holding extra accepted tokens")
    ip_allowlist: list[Cidr] = Field(default_factory=list, max_length=256)


class Mount(_Model):
    from_: AbsolutePath = Field(alias="from", description="Folder on the workspace file system")
    path: MountPath = Field(description="Where it appears in the container")
    read_only: StrictBool = False


class Health(_Model):
    initial_delay_seconds: Int | None = Field(
        default=None, ge=0, le=24 * 3600,
        description="Start-up grace period: the liveness probe's initial delay (Lepton default 600)")
    path: UrlPath | None = Field(default=None, description="HTTP path probed; default per source")


class Metrics(_Model):
    pull: StrictBool = True
    path: UrlPath = "/metrics"


class Logs(_Model):
    collect: StrictBool | None = Field(default=None, description="None: the workspace default")


class Routing(_Model):
    header_based: StrictBool = False
    header: str = Field(default="X-Routing-Key", pattern=r"^[A-Za-z0-9-]+$", max_length=128)


class NodePoolOptions(_Model):
    capacity_type: Literal["on_demand", "spot"] = "on_demand"
    disk_size_gb: Int = Field(default=100, ge=20, le=16384)
    max_nodes: Int | None = Field(default=None, ge=1, le=1000,
                                  description="Cap on nodes; checked against max replicas")


class EndpointSpec(_Model):
    name: EndpointName
    source: Source
    resource_shape: str = Field(default=DEFAULT_SHAPE, min_length=1, max_length=64)
    autoscaling: Autoscaling = Field(default_factory=lambda: Autoscaling(scale_to_zero=ScaleToZero()))
    env: dict[UserEnvName, StrictStr] = Field(default_factory=dict, max_length=512)
    secrets: dict[UserEnvName, SecretName] = Field(default_factory=dict, max_length=256,
                                                  description="Env name -> workspace secret name")
    access: Access = Field(default_factory=Access)
    mounts: list[Mount] = Field(default_factory=list, max_length=32)
    shared_memory_size: MemoryQuantity | None = None
    health: Health = Field(default_factory=Health)
    require_approval: StrictBool = False
    visibility: Literal["private", "public"] = "private"
    owner: str | None = Field(default=None, min_length=1, max_length=256,
                              description="User who may see a private endpoint, besides admins")
    include_workspace_token: StrictBool = False
    metrics: Metrics = Field(default_factory=Metrics)
    logs: Logs = Field(default_factory=Logs)
    routing: Routing = Field(default_factory=Routing)
    image_pull_secrets: list[KubeName] = Field(default_factory=list, max_length=16)
    labels: dict[str, StrictStr] = Field(default_factory=dict, max_length=64)
    node_pool: NodePoolOptions = Field(default_factory=NodePoolOptions)

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
