"""The Workspace's add-ons (``WorkspaceArgs.addons``) under ``pulumi.runtime.set_mocks``: one pinned Helm
release per chosen add-on, parented to the Workspace, with the values the endpoints rely on; the
workspace's Gateway and secret store after their charts; nothing when add-ons are off."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi_engine import Deployment, run

from pulumi_endpoints import SpecError, WorkspaceSpec
from pulumi_endpoints.addons import ADDONS, GPU_TOLERATION, IRSA_ANNOTATION
from pulumi_endpoints.component import AddOns, Workspace, WorkspaceArgs

RELEASE = "kubernetes:helm.sh/v3:Release"
SPEC = {"name": "prod", "region": "eu-west-1", "gateway": {"domain": "prod.example.com"}}
CHARTS = ["keda", "keda-http", "envoy-gateway", "external-secrets", "prometheus", "efs-csi", "nvidia-device-plugin",
          "dcgm-exporter", "cluster-autoscaler"]


def registered(addons: AddOns | None, **args: Any) -> dict[str, Any]:
    def main() -> None:
        Workspace("ws", WorkspaceArgs(spec=SPEC, addons=addons, **args))

    return run(main, Deployment(with_providers=False)).by_name()


def test_each_chosen_add_on_is_a_pinned_release_under_the_workspace() -> None:
    role = pulumi.Output.from_input("arn:aws:iam::123456789012:role/external-secrets")
    found = registered(AddOns(install=CHARTS, roles={"external-secrets": role}),
                       cluster_name=pulumi.Output.from_input("gpu-prod"))
    releases = {r.name: r for r in found.values() if r.type == RELEASE}
    assert set(releases) == {f"ws-addon-{key}" for key in CHARTS}
    for key in CHARTS:
        release, chart = releases[f"ws-addon-{key}"], ADDONS[key].chart
        assert release.parent == "ws"
        assert release.inputs["version"] == chart.version
        assert release.inputs["namespace"] == ADDONS[key].namespace(WorkspaceSpec.model_validate(SPEC))
        assert release.inputs["name"] == key  # the release name doctor's helm command and the module use
        assert release.inputs["createNamespace"] is True
    assert releases["ws-addon-keda"].inputs["repositoryOpts"] == {"repo": "https://kedacore.github.io/charts"}
    gateway = releases["ws-addon-envoy-gateway"].inputs
    assert gateway["chart"] == "oci://docker.io/envoyproxy/gateway-helm" and "repositoryOpts" not in gateway
    values = {key: releases[f"ws-addon-{key}"].inputs.get("values", {}) for key in CHARTS}
    assert values["cluster-autoscaler"] == {"autoDiscovery": {"clusterName": "gpu-prod"}, "awsRegion": "eu-west-1"}
    assert values["external-secrets"]["serviceAccount"]["annotations"] == {
        IRSA_ANNOTATION: "arn:aws:iam::123456789012:role/external-secrets"}
    assert values["dcgm-exporter"]["tolerations"] == [GPU_TOLERATION]  # else it never runs on a GPU node
    assert values["prometheus"]["prometheus"]["prometheusSpec"]["podMonitorSelectorNilUsesHelmValues"] is False


def test_the_gateway_and_secret_store_come_after_their_charts() -> None:
    found = registered(AddOns(install=["envoy-gateway", "external-secrets"]))
    gateway = next(r for r in found.values() if r.type.endswith(":Gateway"))
    store = next(r for r in found.values() if r.type.endswith(":ClusterSecretStore"))
    assert gateway.dependencies == ["ws-addon-envoy-gateway"] and gateway.parent == "ws"
    assert gateway.inputs["spec"]["listeners"][0]["hostname"] == "*.prod.example.com"
    assert store.dependencies == ["ws-addon-external-secrets"]
    assert store.inputs["spec"] == {"provider": {"aws": {"service": "SecretsManager", "region": "eu-west-1"}}}


def test_no_add_ons_registers_no_release() -> None:
    assert not [r for r in registered(None).values() if r.type == RELEASE or r.parent == "ws"]


@pytest.mark.parametrize(("install", "roles", "message"), [
    (["kedaa"], {}, "unknown add-on 'kedaa'"),
    (["auto-mode"], {}, "add-on 'auto-mode' is not a Helm chart: turn on EKS Auto Mode"),
    (["keda"], {"keda": "arn:aws:iam::1:role/x"}, "add-on 'keda' takes no IAM role"),
])
def test_a_wrong_choice_fails_before_anything_is_registered(install: list[str], roles: dict[str, str],
                                                             message: str) -> None:
    with pytest.raises(SpecError) as caught:
        registered(AddOns(install=install, roles=roles))
    assert caught.value.paths == ["addons"] and message in str(caught.value)
