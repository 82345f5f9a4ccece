"""One endpoint on an existing EKS cluster: its GPU node pool, the workspace's shared EFS file
system (mount targets, an access point), its secrets, and its Kubernetes objects.

Configure (see README.md): cluster_name, node_role_arn, subnet_ids, security_group_ids, and the
secrets workspace_token and hf_token (``pulumi config set --secret``); resource_shape and
max_replicas override the spec in endpoint.yaml.
"""

from pathlib import Path

import pulumi
import pulumi_kubernetes as kubernetes
import yaml

from pulumi_endpoints import DedicatedEndpoint, Workspace
from pulumi_endpoints.component import WorkspaceArgs

config = pulumi.Config()
kubeconfig = config.get("kubeconfig")

workspace = Workspace("ml", WorkspaceArgs(
    spec={
        "name": config.get("workspace") or "prod",
        "filesystem": {"deletion_protection": config.get_bool("file_system_protected") is not False},
    },
    cluster_name=config.require("cluster_name"),
    node_role_arn=config.require("node_role_arn"),
    subnet_ids=config.require_object("subnet_ids"),
    security_group_ids=config.require_object("security_group_ids"),
    secrets={
        "workspace-token": config.require_secret("workspace_token"),
        "hf-token": config.require_secret("hf_token"),
    },
    # Without one, the ambient kubeconfig (KUBECONFIG, ~/.kube/config) is used.
    kubernetes_provider=kubernetes.Provider("cluster", kubeconfig=kubeconfig) if kubeconfig else None,
))

spec = yaml.safe_load((Path(__file__).parent / "endpoint.yaml").read_text())
spec["resource_shape"] = config.get("resource_shape") or spec["resource_shape"]
spec["autoscaling"]["gpu_utilization"]["max_replicas"] = (
    config.get_int("max_replicas") or spec["autoscaling"]["gpu_utilization"]["max_replicas"])
endpoint = DedicatedEndpoint("llama3-8b", spec, workspace)

pulumi.export("url", endpoint.url)
pulumi.export("namespace", endpoint.namespace)
pulumi.export("node_pool", endpoint.node_pool_name)
pulumi.export("token_secret", workspace.token_secret)
pulumi.export("cost", endpoint.cost)
pulumi.export("findings", endpoint.findings)
