"""One endpoint as a CDKTF stack: the cloud part through the endpoints provider, its manifests as
``kubernetes_manifest`` resources with the EFS ids filled in by Terraform references.

Synthesize with ``.venv/bin/python examples/cdktf/main.py`` (cdktf or cdktn installed; no
``cdktf`` CLI needed), then run Terraform in ``out/cdktf/stacks/llama3-8b`` with the provider
installed as a mirror (README, "Terraform"). ``--cloud-only`` leaves the manifests out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from constructs import Construct

from cdktf_bindings import DedicatedEndpoint, EndpointsProvider, KubernetesProvider, cdk
from pulumi_endpoints.spec import load_file

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "examples" / "specs" / "llama3-8b.yaml"  # the workspace and the endpoint
SECRETS = ("hf-token", "extra-token", "workspace-token")  # the secrets this endpoint reads


class EndpointStack(cdk.TerraformStack):
    def __init__(self, scope: Construct, id: str, *, kubernetes: bool) -> None:
        super().__init__(scope, id)
        cdk.LocalBackend(self, path="terraform.tfstate")
        document = load_file(DOCUMENT)
        EndpointsProvider(self, "endpoints", region=document.workspace.region, default_tags={"team": "ml-platform"})
        if kubernetes:
            KubernetesProvider(self, "kubernetes", config_path="~/.kube/config")
        values = {name: cdk.TerraformVariable(self, name.replace("-", "_"), type="string", sensitive=True).string_value
                  for name in SECRETS}
        endpoint = DedicatedEndpoint(self, "llama3-8b", spec=document.endpoints[0], workspace=document.workspace,
                                     secret_values=values, kubernetes=kubernetes)
        cdk.TerraformOutput(self, "url", value=endpoint.url)
        cdk.TerraformOutput(self, "node_pool_arn", value=endpoint.node_pool.arn)
        cdk.TerraformOutput(self, "file_system_id", value=endpoint.workspace.file_system_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cloud-only", action="store_true", help="no kubernetes_manifest resources")
    parser.add_argument("--outdir", type=Path, default=ROOT / "out" / "cdktf", help="default out/cdktf")
    args = parser.parse_args()
    app = cdk.App(outdir=str(args.outdir))
    EndpointStack(app, "llama3-8b", kubernetes=not args.cloud_only)
    app.synth()
    print(f"synthesized {args.outdir / 'stacks' / 'llama3-8b' / 'cdk.tf.json'}")


if __name__ == "__main__":
    main()
