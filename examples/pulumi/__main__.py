"""One endpoint from a spec file on an existing EKS cluster: its GPU node pool, what it uses of the
workspace (the shared EFS file system with its mount targets and access points, the secrets it
reads), and its Kubernetes objects.

Configure (see README.md): spec (a spec file, relative to this folder; default endpoint.yaml),
cluster_name, node_role_arn, subnet_ids, security_group_ids, and the value of each workspace secret
the endpoint reads, under its name with "_" for "-" (``pulumi config set --secret hf_token ...``);
resource_shape and max_replicas override the spec.
"""

from pathlib import Path

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_endpoints import DedicatedEndpoint, Workspace
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.component import WorkspaceArgs
from pulumi_endpoints.spec import load_file

config = pulumi.Config()
kubeconfig = config.get("kubeconfig")

spec_file = Path(__file__).parent / (config.get("spec") or "endpoint.yaml")
document = load_file(spec_file)
if len(document.endpoints) != 1:
    raise pulumi.RunError(f"{spec_file} holds {len(document.endpoints)} endpoints; this stack serves one")
endpoint_spec = document.endpoints[0]

# The file's workspace section, with the name and file system protection of this stack (its
# cluster comes from the configuration below).
workspace_spec = document.workspace.model_dump(mode="json", exclude_unset=True)
workspace_spec["name"] = config.get("workspace") or "prod"
workspace_spec["filesystem"] = {**workspace_spec.get("filesystem", {}),
                                "deletion_protection": config.get_bool("file_system_protected") is not False}

# The secrets the endpoint reads (its env secrets, the NGC key of a NIM image, the tokens of a
# private endpoint), as the expansion lists them.
secret_names = sorted(r.name for r in expand(document).cloud if r.kind == "secret")

workspace = Workspace("ml", WorkspaceArgs(
    spec=workspace_spec,
    cluster_name=config.require("cluster_name"),
    node_role_arn=config.require("node_role_arn"),
    subnet_ids=config.require_object("subnet_ids"),
    security_group_ids=config.require_object("security_group_ids"),
    secrets={name: config.require_secret(name.replace("-", "_")) for name in secret_names},
    # Without one, the ambient kubeconfig (KUBECONFIG, ~/.kube/config) is used.
    kubernetes_provider=kubernetes.Provider("cluster", kubeconfig=kubeconfig) if kubeconfig else None,
))

spec = endpoint_spec.model_dump(mode="json", by_alias=True, exclude_unset=True)
if config.get("resource_shape"):
    spec["resource_shape"] = config.get("resource_shape")
if config.get_int("max_replicas"):
    mode = endpoint_spec.autoscaling.mode  # the spec's, or the default scale_to_zero
    if mode == "replicas":
        raise pulumi.RunError("max_replicas: the spec's autoscaling is a fixed replica count")
    spec["autoscaling"] = {mode: {**spec.get("autoscaling", {}).get(mode, {}),
                                  "max_replicas": config.get_int("max_replicas")}}
endpoint = DedicatedEndpoint(endpoint_spec.name, spec, workspace)

pulumi.export("url", endpoint.url)
pulumi.export("namespace", endpoint.namespace)
pulumi.export("node_pool", endpoint.node_pool_name)
pulumi.export("token_secret_id", workspace.token_secret_id)  # its Secrets Manager name
pulumi.export("cost", endpoint.cost)
pulumi.export("findings", endpoint.findings)
