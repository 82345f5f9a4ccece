"""The add-ons' own objects (the workspace's Gateway and secret store) against the official schemas, and
the values the endpoints rely on where their charts need them."""

from __future__ import annotations

import pytest
from k8s_validation import validate_manifests

from pulumi_endpoints.addons import GPU_TOLERATION, releases, workspace_objects
from pulumi_endpoints.blueprint.cloud import GPU_TAINT
from pulumi_endpoints.spec import WorkspaceSpec


@pytest.mark.parametrize("store", ["ClusterSecretStore", "SecretStore"])
def test_the_workspace_objects_validate(store: str) -> None:
    workspace = WorkspaceSpec.model_validate({"name": "prod", "isolation": "shared",
                                              "secret_store": {"kind": store}})
    objects = [manifest for _, manifest in workspace_objects(workspace, ["envoy-gateway", "external-secrets"])]
    assert [m["kind"] for m in objects] == ["Namespace", "GatewayClass", "Gateway", store]
    assert validate_manifests(objects) == []


def test_the_gateway_is_the_one_the_routes_attach_to() -> None:
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document

    document = parse_document({"workspace": {"name": "prod", "gateway": {"name": "edge", "namespace": "ingress"}},
                               "name": "demo", "source": {"container": {"image": "python:3.10"}}})
    route = next(m for m in expand(document).manifests if m["kind"] == "HTTPRoute")
    gateway = next(m for _, m in workspace_objects(document.workspace, ["envoy-gateway"]) if m["kind"] == "Gateway")
    parent = route["spec"]["parentRefs"][0]
    assert (parent["name"], parent["namespace"]) == (gateway["metadata"]["name"], gateway["metadata"]["namespace"])
    assert route["spec"]["hostnames"][0].endswith(gateway["spec"]["listeners"][0]["hostname"].lstrip("*"))
    admitted = gateway["spec"]["listeners"][0]["allowedRoutes"]["namespaces"]
    namespace = next(m for m in expand(document).manifests if m["kind"] == "Namespace")
    assert namespace["metadata"]["name"] == route["metadata"]["namespace"]
    assert admitted["from"] == "Selector"
    assert admitted["selector"]["matchLabels"].items() <= namespace["metadata"]["labels"].items()


def test_the_dcgm_exporter_tolerates_the_gpu_nodes_taint() -> None:
    # NVIDIA/dcgm-exporter@691c927 deployment/values.yaml:153-156 tolerates only the control plane by default.
    release = next(r for r in releases(WorkspaceSpec(), ["dcgm-exporter"]) if r.name == "dcgm-exporter")
    assert release.values["tolerations"] == [GPU_TOLERATION]
    assert GPU_TOLERATION["key"] == GPU_TAINT.key and GPU_TAINT.effect == "NO_SCHEDULE"


def test_add_ons_go_where_the_workspace_expects_them() -> None:
    """The routes reach the interceptor in workspace.keda.namespace, KEDA queries Prometheus in
    workspace.monitoring's, the gateway's proxies run in gateway.proxy_namespace: installing the
    charts elsewhere would break each of them."""
    from pulumi_endpoints.ops.doctor import fix

    workspace = WorkspaceSpec.model_validate({"name": "prod", "keda": {"namespace": "autoscaling"},
                                              "monitoring": {"namespace": "observability"},
                                              "gateway": {"proxy_namespace": "edge"}})
    chosen = ["keda", "keda-http", "envoy-gateway", "prometheus", "dcgm-exporter", "external-secrets"]
    placed = {r.name: r.namespace for r in releases(workspace, chosen)}
    assert placed == {"keda": "autoscaling", "keda-http": "autoscaling", "envoy-gateway": "edge",
                      "prometheus": "observability", "dcgm-exporter": "observability",
                      "external-secrets": "external-secrets"}
    from pulumi_endpoints.addons import ADDONS

    assert "helm upgrade --install keda-http keda-add-ons-http --repo https://kedacore.github.io/charts " \
           "--version 0.15.0 --namespace autoscaling" in fix(ADDONS["keda-http"], workspace)
    assert fix(ADDONS["envoy-gateway"], workspace).startswith(
        "helm upgrade --install envoy-gateway oci://docker.io/envoyproxy/gateway-helm --version v1.9.0 --namespace edge")
