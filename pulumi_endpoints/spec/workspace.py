"""``WorkspaceSpec``: what the endpoints of one workspace share."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictStr, StringConstraints, field_validator

from ..cloud_defaults import (FILE_SYSTEM_DELETION_PROTECTION, FILE_SYSTEM_ENCRYPTED, FILE_SYSTEM_PERFORMANCE_MODE,
                              FILE_SYSTEM_THROUGHPUT_MODE, NODE_CAPACITY)
from .inputs import InputOr, is_input_ref
from .fields import Float, Int, KubeName, SecretName, SpecModel, check_labels
from .shapes import CATALOG, Shape


class Cluster(SpecModel):
    name: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][A-Za-z0-9_-]*$", max_length=100), InputOr] = Field(
        default="endpoints", description="Name of the existing EKS cluster the endpoints' node pools join")
    version: str = Field(default="1.31", pattern=r"^1\.[0-9]{2}$",
                         description="Kubernetes version of the cluster, quoted in YAML (\"1.31\"); informational, "
                                     "nothing reads it yet")
    node_role_arn: Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"),
                             InputOr] | None = Field(
        default=None,
        description="IAM role of the nodes of every endpoint node pool; needed before the cloud part is applied")
    subnet_ids: list[str] = Field(
        default_factory=list, max_length=16,
        description="Subnets of the node pools and of the file system's mount targets (one per subnet); needed "
                    "before the cloud part is applied")
    security_group_ids: list[str] = Field(
        default_factory=list, max_length=5,
        description="Security groups of the file system's mount targets; at least one once an endpoint mounts a "
                    "folder")

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, subnet_ids: list[str]) -> list[str]:
        for subnet in subnet_ids:
            if not subnet.startswith("subnet-") and not is_input_ref(subnet):
                raise ValueError(f"{subnet!r} is not a subnet id (subnet-...)")
        if len(set(subnet_ids)) != len(subnet_ids):
            raise ValueError("subnet ids repeat")
        return subnet_ids

    @field_validator("security_group_ids")
    @classmethod
    def _security_groups(cls, group_ids: list[str]) -> list[str]:
        for group in group_ids:
            if not group.startswith("sg-") and not is_input_ref(group):
                raise ValueError(f"{group!r} is not a security group id (sg-...)")
        return group_ids


class FileSystemOptions(SpecModel):
    name: KubeName = Field(default="shared",
                           description="Name of the shared EFS file system; a change replaces the file system")
    performance_mode: Literal["generalPurpose", "maxIO"] = Field(
        default=FILE_SYSTEM_PERFORMANCE_MODE, description="EFS performance mode; a change replaces the file system")
    throughput_mode: Literal["bursting", "elastic", "provisioned"] = Field(
        default=FILE_SYSTEM_THROUGHPUT_MODE,
        description="EFS throughput mode; provisioned needs provisioned_throughput_mibps")
    provisioned_throughput_mibps: Float | None = Field(
        default=None, gt=0, le=10240, validate_default=True,
        description="Throughput in MiB/s; required with throughput_mode provisioned, refused otherwise")
    encrypted: StrictBool = Field(default=FILE_SYSTEM_ENCRYPTED,
                                  description="Encrypt the file system at rest; a change replaces the file system")
    transition_to_ia: Literal["AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS",
                              "AFTER_90_DAYS", None] = Field(
        default=None,
        description="Move files not accessed for this long to EFS Infrequent Access storage; null: never")
    forbid_root_mounts: StrictBool = Field(
        default=False,
        description="Refuse mounts of the file system's root (/), which reach every endpoint's folders")
    deletion_protection: StrictBool = Field(
        default=FILE_SYSTEM_DELETION_PROTECTION,
        description="Refuse to delete the file system and its data; set false and apply before deleting it")

    @field_validator("provisioned_throughput_mibps")
    @classmethod
    def _only_when_provisioned(cls, value: float | None, info) -> float | None:
        mode = info.data.get("throughput_mode")
        if mode == "provisioned" and value is None:
            raise ValueError("required when throughput_mode is provisioned")
        if mode != "provisioned" and value is not None:
            raise ValueError("only allowed when throughput_mode is provisioned")
        return value


class Gateway(SpecModel):
    name: KubeName = Field(default="endpoints",
                           description="Name of the existing Gateway (Envoy Gateway) the endpoints' routes attach to")
    namespace: KubeName = Field(default="gateway", description="Namespace of that Gateway")
    proxy_namespace: KubeName = Field(
        default="envoy-gateway-system",
        description="Namespace where the gateway's Envoy proxies run (Envoy Gateway's own by default): the only "
                    "callers an endpoint's pods admit, besides the KEDA interceptor and Prometheus")
    domain: str | None = Field(
        default=None, max_length=190,
        pattern=r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        description="Endpoints answer at https://<endpoint>.<domain>; default <workspace>.endpoints.internal")


# kedacore/charts@1444d00 http-add-on/templates/interceptor/deployment.yaml (chart 0.15.0): the pod
# template's own labels; the rest (part-of, instance) depend on the release.
INTERCEPTOR_POD_LABELS = {"app.kubernetes.io/component": "interceptor", "app.kubernetes.io/name": "http-add-on"}


class Keda(SpecModel):
    namespace: KubeName = Field(default="keda", description="Namespace where KEDA and its HTTP add-on run")
    interceptor_service: KubeName = Field(
        default="keda-add-ons-http-interceptor-proxy",
        description="Service of the HTTP add-on's interceptor, through which scale-to-zero endpoints are reached")
    interceptor_port: Int = Field(default=8080, ge=1, le=65535, description="Port of that Service")
    restrict_interceptor: StrictBool = Field(
        default=True,
        description="A NetworkPolicy on the interceptor's pods: its proxy ports accept only the gateway's proxies "
                    "(workspace.gateway.proxy_namespace), so no pod can reach a private scale-to-zero endpoint by "
                    "its Host header around the token check; its admin and metrics ports stay open")
    interceptor_pod_labels: dict[str, StrictStr] = Field(
        default_factory=lambda: dict(INTERCEPTOR_POD_LABELS), min_length=1, max_length=16,
        description="Labels of the interceptor's pods, which that NetworkPolicy selects; default: the Helm chart's "
                    "(kedacore/charts http-add-on); the add-on's own kustomize manifests label them "
                    "app.kubernetes.io/instance: interceptor, app.kubernetes.io/name: http")

    @field_validator("interceptor_pod_labels")
    @classmethod
    def _pod_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return check_labels(labels)


class Monitoring(SpecModel):
    namespace: KubeName = Field(default="monitoring",
                                description="Namespace of the Prometheus that scrapes the endpoints' metrics")
    prometheus_url: str = Field(default="http://prometheus-operated.monitoring.svc:9090",
                                pattern=r"^https?://\S+$",
                                description="Prometheus that the QPM and GPU autoscalers (KEDA) query")
    request_metric: str = Field(
        default="http_server_request_duration_seconds_count", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$",
        description="Gateway request counter (OpenTelemetry HTTP semantic conventions) used for QPM and the dashboard")
    gpu_metric: str = Field(default="DCGM_FI_DEV_GPU_UTIL", pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$",
                            description="GPU utilization gauge in percent (NVIDIA DCGM exporter, labelled by pod), "
                                        "used for GPU autoscaling and the dashboard")


class Rbac(SpecModel):
    admin_group: str = Field(default="endpoints:admins", min_length=1, max_length=256,
                             description="Kubernetes group that may see and operate every endpoint")
    member_group: str = Field(default="endpoints:members", min_length=1, max_length=256,
                              description="Kubernetes group that may see and operate endpoints with visibility public")


class SecretStore(SpecModel):
    kind: Literal["ClusterSecretStore", "SecretStore"] = Field(
        default="ClusterSecretStore",
        description="Kind of the External Secrets store: cluster-wide, or a SecretStore in the workspace namespace "
                    "(isolation: shared only)")
    name: KubeName = Field(default="aws-secrets-manager",
                           description="Name of the existing store that reads AWS Secrets Manager")


CapacityType = Literal["reserved", "spot", "on_demand"]
CAPACITY_TYPES_DESCRIPTION = ("in order of preference: reserved (the workspace's capacity reservations), spot, "
                              "on_demand; karpenter and auto_mode fall back in this order, a node group takes "
                              "the first")


def distinct_capacity_types(kinds: list[str] | None) -> list[str] | None:
    if kinds is not None and len(set(kinds)) != len(kinds):
        raise ValueError("each capacity type at most once")
    return kinds


class Capacity(SpecModel):
    provisioner: Literal["node_group", "karpenter", "auto_mode"] = Field(
        default="node_group",
        description="What provides the endpoints' nodes: an EKS managed node group per endpoint (scaled by "
                    "cluster-autoscaler), Karpenter NodePools with the workspace's EC2NodeClass, or EKS Auto Mode "
                    "NodePools on its default NodeClass")
    capacity_types: list[CapacityType] = Field(default_factory=lambda: [NODE_CAPACITY], min_length=1, max_length=3,
                                               description=f"EC2 capacity, {CAPACITY_TYPES_DESCRIPTION}")
    reservations: list[Annotated[str, StringConstraints(pattern=r"^cr-[0-9a-z]+$")]] = Field(
        default_factory=list, max_length=64,
        description="EC2 capacity reservation ids (On-Demand Capacity Reservations or Capacity Blocks) that "
                    "capacity type reserved uses (provisioner karpenter)")

    spot_price_ratio: Float | None = Field(
        default=None, gt=0, le=1,
        description="Spot price as a fraction of on-demand, for cost bands (EC2 spot prices move by hour and zone); "
                    "null: spot is priced as on-demand. Reserved capacity is priced as on-demand, as AWS bills "
                    "On-Demand Capacity Reservations")

    _distinct = field_validator("capacity_types")(distinct_capacity_types)


class WorkspaceSpec(SpecModel):
    name: KubeName = Field(
        default="default",
        description="Workspace name: in node pool and secret names, cloud tags and the default domain")
    region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$",
                        description="AWS region of the workspace's cloud resources, for the Pulumi components "
                                    "(Terraform and CDKTF take the provider's region)")
    namespace: KubeName = Field(
        default="endpoints",
        description="Kubernetes namespace prefix: each endpoint's objects live in <namespace>-<endpoint> "
                    "(isolation: namespace), or all in this namespace (isolation: shared)")
    isolation: Literal["namespace", "shared"] = Field(
        default="namespace",
        description="namespace: a namespace per endpoint, so one endpoint's owner can neither see nor change "
                    "another endpoint's pods, logs or secrets; shared: every endpoint in one namespace, the layout "
                    "of release 0.1 (keeps existing endpoints in place; owners can read each other's pods and logs)")
    cluster: Cluster = Field(default_factory=Cluster,
                             description="The existing EKS cluster where endpoints get their node pools")
    filesystem: FileSystemOptions = Field(
        default_factory=FileSystemOptions,
        description="The shared EFS file system, created once an endpoint mounts a folder from it")
    gateway: Gateway = Field(default_factory=Gateway,
                             description="The existing Gateway that serves the endpoints, and their domain")
    token_secret: SecretName = Field(default="workspace-token",
                                     description="Workspace secret holding the token every private endpoint accepts")
    secret_prefix: str = Field(
        default="endpoints", pattern=r"^[A-Za-z0-9_+=.@-]+$", max_length=64,
        description="Prefix of workspace secret names in AWS Secrets Manager: <secret_prefix>/<workspace>/<secret>")
    secret_store: SecretStore = Field(default_factory=SecretStore,
                                      description="The External Secrets store through which secrets reach pods")
    keda: Keda = Field(default_factory=Keda, description="Where KEDA's HTTP add-on runs (scale to zero)")
    monitoring: Monitoring = Field(default_factory=Monitoring,
                                   description="Prometheus and the metrics the autoscalers and dashboards query")
    rbac: Rbac = Field(default_factory=Rbac, description="Kubernetes groups given access to the endpoints")
    capacity: Capacity = Field(default_factory=Capacity,
                               description="Where GPU nodes come from and which EC2 capacity they use")
    collect_logs: StrictBool = Field(
        default=True,
        description="Mark endpoint pods for the log collector, unless an endpoint's logs.collect says otherwise")
    shapes: dict[str, Shape] = Field(
        default_factory=dict,
        description="Resource shapes added to the catalog, or replacing catalog shapes of the same name")

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
