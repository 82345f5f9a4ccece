"""The Terraform face: a provider on the ``tf`` library (plugin protocol 6).

Start-up matters (Terraform starts the provider several times per command), so
modules here import only ``tf`` and light project modules at import time;
pydantic and boto3 load inside the requests that need them.
"""

ADDRESS = "registry.terraform.io/pulumi-endpoints/endpoints"
NAME = ADDRESS.rsplit("/", 1)[-1]  # the provider's local name
PREFIX = f"{NAME}_"  # of its resource and data source types: endpoints_node_pool, endpoints_endpoint
