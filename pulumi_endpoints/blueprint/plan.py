"""Facts derived once per endpoint, shared by every builder of the expansion."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..labels import ENDPOINT_LABEL, MANAGED_BY, MANAGED_BY_LABEL, SHAPE_LABEL, VISIBILITY_LABEL, WORKSPACE_LABEL
from ..spec.document import field_path
from ..spec.endpoint import LIVENESS_PROBE, MULTI_GPU_SHARED_MEMORY, EndpointSpec
from ..spec.shapes import Shape
from ..spec.sources import HuggingFace
from ..spec.workspace import WorkspaceSpec
from . import naming


_PARAMS = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)[bB](?![a-zA-Z0-9])")
FALLBACK_BILLIONS = 13  # a model's size when its name does not tell
POD_NAME_PREFIX = 58  # Kubernetes' limit on a generated name's prefix (63 minus a 5-character suffix)


T = TypeVar("T")


def per_plan(make: Callable[[EndpointPlan], T]) -> Callable[[EndpointPlan], T]:
    """``make(plan)`` computed once per plan, like ``functools.cached_property``, for the builders of
    the expansion that the plan's own module cannot import. Callers share the result: never mutate it."""
    key = f"{make.__module__}.{make.__qualname__}"

    @functools.wraps(make)
    def once(plan: EndpointPlan) -> T:
        found = plan.__dict__.get(key, _MISSING)
        if found is _MISSING:
            found = plan.__dict__[key] = make(plan)
        return found  # type: ignore[no-any-return]

    return once


_MISSING = object()


@dataclass(frozen=True)
class EndpointPlan:
    spec: EndpointSpec
    workspace: WorkspaceSpec
    path: str
    shape: Shape

    @property
    def name(self) -> str:
        return self.spec.name

    @functools.cached_property
    def namespace(self) -> str:
        if self.workspace.isolation == "shared":
            return self.workspace.namespace
        return naming.endpoint_namespace(self.workspace.namespace, self.name)

    def at(self, field: str) -> str:
        """The document path of one of this endpoint's fields."""
        return field_path(self.path, field)

    @property
    def start_up_grace(self) -> int:
        """Seconds a replica may take to start: the liveness probe's initial delay."""
        delay = self.spec.health.initial_delay_seconds
        return LIVENESS_PROBE[0] if delay is None else delay

    @property
    def shared_memory(self) -> str | None:
        """The size of the pod's in-memory /dev/shm, None for the runtime's default."""
        default = MULTI_GPU_SHARED_MEMORY if self.shape.gpu_count > 1 else None
        return self.spec.shared_memory_size or default

    @property
    def model_billions(self) -> float | None:
        """Parameter count read from the model's name: a Hugging Face id such as Meta-Llama-3-70B-Instruct,
        or the folder or served name of a model on the file system."""
        source = self.spec.source
        names: tuple[str | None, ...] = ()
        if source.huggingface:
            names = (source.huggingface.model,)
        elif source.filesystem:
            names = (source.filesystem.served_model_name, source.filesystem.path)
        elif source.template is not None and source.template.name == "llm-engine":
            names = (str(source.template.options["model"]),)
        match = next((m for name in names if (m := _PARAMS.search(name or ""))), None)
        return float(match.group(1)) if match else None

    @property
    def cached_model(self) -> HuggingFace | None:
        """The Hugging Face source whose revision the workspace's model cache holds (``cache: true``)."""
        hf = self.spec.source.huggingface
        return hf if hf is not None and hf.cache else None

    @property
    def model_gib(self) -> float:
        """The size of the model's files: as given, else 2 GiB per billion parameters (fp16) read from its
        name, else a 13B model's."""
        hf = self.spec.source.huggingface
        given = hf.model_size_gib if hf is not None else None
        return given or (self.model_billions or FALLBACK_BILLIONS) * 2

    @property
    def cached_model_gib(self) -> float:
        """What the cached model occupies on the file system; 0 without a cache."""
        return self.model_gib if self.cached_model is not None else 0.0

    @property
    def cache_gib(self) -> int:
        """The size of the weights cache: the model's fp16 weights and a quarter more, when its size is
        known from its name, else enough for a 13B model."""
        billions = None if self.spec.source.filesystem else self.model_billions  # not downloaded: as released
        return max(10, math.ceil((billions or FALLBACK_BILLIONS) * 2 * 1.25))

    @property
    def min_replicas(self) -> int:
        return self.spec.autoscaling.bounds[0]

    @property
    def max_replicas(self) -> int:
        return self.spec.autoscaling.bounds[1]

    @property
    def pool_name(self) -> str:
        return naming.node_pool(self.workspace.name, self.name)

    @functools.cached_property
    def capacity_types(self) -> list[str]:
        """EC2 capacity in order of preference: the endpoint's, its node pool's (the older spelling), else the
        workspace's."""
        if self.spec.capacity_types is not None:
            return list(self.spec.capacity_types)
        if "capacity_type" in self.spec.node_pool.model_fields_set:
            return [self.spec.node_pool.capacity_type]
        return list(self.workspace.capacity.capacity_types)

    def nodes_for(self, replicas: int) -> int:
        return self.shape.nodes_for(replicas)

    @property
    def pool_min(self) -> int:
        return self.nodes_for(self.min_replicas)

    @property
    def pool_max_needed(self) -> int:
        """Nodes for max replicas plus one surge replica during rolling updates."""
        return max(1, self.nodes_for(self.max_replicas + 1))

    @property
    def pool_max(self) -> int:
        cap = self.spec.node_pool.max_nodes
        return min(self.pool_max_needed, cap) if cap else self.pool_max_needed

    @property
    def surge_fits(self) -> bool:
        return self.pool_max >= self.pool_max_needed

    @property
    def host(self) -> str:
        return f"{self.name}.{self.workspace.domain}"

    @property
    def url(self) -> str:
        return f"https://{self.host}"

    @property
    def selector(self) -> dict[str, str]:
        return {"app.kubernetes.io/name": self.name, WORKSPACE_LABEL: self.workspace.name}

    @property
    def labels(self) -> dict[str, str]:
        """Labels on every object of this endpoint (user labels first, ours win); a new dict each time."""
        return dict(self._labels)

    @functools.cached_property
    def _labels(self) -> dict[str, str]:
        return {
            **self.spec.labels,
            **self.selector,
            MANAGED_BY_LABEL: MANAGED_BY,
            ENDPOINT_LABEL: self.name,
            SHAPE_LABEL: self.spec.resource_shape,
            VISIBILITY_LABEL: self.spec.visibility,
        }

    @property
    def service_matchers(self) -> str:
        """PromQL label matchers of the endpoint's Service (the request metric's series)."""
        return f'namespace="{self.namespace}",service="{self.name}"'

    @property
    def pod_matchers(self) -> str:
        """PromQL label matchers of the Deployment's pods, named <deployment>-<hash>-<id>.

        Kubernetes cuts a generated name's prefix (``<replicaset>-``) to 58 characters before adding the
        5-character id, so a long endpoint name loses the ReplicaSet hash (up to 10 characters), and from
        58 characters its own end: the pattern then matches what is left of the prefix."""
        full = f"{self.name}-[a-z0-9]+-[a-z0-9]+"
        if len(self.name) + len("-0123456789-") <= POD_NAME_PREFIX:
            return f'namespace="{self.namespace}",pod=~"{full}"'
        kept = self.name[:POD_NAME_PREFIX]
        rest = "" if len(kept) == POD_NAME_PREFIX else "(-[a-z0-9]*)?(-)?"
        return f'namespace="{self.namespace}",pod=~"{kept}{rest}[a-z0-9]{{5}}"'

    @property
    def collect_logs(self) -> bool:
        collect = self.spec.logs.collect
        return self.workspace.collect_logs if collect is None else collect

    @property
    def photon_id(self) -> str:
        """A stable id of what is served, standing in for Lepton's photon id."""
        source = self.spec.source
        hf = source.huggingface
        # Fields added since release 0.1 count only when set, so its photon ids (and pods) stay as they were;
        # the image's size is a hint for the start-up budget, not what is served.
        unset: dict[str, Any] = {"image_size_gib": True}
        if hf and not hf.cache and hf.model_size_gib is None:
            unset["huggingface"] = {"cache", "model_size_gib"}
        digest = hashlib.sha256(source.model_dump_json(exclude=unset).encode()).hexdigest()[:12]
        return f"{self.photon_name}-{digest}"

    @property
    def photon_name(self) -> str:
        photon = self.spec.source.photon
        return photon.name if photon else self.name
