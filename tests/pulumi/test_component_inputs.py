"""Inputs all the way: workspace references and spec fields given as Outputs of other resources.

Under ``pulumi.runtime.set_mocks`` (no Pulumi engine here): the program registers what a real
``pulumi up`` would, and the test compares it with the same program written with literals.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pytest
from pulumi_engine import Deployment, Registration, provider_of, run

from pulumi_endpoints import SpecError

CONTAINER = {"name": "web", "resource_shape": "cpu.small", "source": {"container": {
    "image": "ghcr.io/acme/web:1.4.2", "port": 8080}}, "env": {"UPSTREAM": "https://models.internal"},
    "mounts": [{"from": "/data", "path": "/data"}]}
LITERALS = {"cluster_name": "gpu", "node_role_arn": "arn:aws:iam::123456789012:role/nodes",
            "subnet_ids": ["subnet-0bbb", "subnet-0aaa"], "security_group_ids": ["sg-0nfs"],
            "image": "ghcr.io/acme/web:1.4.2", "upstream": "https://models.internal"}


def program(as_outputs: bool) -> list[Registration]:
    """One workspace and one endpoint; with ``as_outputs`` every reference, the image and an env value
    are Outputs (as from an aws.eks.Cluster, a VPC, an image the program builds)."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def given(value: Any) -> Any:
        if not as_outputs:
            return value
        if isinstance(value, list):
            return [given(item) for item in value]
        return pulumi.Output.from_input("").apply(lambda _: value)  # known only once the program runs

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(
            spec={"capacity": {"provisioner": "node_group"}},
            cluster_name=given(LITERALS["cluster_name"]), node_role_arn=given(LITERALS["node_role_arn"]),
            subnet_ids=given(LITERALS["subnet_ids"]), security_group_ids=given(LITERALS["security_group_ids"]),
            secrets={"workspace-token": "t"}))
        spec = {**CONTAINER, "source": {"container": {"image": given(LITERALS["image"]), "port": 8080}},
                "env": {"UPSTREAM": given(LITERALS["upstream"])}}
        DedicatedEndpoint("web", spec, workspace)

    return run(main, Deployment(with_providers=False)).registered


def _comparable(registration: Registration) -> tuple[str, str, str, str]:
    plain = {key: value for key, value in registration.plain.items() if key != "__provider"}
    if "subnet_ids" in plain:  # a set: the order it is sent in is not a change
        plain["subnet_ids"] = sorted(plain["subnet_ids"])
    text = json.dumps(plain, sort_keys=True)
    # The one known difference: LEPTON_PHOTON_ID's digest covers the source as written (README).
    return registration.type, registration.name, registration.parent, re.sub(r'"web-[0-9a-f]{12}"', "…", text)


def test_outputs_register_exactly_what_literals_do_under_mocks() -> None:
    """Same children, same names, same inputs: turning a literal into an Output of the same value
    changes nothing, and no placeholder text reaches any registered input."""
    with_literals, with_outputs = program(as_outputs=False), program(as_outputs=True)
    assert sorted(map(_comparable, with_outputs)) == sorted(map(_comparable, with_literals))
    deployment = next(r.plain for r in with_outputs if r.type == "kubernetes:apps/v1:Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/acme/web:1.4.2"
    assert {"name": "UPSTREAM", "value": "https://models.internal"} in container["env"]
    for registration in with_outputs:
        text = json.dumps(registration.raw)
        assert "{{ref:" not in text and "pulumi-input" not in text, registration.name
    names = {r.name for r in with_outputs if r.type.endswith(":MountTarget")}
    assert names == {"ws-mount-target-shared-0", "ws-mount-target-shared-1"}  # by place, not by value


def test_karpenter_node_class_takes_the_role_name_of_an_output_arn_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def main() -> None:
        role = pulumi.Output.from_input("nodes").apply(lambda name: f"arn:aws:iam::123456789012:role/gpu/{name}")
        workspace = Workspace("ws", WorkspaceArgs(spec={"capacity": {"provisioner": "karpenter"}},
                                                  node_role_arn=role, subnet_ids=["subnet-0aaa"],
                                                  security_group_ids=["sg-0nfs"], secrets={"workspace-token": "t"}))
        DedicatedEndpoint("web", {**CONTAINER, "mounts": []}, workspace)

    registered = run(main, Deployment(with_providers=False)).by_name()
    node_class = next(r.plain for r in registered.values() if r.plain.get("kind") == "EC2NodeClass")
    assert node_class["spec"]["role"] == "nodes"


@pytest.mark.parametrize("field, spec", [
    ("resource_shape", {**CONTAINER, "resource_shape": pulumi.Output.from_input("cpu.small")}),
    ("source.container.port", {**CONTAINER, "source": {"container": {"image": "web:1",
                                                                      "port": pulumi.Output.from_input(8080)}}}),
    ("name", {**CONTAINER, "name": pulumi.Output.from_input("web")}),
])
def test_an_output_where_the_expansion_needs_a_plain_value_is_refused_under_mocks(field: str, spec: Any) -> None:
    """Fields that decide names, counts or which objects exist need a plain value: the error names the
    endpoint and the field, and nothing is registered."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace

    registered: list[Registration] = []

    def main() -> None:
        DedicatedEndpoint("web", spec, Workspace("ws"))

    with pytest.raises(SpecError) as caught:
        registered = run(main, Deployment(with_providers=False)).registered
    assert caught.value.paths == [field]
    assert "needs a plain value" in str(caught.value) and str(caught.value).startswith("web: ")
    assert registered == []


def test_mount_targets_of_the_previous_release_are_kept_under_mocks() -> None:
    """Release 0.1 named a mount target by its subnet id: the new name aliases it, and the provider's
    diff against what that release stored changes only the logical name in place."""
    registered = program(as_outputs=False)
    targets = {r.name: r for r in registered if r.type.endswith(":MountTarget")}
    assert {name: target.aliases for name, target in targets.items()} == {
        "ws-mount-target-shared-0": ["ws-mount-target-shared-subnet-0bbb"],
        "ws-mount-target-shared-1": ["ws-mount-target-shared-subnet-0aaa"]}
    target = targets["ws-mount-target-shared-0"]
    stored = {**target.plain, "name": "shared-subnet-0bbb", "mount_target_id": "fsmt-0123", "ip_address": "10.0.0.5"}
    diff = provider_of(target).diff("fsmt-0123", stored, target.plain)
    assert not diff.replaces and diff.changes


def test_dedicated_endpoint_args_are_the_same_as_the_arguments_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import DedicatedEndpointArgs

    public = {**CONTAINER, "mounts": [], "access": {"public": True}}

    def main(typed: bool) -> None:
        workspace = Workspace("ws")
        if typed:
            DedicatedEndpoint("web", DedicatedEndpointArgs(spec=public, workspace=workspace))
        else:
            DedicatedEndpoint("web", public, workspace)

    registered = [sorted(map(_comparable, run(lambda: main(typed), Deployment(with_providers=False)).registered))
                  for typed in (True, False)]
    assert registered[0] == registered[1] and registered[0]
    with pytest.raises(TypeError, match="not both"):
        run(lambda: DedicatedEndpoint("web", DedicatedEndpointArgs(spec=CONTAINER, workspace=Workspace("ws")),
                                      Workspace("other")), Deployment(with_providers=False))


def test_placeholder_text_typed_by_the_user_is_refused_under_mocks() -> None:
    """Only the component puts the placeholder of an Output, where the Output was given: the same text
    typed into an env value would copy the cluster name there, so it is refused."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    spec = {**CONTAINER, "mounts": [], "access": {"public": True},
            "env": {"COPY": "{{ref:input/workspace.cluster.name/value}}"}}

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(cluster_name=pulumi.Output.from_input("gpu")))
        DedicatedEndpoint("web", spec, workspace)

    with pytest.raises(SpecError) as refused:
        run(main, Deployment(with_providers=False))
    assert refused.value.paths == ["env.COPY"] and "reserved" in str(refused.value)


def test_mount_targets_of_outputs_from_the_previous_release_are_kept_under_mocks() -> None:
    """Release 0.1 named a mount target whose subnet was an Output by a stand-in numbered across the
    workspace's Outputs. The names below are what that release's code (84884bd) registered for this
    very program, run under the same mocks; each new child aliases its old name."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def output(value: str) -> pulumi.Output[str]:
        return pulumi.Output.from_input("").apply(lambda _: value)

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(
            cluster_name=output("gpu"), node_role_arn="arn:aws:iam::123456789012:role/nodes",
            subnet_ids=[output("subnet-0bbb"), "subnet-0lit", output("subnet-0ccc")], security_group_ids=["sg-0nfs"]))
        DedicatedEndpoint("web", {**CONTAINER, "access": {"public": True}}, workspace)

    targets = {r.name: r.aliases for r in run(main, Deployment(with_providers=False)).registered
               if r.type.endswith(":MountTarget")}
    assert targets == {"ws-mount-target-shared-0": ["ws-mount-target-shared-subnet-pulumi-input-001"],
                       "ws-mount-target-shared-1": ["ws-mount-target-shared-subnet-0lit"],
                       "ws-mount-target-shared-2": ["ws-mount-target-shared-subnet-pulumi-input-002"]}
