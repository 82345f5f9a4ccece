"""``endpoints doctor`` against the fake Kubernetes API server: a cluster with every add-on the specs
need, each add-on missing in turn, a store that is not Ready, a Gateway of another name, no access."""

from __future__ import annotations

import dataclasses
import re
import socket
from pathlib import Path

import pytest
import yaml

from pulumi_endpoints.addons import ADDONS, NETWORK_POLICY_ARG, needs
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import WorkspaceSpec, load_file

from .cluster import run
from .fake_api import FakeApi, write_kubeconfig

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "examples" / "specs"
LLM = str(SPECS / "llm-engine.yaml")  # scale to zero, node group, secrets, NetworkPolicies
KARPENTER = str(SPECS / "nim-llama3-70b-reserved.yaml")  # karpenter, QPM autoscaling


def _plural(kind: str) -> str:
    lower = kind.lower()
    return f"{lower[:-1]}ies" if lower.endswith("y") else f"{lower}s"


def install(api: FakeApi, key: str, *, version: str | None = None) -> None:
    """What the add-on's chart (or EKS) puts in a cluster, as the doctor's calls see it."""
    addon = ADDONS[key]
    namespace = addon.namespace(WorkspaceSpec())
    for kind in addon.kinds:
        group, served, name = kind.rsplit("/", 2)
        crd = f"{_plural(name)}.{group}"
        api.put(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}",
                {"metadata": {"name": crd}, "spec": {"group": group, "versions": [
                    {"name": version or served, "served": True, "storage": True}]}})
    for index, workload in enumerate(addon.workloads):
        plural = "deployments" if workload.kind == "Deployment" else "daemonsets"
        status = {"readyReplicas": 1} if workload.kind == "Deployment" else {"numberReady": 3}
        image = f"registry.example.com/{key}:{addon.chart.version if addon.chart else 'latest'}"
        api.put(f"/apis/apps/v1/namespaces/{namespace}/{plural}/{key}-{index}",
                {"metadata": {"name": f"{key}-{index}", "namespace": namespace, "labels": dict(workload.labels)},
                 "spec": {"template": {"spec": {"containers": [{"name": "main", "image": image}]}}},
                 "status": status})
    if key == "envoy-gateway":
        api.put("/apis/gateway.networking.k8s.io/v1/namespaces/gateway/gateways/endpoints",
                {"metadata": {"name": "endpoints"}, "status": {"conditions": [
                    {"type": "Accepted", "status": "True"}, {"type": "Programmed", "status": "True"}]}})
    if key == "external-secrets":
        api.put("/apis/external-secrets.io/v1/clustersecretstores/aws-secrets-manager",
                {"metadata": {"name": "aws-secrets-manager"}, "status": {"conditions": [
                    {"type": "Ready", "status": "True", "reason": "Valid"}]}})
    if key == "efs-csi":
        api.put("/apis/storage.k8s.io/v1/csidrivers/efs.csi.aws.com", {"metadata": {"name": "efs.csi.aws.com"}})
    if key == "network-policy":  # VPC CNI with network policy on: the node agent's argument
        api.put("/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node",
                {"metadata": {"name": "aws-node", "namespace": "kube-system", "labels": {"k8s-app": "aws-node"}},
                 "spec": {"template": {"spec": {"containers": [
                     {"name": "aws-node"}, {"name": "aws-eks-nodeagent",
                                            "args": ["--enable-ipv6=false", NETWORK_POLICY_ARG]}]}}}})


def needed(file: str) -> list[str]:
    document = load_file(file)
    return [need.addon.key for need in needs([expand(document)], document.workspace)]


def doctor(capsys: pytest.CaptureFixture[str], kubeconfig: Path, *files: str) -> tuple[int, str]:
    code, out, err = run(capsys, "doctor", "--kubeconfig", str(kubeconfig), *files)
    assert err == ""
    return code, out


def test_the_specs_need_what_their_manifests_use() -> None:
    assert needed(LLM) == ["keda", "keda-http", "envoy-gateway", "external-secrets", "prometheus",
                           "nvidia-device-plugin", "cluster-autoscaler", "network-policy"]
    assert needed(KARPENTER) == ["keda", "envoy-gateway", "external-secrets", "prometheus", "nvidia-device-plugin",
                                "karpenter", "network-policy"]
    assert "efs-csi" in needed(str(SPECS / "qwen-cached.yaml"))  # a model cache on the file system


@pytest.mark.parametrize("file", [LLM, KARPENTER], ids=["node-group", "karpenter"])
def test_a_complete_cluster_passes(capsys: pytest.CaptureFixture[str], api: FakeApi, kubeconfig: Path,
                                   file: str) -> None:
    for key in needed(file):
        install(api, key)
    code, out = doctor(capsys, kubeconfig, file)
    assert code == 0, out
    assert "✘" not in out
    assert "✔ KEDA HTTP add-on: CRD httpscaledobjects.http.keda.sh serves v1alpha1" in out or file == KARPENTER
    assert out.rstrip().endswith("checks passed")


@pytest.mark.parametrize("missing", needed(LLM))
def test_each_missing_add_on_is_named_with_how_to_install_it(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                             kubeconfig: Path, missing: str) -> None:
    for key in needed(LLM):
        if key != missing:
            install(api, key)
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    addon = ADDONS[missing]
    failed = [line for line in out.splitlines() if line.startswith("✘")]
    assert failed and all(line.startswith(f"✘ {addon.title}: ") for line in failed), out
    assert f"\n{addon.title}: {addon.purpose}\n  install: " in out
    if addon.chart is not None:
        assert f"--version {addon.chart.version}" in out
    assert "  needed by: qwen2-7b (" in out or "  needed by: workspace (" in out


def test_a_secret_store_that_is_not_ready_fails(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                kubeconfig: Path) -> None:
    for key in needed(LLM):
        install(api, key)
    api.put("/apis/external-secrets.io/v1/clustersecretstores/aws-secrets-manager",
            {"metadata": {"name": "aws-secrets-manager"}, "status": {"conditions": [
                {"type": "Ready", "status": "False", "reason": "InvalidProviderConfig",
                 "message": "unable to validate store"}]}})
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    assert ("✘ External Secrets Operator: ClusterSecretStore aws-secrets-manager Ready: Ready is not True: "
            "unable to validate store") in out


def test_a_gateway_of_another_name_is_not_the_workspace_s(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                          kubeconfig: Path) -> None:
    for key in needed(LLM):
        install(api, key)
    gateway = api.objects.pop("/apis/gateway.networking.k8s.io/v1/namespaces/gateway/gateways/endpoints")
    api.put("/apis/gateway.networking.k8s.io/v1/namespaces/gateway/gateways/public", gateway)
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    assert "✘ Envoy Gateway: Gateway gateway/endpoints Programmed: not found" in out


def test_a_crd_at_an_older_version_is_not_enough(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                 kubeconfig: Path) -> None:
    for key in needed(KARPENTER):
        install(api, key, version="v1beta1" if key == "karpenter" else None)
    code, out = doctor(capsys, kubeconfig, KARPENTER)
    assert code == 1
    assert "✘ Karpenter: CRD nodepools.karpenter.sh serves v1: serves v1beta1" in out


def test_a_controller_with_no_ready_pod_fails(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                              kubeconfig: Path) -> None:
    for key in needed(LLM):
        install(api, key)
    api.objects["/apis/apps/v1/namespaces/keda/deployments/keda-0"]["status"] = {"replicas": 1}
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    assert "✘ KEDA: Deployment app.kubernetes.io/name=keda-operator running: found in keda, no pod ready" in out


def test_network_policies_unenforced_by_the_vpc_cni(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                    kubeconfig: Path) -> None:
    for key in needed(LLM):
        install(api, key)
    node = api.objects["/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node"]
    node["spec"]["template"]["spec"]["containers"][1]["args"] = ["--enable-network-policy=false"]
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    assert f"✘ NetworkPolicy enforcement: NetworkPolicies enforced: aws-node runs without {NETWORK_POLICY_ARG}" in out
    assert "vpc-cni" in out


def test_without_specs_every_add_on_of_the_default_provisioner_is_checked(
        capsys: pytest.CaptureFixture[str], api: FakeApi, kubeconfig: Path) -> None:
    code, out = doctor(capsys, kubeconfig)
    assert code == 1
    titles = {line.split(":")[0][2:] for line in out.splitlines() if line.startswith("✘")}
    assert {"KEDA", "Amazon EFS CSI driver", "NVIDIA DCGM exporter", "Cluster Autoscaler"} <= titles
    assert not titles & {"Karpenter", "EKS Auto Mode"}


def test_no_cluster_access_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"gone": f"http://127.0.0.1:{port}"}, current="gone")
    code, out, err = run(capsys, "doctor", "--kubeconfig", str(kubeconfig), LLM)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("error: no cluster access: cannot reach the API server"), err


BUILT_IN = {"v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"}


def test_the_table_serves_every_custom_resource_the_examples_render() -> None:
    from pulumi_endpoints.addons import custom_kinds

    for file in sorted(SPECS.glob("*.yaml")):
        document = load_file(file)
        blueprint = expand(document)
        rendered = {f"{m['apiVersion']}/{m['kind']}" for m in blueprint.manifests
                    if m["apiVersion"] not in BUILT_IN}
        assert rendered == set(custom_kinds([blueprint], document.workspace)), file.name


def test_auto_mode_node_pools_are_served_by_eks_not_karpenter() -> None:
    from pulumi_endpoints.addons import custom_kinds
    from pulumi_endpoints.spec import parse_document

    document = parse_document(yaml.safe_load((SPECS / "llama3-8b.yaml").read_text()))
    workspace = document.workspace.model_copy(update={"capacity": document.workspace.capacity.model_copy(
        update={"provisioner": "auto_mode"})})
    blueprint = expand(dataclasses.replace(document, workspace=workspace))
    assert custom_kinds([blueprint], workspace)["karpenter.sh/v1/NodePool"].key == "auto-mode"
    assert "nvidia-device-plugin" not in [need.addon.key for need in needs([blueprint], workspace)]


def test_every_chart_is_pinned_where_its_version_was_read() -> None:
    for addon in ADDONS.values():
        if addon.chart is None:
            assert addon.install, addon.key
            continue
        assert addon.chart.version[0] in "v0123456789" and "latest" not in addon.chart.version
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{7}:\S+", addon.chart.source), addon.chart.source


def test_the_readme_table_lists_every_add_on_at_its_pinned_version() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### What the cluster needs"):readme.index("### GPU capacity")]
    rows = {line.split("|")[1].strip(" `"): line for line in table.splitlines() if line.startswith("| `")}
    assert set(rows) == set(ADDONS)
    for key, addon in ADDONS.items():
        if addon.chart is not None:
            assert f"({addon.chart.version})" in rows[key], key


def test_gpu_nodes_that_run_the_plugin_themselves_pass(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                       kubeconfig: Path) -> None:
    """Bottlerocket's NVIDIA variants run the device plugin in the OS, not as the chart's DaemonSet."""
    for key in needed(LLM):
        if key != "nvidia-device-plugin":
            install(api, key)
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1 and "✘ NVIDIA device plugin" in out
    api.put("/api/v1/nodes/gpu-1", {"metadata": {"name": "gpu-1"}, "status": {"allocatable": {"nvidia.com/gpu": "1"}}})
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 0, out
    assert "✔ NVIDIA device plugin: nodes offer nvidia.com/gpu" in out


def test_each_file_is_checked_against_its_own_workspace(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                        kubeconfig: Path, tmp_path: Path) -> None:
    for key in needed(LLM):
        install(api, key)
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({"workspace": {"name": "team-b", "gateway": {"name": "team-b"}},
                                     "name": "web", "source": {"container": {"image": "python:3.10"}}}))
    code, out = doctor(capsys, kubeconfig, LLM, str(other))
    assert code == 1
    assert "✔ Envoy Gateway: Gateway gateway/endpoints Programmed" in out
    assert "✘ Envoy Gateway: Gateway gateway/team-b Programmed: not found" in out
    assert "needed by: qwen2-7b (HTTPRoute, ReferenceGrant, SecurityPolicy, BackendTrafficPolicy); web (" in out


def test_an_http_add_on_too_old_for_per_object_timeouts_fails(capsys: pytest.CaptureFixture[str], api: FakeApi,
                                                               kubeconfig: Path) -> None:
    """The HTTPScaledObjects carry their own timeouts (the cold-start wait); the interceptor honours them
    from v0.11 (see the README's note on the add-on's timeouts)."""
    for key in needed(LLM):
        install(api, key)
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 0 and "✔ KEDA HTTP add-on: Deployment " in out and "at 0.11 or later" in out
    interceptor = api.objects["/apis/apps/v1/namespaces/keda/deployments/keda-http-0"]
    old = "ghcr.io/kedacore/http-add-on-interceptor:v0.10.0"
    interceptor["spec"]["template"]["spec"]["containers"][0]["image"] = old
    code, out = doctor(capsys, kubeconfig, LLM)
    assert code == 1
    assert f"at 0.11 or later: runs {old}: an older interceptor ignores" in out
