"""Cost bands: what an endpoint costs at its fewest and at its most replicas.

What AWS bills: every endpoint has its own node pool, so it pays for whole instances, however few
of their GPUs its replicas use: ceil(replicas ÷ replicas per instance) × the instance's price per
hour. (Lepton bills a replica its share of a machine; a one-GPU A100 endpoint here still runs a
whole p4d.24xlarge.) A model cache adds its storage on the workspace file system, at EFS Standard's
price, whatever the replica count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..cloud_defaults import EFS_STANDARD_USD_PER_GB_MONTH
from ..spec.shapes import instances_for
from .model import EndpointSummary

HOURS_PER_MONTH = 720  # a 30-day month
GIB_IN_GB = 2**30 / 10**9  # AWS bills storage by the GB


@dataclass(frozen=True)
class CostBand:
    hourly_min: float
    hourly_max: float

    @property
    def monthly_min(self) -> float:
        return round(self.hourly_min * HOURS_PER_MONTH, 2)

    @property
    def monthly_max(self) -> float:
        return round(self.hourly_max * HOURS_PER_MONTH, 2)

    def __add__(self, other: CostBand) -> CostBand:
        return CostBand(round(self.hourly_min + other.hourly_min, 4), round(self.hourly_max + other.hourly_max, 4))


def cost_band(endpoint: EndpointSummary) -> CostBand:
    """At min replicas on the preferred capacity type, at max replicas on the dearest one listed (the
    preferred one may run out)."""
    def ratio(kind: str) -> float:
        return (endpoint.spot_price_ratio or 1.0) if kind == "spot" else 1.0

    def billed(replicas: int, factor: float) -> float:
        nodes = instances_for(replicas, endpoint.replicas_per_node)
        return round(nodes * endpoint.hourly_price_per_node * factor, 4)

    dearest = max(ratio(kind) for kind in endpoint.capacity_types)
    stored = endpoint.cached_model_gib * GIB_IN_GB * EFS_STANDARD_USD_PER_GB_MONTH / HOURS_PER_MONTH  # at any count
    return CostBand(round(billed(endpoint.min_replicas, ratio(endpoint.capacity_types[0])) + stored, 4),
                    round(billed(endpoint.max_replicas, dearest) + stored, 4))


def total(endpoints: Iterable[EndpointSummary]) -> CostBand:
    return sum((cost_band(e) for e in endpoints), CostBand(0.0, 0.0))
