"""``WorkspaceSpec``: what the endpoints of one workspace share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from .fields import Float, Int, KubeName, SecretName
from .shapes import CATALOG, Shape


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cluster(_Model):
    name: str = Field(default="endpoints", pattern=r"^[0-9A-Za-z][A-Za-z0-9_-]*$", max_length=100)
    version: str = Field(default="1.31", pattern=r"^1\.[0-9]{2}$",
                         description="Kubernetes version, quoted in YAML (\"1.31\")")
    node_role_arn: str | None = Field(default=None, pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    subnet_ids: list[str] = Field(default_factory=list, max_length=16)
    security_group_ids: list[str] = Field(default_factory=list, max_length=5)

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, subnet_ids: list[str]) -> list[str]:
        for subnet in subnet_ids:
            if not subnet.startswith("subnet-"):
                raise ValueError(f"{subnet!r} is not a subnet id (subnet-...)")
        if len(set(subnet_ids)) != len(subnet_ids):
            raise ValueError("subnet ids repeat")
        return subnet_ids

    @field_validator("security_group_ids")
    @classmethod
    def _security_groups(cls, group_ids: list[str]) -> list[str]:
        for group in group_ids:
            if not group.startswith("sg-"):
                raise ValueError(f"{group!r} is not a security group id (sg-...)")
        return group_ids


class FileSystemOptions(_Model):
    name: KubeName = "shared"
    performance_mode: Literal["generalPurpose", "maxIO"] = "generalPurpose"
    throughput_mode: Literal["bursting", "elastic", "provisioned"] = "elastic"
    provisioned_throughput_mibps: Float | None = Field(default=None, gt=0, le=10240, validate_default=True)
    encrypted: StrictBool = True
    transition_to_ia: Literal["AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS",
                              "AFTER_90_DAYS", None] = None
    deletion_protection: StrictBool = True

    @field_validator("provisioned_throughput_mibps")
    @classmethod
    def _only_when_provisioned(cls, value: float | None, info) -> float | None:
        mode = info.data.get("throughput_mode")
        if mode == "provisioned" and value is None:
            raise ValueError("required when throughput_mode is provisioned")
        if mode != "provisioned" and value is not None:
            raise ValueError("only allowed when throughput_mode is provisioned")
        return value


class Gateway(_Model):
    name: KubeName = "endpoints"
    namespace: KubeName = "gateway"
    domain: str | None = Field(
        default=None, max_length=190,
        pattern=r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        description="Endpoints answer at https://<endpoint>.<domain>; default <workspace>.endpoints.internal")


class Keda(_Model):
    namespace: KubeName = "keda"
    interceptor_service: KubeName = "keda-add-ons-http-interceptor-proxy"
    interceptor_port: Int = Field(default=8080, ge=1, le=65535)


class Monitoring(_Model):
    prometheus_url: str = Field(default="http://prometheus-operated.monitoring.svc:9090",
                                pattern=r"^https?://\S+$")
    request_metric: str = Field(
        default="http_server_request_duration_seconds_count", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$",
        description="Gateway request counter (OpenTelemetry HTTP semantic conventions) used for QPM")
    gpu_metric: str = Field(default="DCGM_FI_DEV_GPU_UTIL", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


class Rbac(_Model):
    admin_group: str = Field(default="endpoints:admins", min_length=1, max_length=256)
    member_group: str = Field(default="endpoints:members", min_length=1, max_length=256)


class SecretStore(_Model):
    kind: Literal["ClusterSecretStore", "SecretStore"] = "ClusterSecretStore"
    name: KubeName = "aws-secrets-manager"


class WorkspaceSpec(_Model):
    name: KubeName = "default"
    region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
    namespace: KubeName = "endpoints"
    cluster: Cluster = Field(default_factory=Cluster)
    filesystem: FileSystemOptions = Field(default_factory=FileSystemOptions)
    gateway: Gateway = Field(default_factory=Gateway)
    token_secret: SecretName = "workspace-token"
    secret_prefix: str = Field(default="endpoints", pattern=r"^[A-Za-z0-9_+=.@-]+$", max_length=64)
    secret_store: SecretStore = Field(default_factory=SecretStore)
    keda: Keda = Field(default_factory=Keda)
    monitoring: Monitoring = Field(default_factory=Monitoring)
    rbac: Rbac = Field(default_factory=Rbac)
    collect_logs: StrictBool = True
    shapes: dict[str, Shape] = Field(default_factory=dict, description="Shapes added or overriding the catalog")

    @field_validator("shapes")
    @classmethod
    def _shape_names(cls, shapes: dict[str, Shape]) -> dict[str, Shape]:
        for name in shapes:
            if not name or len(name) > 64 or not all(c.isalnum() or c in ".-" for c in name):
                raise ValueError(f"shape name {name!r} may hold only letters, digits, '.' and '-'")
        return shapes

    @property
    def catalog(self) -> dict[str, Shape]:
        return {**CATALOG, **self.shapes}

    @property
    def domain(self) -> str:
        return self.gateway.domain or f"{self.name}.endpoints.internal"

    def secret_id(self, secret: str) -> str:
        """The Secrets Manager name of a workspace secret."""
        return f"{self.secret_prefix}/{self.name}/{secret}"
