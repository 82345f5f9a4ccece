"""Current EC2 On-Demand prices from the AWS Price List Query API (``pricing:GetProducts``).

``endpoints shapes --refresh-prices`` reads them for every instance type of the shape catalog and
writes the catalog's shapes with those prices: a ``shapes:`` mapping for ``workspace.shapes``.
The API answers from us-east-1 for every region; the products are filtered to Linux, shared
tenancy, no pre-installed software and used capacity (``capacitystatus: Used``), the rate a
running on-demand instance is billed.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from ..errors import EndpointsError
from .config import AwsConfig

PRICING_REGION = "us-east-1"  # where the Price List Query API is served
_FILTERS = {"operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used",
            "licenseModel": "No License required"}


class PricingError(EndpointsError):
    """A price the API did not give, or an answer that is not a price list."""


def on_demand_prices(config: AwsConfig, region: str, instance_types: Iterable[str]) -> dict[str, float]:
    """USD per instance hour for each instance type in ``region``."""
    client = AwsConfig(profile=config.profile, region=PRICING_REGION, endpoint_url=config.endpoint_url,
                       assume_role_arn=config.assume_role_arn).client("pricing")
    return {instance: _price(client, region, instance) for instance in sorted(set(instance_types))}


def _price(client: Any, region: str, instance: str) -> float:
    filters = [{"Type": "TERM_MATCH", "Field": field, "Value": value}
               for field, value in {"instanceType": instance, "regionCode": region, **_FILTERS}.items()]
    found: set[float] = set()
    token: str | None = None
    while True:
        page = client.get_products(ServiceCode="AmazonEC2", Filters=filters, FormatVersion="aws_v1", MaxResults=100,
                                   **({"NextToken": token} if token else {}))
        found |= {price for item in page.get("PriceList", []) for price in _on_demand_usd(item, instance)}
        token = page.get("NextToken")
        if not token:
            break
    if len(found) != 1:
        detail = "none" if not found else ", ".join(f"${p:g}" for p in sorted(found))
        raise PricingError(f"{instance} in {region}: expected one on-demand Linux price, the Price List API gave "
                           f"{detail}")
    return found.pop()


def _on_demand_usd(item: str, instance: str) -> list[float]:
    try:
        product = json.loads(item)
        terms = product["terms"]["OnDemand"].values()
        return [float(dimension["pricePerUnit"]["USD"]) for term in terms
                for dimension in term["priceDimensions"].values() if dimension.get("unit") in ("Hrs", "Hours")]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PricingError(f"{instance}: not a price list entry ({error})") from None


def refreshed_shapes(prices: dict[str, float], region: str) -> tuple[str, dict[str, Any]]:
    """The catalog's shapes at ``prices``, as ``workspace.shapes`` takes them, and a comment saying
    where and when the prices come from."""
    from ..spec.shapes import CATALOG

    shapes = {name: {**shape.model_dump(mode="json"), "instance_hourly_usd": prices[shape.instance_type]}
              for name, shape in CATALOG.items()}
    when = datetime.date.today().isoformat()
    return f"EC2 On-Demand Linux prices in {region}, from the AWS Price List Query API on {when}", shapes
