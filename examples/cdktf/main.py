"""One endpoint from a spec file as a CDKTF stack: the cloud part through the endpoints provider, its
manifests as ``kubernetes_manifest`` resources with the EFS ids filled in by Terraform references.

Synthesize with ``.venv/bin/python examples/cdktf/main.py [--spec FILE] [--workspace FILE]``
(cdktf or cdktn installed; no ``cdktf`` CLI needed), then run Terraform in
``out/cdktf/stacks/<endpoint>`` with the provider installed as a mirror (README, "Terraform"), giving
each secret the endpoint reads as a variable (``TF_VAR_hf_token`` for hf-token).
``--cloud-only`` leaves the manifests out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml
from constructs import Construct

from cdktf_bindings import DedicatedEndpoint, EndpointsProvider, KubernetesProvider, cdk
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import Document, EndpointSpec, WorkspaceSpec, load_file, validate_model

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = ROOT / "examples" / "specs" / "llama3-8b.yaml"  # the workspace and the endpoint


class EndpointStack(cdk.TerraformStack):
    def __init__(self, scope: Construct, id: str, *, spec: EndpointSpec, workspace: WorkspaceSpec,
                 kubernetes: bool) -> None:
        super().__init__(scope, id)
        cdk.LocalBackend(self, path="terraform.tfstate")
        EndpointsProvider(self, "endpoints", region=workspace.region, default_tags={"team": "ml-platform"})
        if kubernetes:
            KubernetesProvider(self, "kubernetes", config_path="~/.kube/config")
        # A sensitive variable for each secret the endpoint reads (env secrets, an NGC key, tokens).
        names = sorted(r.name for r in expand(spec, workspace).cloud if r.kind == "secret")
        values = {name: cdk.TerraformVariable(self, name.replace("-", "_"), type="string", sensitive=True).string_value
                  for name in names}
        endpoint = DedicatedEndpoint(self, spec.name, spec=spec, workspace=workspace, secret_values=values,
                                     kubernetes=kubernetes)
        cdk.TerraformOutput(self, "url", value=endpoint.url)
        cdk.TerraformOutput(self, "node_pool_arn", value=endpoint.node_pool.arn)
        if endpoint.workspace.file_system is not None:
            cdk.TerraformOutput(self, "file_system_id", value=endpoint.workspace.file_system_id)


def workspace_of(document: Document, override: Path | None) -> WorkspaceSpec:
    """The spec file's workspace, with the fields of the --workspace file in place of its own."""
    if override is None:
        return document.workspace
    fields = {**document.workspace.model_dump(exclude_unset=True), **yaml.safe_load(override.read_text())}
    return validate_model(WorkspaceSpec, fields, ("workspace",))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC,
                        help="a spec file with one endpoint (default examples/specs/llama3-8b.yaml)")
    parser.add_argument("--workspace", type=Path,
                        help="a YAML file of workspace fields (your cluster, ...) that replace the spec file's")
    parser.add_argument("--cloud-only", action="store_true", help="no kubernetes_manifest resources")
    parser.add_argument("--outdir", type=Path, default=ROOT / "out" / "cdktf", help="default out/cdktf")
    args = parser.parse_args()
    document = load_file(args.spec)
    if len(document.endpoints) != 1:
        parser.error(f"{args.spec} holds {len(document.endpoints)} endpoints; this app deploys one")
    spec, workspace = document.endpoints[0], workspace_of(document, args.workspace)
    if workspace.cluster.node_role_arn is None or not workspace.cluster.subnet_ids:
        parser.error(f"the workspace of {args.spec} names no cluster node role and subnets: give --workspace FILE")
    args.outdir.mkdir(parents=True, exist_ok=True)  # the App makes only the last folder
    app = cdk.App(outdir=str(args.outdir))
    EndpointStack(app, spec.name, spec=spec, workspace=workspace, kubernetes=not args.cloud_only)
    app.synth()
    print(f"synthesized {args.outdir / 'stacks' / spec.name / 'cdk.tf.json'}")


if __name__ == "__main__":
    main()
