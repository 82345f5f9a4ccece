"""The README's CDKTF app: the endpoints of a spec file on one shared workspace."""

from cdktf_bindings import DedicatedEndpoint, EndpointsProvider, KubernetesProvider, Workspace, cdk
from pulumi_endpoints import load_file

app = cdk.App()
stack = cdk.TerraformStack(app, "ml")
EndpointsProvider(stack, "endpoints", region="us-east-1")  # the stack owns the providers
KubernetesProvider(stack, "kubernetes", config_path="~/.kube/config")
document = load_file("examples/specs/llama3-8b.yaml")       # a workspace: section and its endpoints
# Secret values as sensitive variables (TF_VAR_hf_token=...): a plain string would land in cdk.tf.json.
secrets = {name: cdk.TerraformVariable(stack, name.replace("-", "_"), type="string", sensitive=True).string_value
           for name in ("hf-token", "workspace-token", "extra-token")}
workspace = Workspace(stack, "workspace", workspace=document.workspace, secret_values=secrets)
for spec in document.endpoints:
    endpoint = DedicatedEndpoint(stack, spec.name, spec=spec, workspace=workspace)
    cdk.TerraformOutput(stack, f"{spec.name}_url", value=endpoint.url)
app.synth()
