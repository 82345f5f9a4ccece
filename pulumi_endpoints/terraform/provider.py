"""The ``endpoints`` Terraform provider: AWS settings, resources and data sources."""

from __future__ import annotations

from typing import Any

from tf import types as T
from tf.iface import Config, DataSource, Provider, Resource
from tf.schema import Attribute, Schema
from tf.utils import Diagnostics

from ..aws.config import AwsConfig
from . import ADDRESS, PREFIX
from .data_sources import AddOnsData, EndpointData, ManifestsData, SpecFileData, WorkspaceData
from .resources import RESOURCES


class EndpointsProvider(Provider):
    def __init__(self) -> None:
        self.config = AwsConfig()
        # Terraform validates configurations twice: unconfigured (``terraform validate``, and
        # before a plan), then configured, right before each PlanResourceChange.
        self.configured = False

    def get_model_prefix(self) -> str:
        return PREFIX

    def full_name(self) -> str:
        return ADDRESS

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return Schema(version=1, attributes=[
            Attribute("region", T.String(), description="AWS region; default from the standard AWS chain "
                      "(AWS_REGION, profile).", optional=True),
            Attribute("profile", T.String(), description="AWS profile; credentials otherwise come from the "
                      "standard chain (environment, SSO, instance role).", optional=True),
            Attribute("endpoint_url", T.String(), description="Send every AWS call here (an emulator); "
                      "AWS_ENDPOINT_URL is honoured too.", optional=True),
            Attribute("assume_role_arn", T.String(), description="Make every AWS call as this IAM role (e.g. "
                      "in another account), assumed with the credentials above and renewed before they "
                      "expire.", optional=True),
            Attribute("default_tags", T.Map(T.String()), description="Tags added to every resource.",
                      optional=True),
        ])

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        return None

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        settings: dict[str, Any] = {k: config.get(k) for k in ("region", "profile", "endpoint_url", "assume_role_arn")}
        self.config = AwsConfig(**settings, default_tags=dict(config.get("default_tags") or {}))
        self.configured = True

    def get_data_sources(self) -> list[type[DataSource]]:
        return [SpecFileData, WorkspaceData, EndpointData, ManifestsData, AddOnsData]

    def get_resources(self) -> list[type[Resource]]:
        return list(RESOURCES)
