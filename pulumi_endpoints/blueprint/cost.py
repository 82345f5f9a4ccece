"""Cost bands: what an endpoint costs at its fewest and at its most replicas.

Billing follows Lepton's rule: machine unit price × hours × replicas. A replica's
unit price is its share of the instance (see :class:`pulumi_endpoints.spec.Shape`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import EndpointSummary

HOURS_PER_MONTH = 720  # a 30-day month


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
    price = endpoint.hourly_price_per_replica
    return CostBand(round(price * endpoint.min_replicas, 4), round(price * endpoint.max_replicas, 4))


def total(endpoints: Iterable[EndpointSummary]) -> CostBand:
    return sum((cost_band(e) for e in endpoints), CostBand(0.0, 0.0))
