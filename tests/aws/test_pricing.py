"""``endpoints shapes --refresh-prices``: the AWS Price List Query API, which the emulator lacks, through
botocore's Stubber on a real ``pricing`` client (requests are checked against the API's model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from botocore.stub import ANY, Stubber

from pulumi_endpoints.aws import pricing
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.cli import main
from pulumi_endpoints.spec import WorkspaceSpec
from pulumi_endpoints.spec.document import validate_model
from pulumi_endpoints.spec.shapes import CATALOG


def product(instance: str, usd: str) -> str:
    """One entry of a GetProducts PriceList, as the API writes it (a JSON document per product)."""
    return json.dumps({
        "product": {"productFamily": "Compute Instance", "sku": "JRTCKXETXF",
                    "attributes": {"instanceType": instance, "regionCode": "us-east-1", "operatingSystem": "Linux",
                                   "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used"}},
        "serviceCode": "AmazonEC2",
        "terms": {
            "OnDemand": {"JRTCKXETXF.JRTCKXETXF": {"priceDimensions": {"JRTCKXETXF.JRTCKXETXF.6YS6EN2CT7": {
                "unit": "Hrs", "description": f"${usd} per On Demand Linux {instance} Instance Hour",
                "pricePerUnit": {"USD": usd}}}, "sku": "JRTCKXETXF", "effectiveDate": "2025-06-01T00:00:00Z"}},
            "Reserved": {"JRTCKXETXF.4NA7Y494T4": {"priceDimensions": {"JRTCKXETXF.4NA7Y494T4.2TG2D8R56U": {
                "unit": "Quantity", "pricePerUnit": {"USD": "1000"}}}}},
        },
        "version": "20250601000000", "publicationDate": "2025-06-01T00:00:00Z",
    })


NEW_PRICES = {instance: f"{index + 1}.5000000000" for index, instance in
              enumerate(sorted({s.instance_type for s in CATALOG.values()}))}


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch) -> Stubber:
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    stubber = Stubber(client)
    monkeypatch.setattr(AwsConfig, "client", lambda self, service: client)
    return stubber


def expect(stubber: Stubber, instance: str, price_list: list[str], next_token: str | None = None,
           token: str | None = None) -> None:
    params: dict[str, Any] = {"ServiceCode": "AmazonEC2", "Filters": ANY, "FormatVersion": "aws_v1", "MaxResults": 100}
    if token:
        params["NextToken"] = token
    response: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": price_list}
    if next_token:
        response["NextToken"] = next_token
    stubber.add_response("get_products", response, params)


def test_refreshed_prices_become_workspace_shapes(stubbed: Stubber, tmp_path: Path) -> None:
    for instance, usd in NEW_PRICES.items():
        if instance == "g5.2xlarge":  # an answer in two pages
            expect(stubbed, instance, [], next_token="page-2")
            expect(stubbed, instance, [product(instance, usd)], token="page-2")
        else:
            expect(stubbed, instance, [product(instance, usd)])
    out = tmp_path / "prices.yaml"
    with stubbed:
        assert main(["shapes", "--refresh-prices", "--out", str(out)]) == 0
    stubbed.assert_no_pending_responses()
    text = out.read_text()
    assert text.startswith("# EC2 On-Demand Linux prices in us-east-1, from the AWS Price List Query API on ")
    workspace = validate_model(WorkspaceSpec, yaml.safe_load(text), ("workspace",))
    assert set(workspace.shapes) == set(CATALOG)
    for name, shape in workspace.shapes.items():
        assert shape.instance_hourly_usd == float(NEW_PRICES[shape.instance_type])
        assert shape.model_copy(update={"instance_hourly_usd": 1.0}) == CATALOG[name].model_copy(
            update={"instance_hourly_usd": 1.0})  # only the price changed


def test_the_filters_ask_for_a_running_linux_on_demand_instance(stubbed: Stubber) -> None:
    filters = [{"Type": "TERM_MATCH", "Field": field, "Value": value} for field, value in {
        "instanceType": "p5.48xlarge", "regionCode": "eu-west-1", "operatingSystem": "Linux", "tenancy": "Shared",
        "preInstalledSw": "NA", "capacitystatus": "Used", "licenseModel": "No License required"}.items()]
    stubbed.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": [product("p5.48xlarge", "55.04")]},
                         {"ServiceCode": "AmazonEC2", "Filters": filters, "FormatVersion": "aws_v1", "MaxResults": 100})
    with stubbed:
        assert pricing.on_demand_prices(AwsConfig(), "eu-west-1", ["p5.48xlarge"]) == {"p5.48xlarge": 55.04}


@pytest.mark.parametrize("price_list, says", [
    ([], "gave none"),
    ([product("g5.2xlarge", "1.2"), product("g5.2xlarge", "1.3")], "gave $1.2, $1.3"),
    (["{not json"], "not a price list entry"),
])
def test_no_single_price_is_an_error_naming_the_instance(stubbed: Stubber, price_list: list[str], says: str) -> None:
    expect(stubbed, "g5.2xlarge", price_list)
    with stubbed, pytest.raises(pricing.PricingError) as failed:
        pricing.on_demand_prices(AwsConfig(), "us-east-1", ["g5.2xlarge"])
    assert "g5.2xlarge" in str(failed.value) and says in str(failed.value)
