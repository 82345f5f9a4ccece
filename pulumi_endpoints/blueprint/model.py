"""What ``expand`` produces: cloud resource specs, Kubernetes manifests and findings.

Plain frozen dataclasses in domain terms (snake_case, no AWS wire format): the
AWS drivers translate them to boto3 requests at their edge. ``owner`` is the
endpoint a resource belongs to, or ``None`` for what the workspace shares.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from ..cloud_defaults import SECRET_RECOVERY_DAYS
from ..labels import ENDPOINT_LABEL

Manifest = dict[str, Any]


# EKS spells taint effects NO_SCHEDULE; Kubernetes (and `key=value:Effect` text) NoSchedule.
KUBE_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] = "NO_SCHEDULE"

    @property
    def kube_effect(self) -> str:
        return KUBE_EFFECTS[self.effect]

    @property
    def text(self) -> str:
        """``key=value:Effect``, as kubectl and the Terraform resource write it."""
        return f"{self.key}={self.value}:{self.kube_effect}"

    @classmethod
    def from_text(cls, text: str) -> Taint:
        """The taint ``text`` describes; ValueError when it is not ``key=value:Effect``."""
        key_value, _, kube_effect = text.rpartition(":")
        key, _, value = key_value.partition("=")
        effects = {kube: eks for eks, kube in KUBE_EFFECTS.items()}
        if not key or kube_effect not in effects:
            raise ValueError(f"{text!r} is not key=value:Effect with Effect one of {', '.join(effects)}")
        return cls(key=key, value=value, effect=effects[kube_effect])  # type: ignore[arg-type]


@dataclass(frozen=True)
class NodePool:
    """An EKS managed node group serving one endpoint."""

    name: str
    cluster_name: str
    node_role_arn: str
    subnet_ids: tuple[str, ...]
    instance_types: tuple[str, ...]
    ami_type: str
    capacity_type: Literal["ON_DEMAND", "SPOT"]
    disk_size: int
    min_size: int
    max_size: int
    desired_size: int
    labels: dict[str, str]
    taints: tuple[Taint, ...]
    tags: dict[str, str]
    owner: str | None = None
    kind: Literal["node_pool"] = "node_pool"


@dataclass(frozen=True)
class FileSystem:
    """The workspace's shared EFS file system."""

    name: str
    creation_token: str
    performance_mode: Literal["generalPurpose", "maxIO"]
    throughput_mode: Literal["bursting", "elastic", "provisioned"]
    provisioned_throughput_mibps: float | None
    encrypted: bool
    transition_to_ia: str | None
    deletion_protection: bool
    tags: dict[str, str]
    owner: str | None = None
    kind: Literal["file_system"] = "file_system"


@dataclass(frozen=True)
class MountTarget:
    """One EFS mount target, in one subnet of the cluster."""

    name: str
    file_system: str  # the file system's name; its id (fs-…) once a face has resolved it for a driver
    subnet_id: str
    security_group_ids: tuple[str, ...]
    owner: str | None = None
    kind: Literal["mount_target"] = "mount_target"


@dataclass(frozen=True)
class AccessPoint:
    """An EFS access point rooted at the folder one endpoint mounts."""

    name: str
    file_system: str  # the file system's name; its id (fs-…) once a face has resolved it for a driver
    path: str
    uid: int
    gid: int
    permissions: str
    tags: dict[str, str]
    owner: str | None = None
    kind: Literal["access_point"] = "access_point"


class SecretValue:
    """A secret value that does not show in reprs, str() or logs; ``reveal()`` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretValue(***)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretValue) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SecretEntry:
    """A Secrets Manager secret. Its value never passes through ``expand``: faces supply it
    (Terraform ``sensitive``, Pulumi secrets), as they supply the deletion settings."""

    name: str
    secret_id: str
    description: str
    tags: dict[str, str]
    owner: str | None = None
    value: SecretValue | None = None  # to write as a new version; None: keep AWS's current one
    recovery_window_days: int = SECRET_RECOVERY_DAYS  # when deleted: restorable this long
    force_delete: bool = False  # when deleted: at once, for good
    kind: Literal["secret"] = "secret"


CloudResource = NodePool | FileSystem | MountTarget | AccessPoint | SecretEntry


@dataclass(frozen=True)
class Finding:
    level: Literal["error", "warning"]
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


STEPS = ("node", "pull", "weights", "engine")
STEP_LABELS = {"node": "GPU node", "pull": "image pull", "weights": "weights", "engine": "engine start"}


@dataclass(frozen=True)
class ColdStart:
    node: int  # seconds for a GPU node (each endpoint's pool gets one when it scales up)
    pull: int  # the image pull
    weights: int  # weights into GPU memory
    engine: int  # the engine's own start
    unknown: tuple[str, ...] = ()  # steps no figure covers, left out of the sum

    @property
    def from_container_start(self) -> int:
        """What the liveness probe has to wait for."""
        return self.weights + self.engine

    @property
    def total(self) -> int:
        """From a request at zero replicas to a replica that answers."""
        return self.node + self.pull + self.weights + self.engine

    def breakdown(self, *steps: str) -> str:
        """The steps that take time, e.g. "GPU node 300 s, image pull 207 s"."""
        return ", ".join(f"{STEP_LABELS[step]} {getattr(self, step)} s" for step in steps or STEPS
                         if getattr(self, step))


@dataclass(frozen=True)
class EndpointSummary:
    """What a reviewer or an output needs to know about one endpoint."""

    name: str
    url: str
    namespace: str
    shape: str
    node_pool: str
    token_secret: str | None
    min_replicas: int
    max_replicas: int
    hourly_price_per_replica: float  # the replica's share of its instance (Lepton's unit price)
    hourly_price_per_node: float  # what AWS bills for one instance of the endpoint's node pool
    replicas_per_node: int
    provisioner: str  # what brings its nodes: node_group, karpenter or auto_mode
    capacity_types: tuple[str, ...]  # EC2 capacity, in order of preference
    spot_price_ratio: float | None  # spot's price as a fraction of on-demand; None: as on-demand
    cached_model_gib: float  # what its model cache occupies on the workspace file system (0: no cache)
    cold_start: ColdStart  # a new replica's start-up, estimated


@dataclass(frozen=True)
class Blueprint:
    workspace: str
    cloud: tuple[CloudResource, ...]
    manifests: tuple[Manifest, ...]
    endpoints: tuple[EndpointSummary, ...]
    findings: tuple[Finding, ...] = field(default=())
    # (writer, other): writer mounts read-write a folder that contains or lies in one other mounts
    shared_writes: tuple[tuple[str, str], ...] = field(default=())

    def cloud_of(self, owner: str | None) -> list[CloudResource]:
        return list(self._cloud_by_owner.get(owner, ()))

    def manifests_of(self, owner: str | None) -> list[Manifest]:
        return list(self._manifests_by_owner.get(owner, ()))

    @functools.cached_property
    def _cloud_by_owner(self) -> dict[str | None, list[CloudResource]]:
        grouped: dict[str | None, list[CloudResource]] = {}
        for resource in self.cloud:
            grouped.setdefault(resource.owner, []).append(resource)
        return grouped

    @functools.cached_property
    def _manifests_by_owner(self) -> dict[str | None, list[Manifest]]:
        grouped: dict[str | None, list[Manifest]] = {}
        for manifest in self.manifests:
            grouped.setdefault(manifest_owner(manifest), []).append(manifest)
        return grouped

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


def manifest_owner(manifest: Manifest) -> str | None:
    return manifest.get("metadata", {}).get("labels", {}).get(ENDPOINT_LABEL)


