"""Preview-like runs of the example stack: mocks stand in for the engine, the providers are real.

``pulumi up`` is emulated by running the program once with every dynamic
provider's ``create`` called against the moto server; ``pulumi preview`` by
running it again (new configuration) and asking each provider's ``diff`` about
the recorded state, as the engine would. The update/replace verdicts shown here
are what ``pulumi preview`` would show for the cloud children.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi_engine import Deployment
from pulumi_example import run_example

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.component.providers import PROVIDERS

POOL = "llama3-8b-node-pool-prod-llama3-8b"


def verdicts(engine: Deployment) -> dict[str, str]:
    return {name: ("replace" if d.replaces else "update" if d.changes else "same") for name, d in engine.diffs.items()}


@pytest.mark.e2e
def test_preview_after_up_shows_no_changes(seeded: dict[str, Any]) -> None:
    engine = Deployment()
    run_example(engine, seeded)
    run_example(engine, seeded)
    assert set(verdicts(engine).values()) == {"same"} and len(engine.diffs) == len(engine.state) == 8


@pytest.mark.e2e
def test_preview_of_more_replicas_updates_the_node_pool_in_place(seeded: dict[str, Any]) -> None:
    engine = Deployment()
    run_example(engine, seeded)
    run_example(engine, seeded, max_replicas="8")
    changed = {name: verdict for name, verdict in verdicts(engine).items() if verdict != "same"}
    assert changed == {POOL: "update"}
    assert engine.diffs[POOL].replaces == []


@pytest.mark.e2e
def test_preview_of_another_shape_replaces_the_node_pool(seeded: dict[str, Any]) -> None:
    engine = Deployment()
    run_example(engine, seeded)
    run_example(engine, seeded, resource_shape="gpu.a10.6xlarge")
    changed = {name: verdict for name, verdict in verdicts(engine).items() if verdict != "same"}
    assert changed == {POOL: "replace"}
    assert engine.diffs[POOL].replaces == ["instance_types"]
    assert engine.diffs[POOL].delete_before_replace is True  # same node group name


def test_preview_with_unknown_inputs_plans_replace_only_for_replace_fields() -> None:
    """In a preview, an input that is not known yet (e.g. a new file system's id) counts as changed."""
    olds = {"name": "shared-subnet-a", "file_system_id": "fs-1", "subnet_id": "subnet-a",
            "security_group_ids": ["sg-1"], "aws": {"region": "us-east-1"}}
    moved = PROVIDERS["mount_target"].diff("fsmt-1", olds, {**olds, "file_system_id": rpc.UNKNOWN})
    assert (moved.changes, moved.replaces) == (True, ["file_system_id"])
    regrouped = PROVIDERS["mount_target"].diff("fsmt-1", olds, {**olds, "security_group_ids": rpc.UNKNOWN})
    assert (regrouped.changes, regrouped.replaces) == (True, [])


@pytest.mark.e2e
def test_second_stack_on_the_same_workspace_cannot_take_its_shared_objects(seeded: dict[str, Any],
                                                                            aws: AwsConfig) -> None:
    """Two stacks (each its own state) deploy into workspace 'prod': the first creates the shared
    workspace token; the second, serving another endpoint, fails on it and changes nothing of it."""
    sm = aws.client("secretsmanager")
    run_example(Deployment(), seeded, stack="team-a")
    token = sm.describe_secret(SecretId="endpoints/prod/workspace-token")
    value = sm.get_secret_value(SecretId=token["ARN"])["SecretString"]

    second = Deployment()
    with pytest.raises(Exception, match=r"endpoints/prod/workspace-token.*owned by pulumi:endpoints-example/team-a/"):
        run_example(second, seeded, stack="team-b", spec="../specs/nim-llama3.yaml", ngc_key="nvapi-canary",
                    workspace_token="team-b-token-canary")
    assert sm.describe_secret(SecretId=token["ARN"])["Tags"] == token["Tags"]
    assert sm.get_secret_value(SecretId=token["ARN"])["SecretString"] == value
    assert "workspace-token" not in " ".join(second.state), "the second stack recorded an object it does not own"
