"""The README's Pulumi program: a workspace on a cluster that another stack made, and one endpoint."""

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_endpoints import DedicatedEndpoint, Workspace
from pulumi_endpoints.component import WorkspaceArgs

config = pulumi.Config()
eks = pulumi.StackReference(config.require("eks_stack"))  # the stack that made the cluster, e.g. acme/eks/prod
workspace = Workspace("ml", WorkspaceArgs(
    spec={"name": "prod"},                                  # the workspace fields (or a model, or a file)
    cluster_name=eks.require_output("cluster_name"),        # references may be Outputs of other resources
    node_role_arn=eks.require_output("node_role_arn"),
    subnet_ids=config.require_object("subnet_ids"),         # a list: one mount target per subnet
    security_group_ids=[eks.require_output("nfs_security_group_id")],
    secrets={"workspace-token": config.require_secret("workspace_token"),
             "hf-token": config.require_secret("hf_token")},
    kubernetes_provider=kubernetes.Provider("eks", kubeconfig=eks.require_output("kubeconfig")),  # optional
))
# a file (with no workspace: section, or the Workspace's own), a dict or an EndpointSpec
endpoint = DedicatedEndpoint("llama3-8b", "examples/pulumi/endpoint.yaml", workspace)
pulumi.export("url", endpoint.url)
pulumi.export("cost", endpoint.cost)                        # hourly_min/max, monthly_min/max (USD)
pulumi.export("most_per_hour", endpoint.cost.apply(lambda cost: cost["hourly_max"]))
