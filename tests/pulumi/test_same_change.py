"""A Terraform plan and a Pulumi preview of the same change read the same in endpoint terms.

The Terraform side is a real plan of examples/terraform (tests/review/data, from
tests/review/make_terraform_plans.py). The Pulumi side is the
same specs (read back from that plan and its prior state) declared through the Python components under
``pulumi.runtime.set_mocks``, twice, turned into a preview digest in the shape the engine writes
(``ShowPreviewDigest``: secrets as ``[secret]``, a replacement as three steps, unchanged resources as
``same`` steps with --show-sames); each dynamic resource's step comes from its own provider's diff, as
the engine would ask it. No Pulumi CLI runs here."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi.runtime import rpc
from pulumi_engine import DYNAMIC, Deployment, provider_of, run, unwrap

from pulumi_endpoints.review import pulumi, review, terraform
from pulumi_endpoints.review.model import Review

DATA = Path(__file__).parents[1] / "review" / "data"
# tests/review/make_terraform_plans.py's scenarios that change an endpoint, and the state each starts from
SCENARIOS = {"scale": "applied", "replace": "applied", "public": "applied", "token-removed": "applied"}

PROJECT, STACK = "infra", "dev"
SECRET_VALUES = {"workspace-token": "ws-same-change", "hf-token": "hf-same-change", "extra-token": "x-same-change"}


def _data_source(document: Mapping[str, Any]) -> tuple[str, str]:
    """The content and workspace that data.endpoints_spec_file read."""
    def walk(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        yield from module.get("resources", [])
        for child in module.get("child_modules", []):
            yield from walk(child)

    found = next(r["values"] for r in walk(document["values"]["root_module"]) if r["type"] == "endpoints_spec_file")
    return found["content"], found["workspace"]


def _declared(content: str, workspace: str) -> list[Any]:
    """What the Python components register for a spec file (names, types, parents, inputs)."""
    from pulumi_endpoints.component import DedicatedEndpoint, Workspace, WorkspaceArgs

    document = yaml.safe_load(content)
    fields = {**json.loads(workspace), **(document.get("workspace") or {})}

    def main() -> None:
        owner = Workspace("ws", WorkspaceArgs(spec=fields, secrets=SECRET_VALUES))
        for endpoint in document["endpoints"]:
            DedicatedEndpoint(endpoint["name"], endpoint, owner)

    # The suite's project and stack: the SDK keeps the first stack root a process registered.
    return run(main, Deployment(with_providers=False)).registered


def _masked(value: Any) -> Any:
    """As the engine writes a state: secrets as the string [secret]."""
    if rpc.is_rpc_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _digest(before: list[Any], after: list[Any]) -> dict[str, Any]:
    urns: dict[str, str] = {}

    def urn(registration: Any) -> str:
        parent = urns.get(registration.parent, "")
        qualified = f"{parent.split('::')[2]}${registration.type}" if parent else registration.type
        return f"urn:pulumi:{STACK}::{PROJECT}::{qualified}::{registration.name}"

    def state(registration: Any, at: str) -> dict[str, Any]:
        return {"urn": at, "custom": registration.type != "endpoints:index:Workspace" and not registration.type
                .startswith("endpoints:index:"), "type": registration.type, "inputs": _masked(registration.inputs),
                "outputs": _masked(registration.inputs), "parent": urns.get(registration.parent, "")}

    old, new = {}, {}
    for side, registrations in ((old, before), (new, after)):
        urns.clear()
        for registration in registrations:
            urns[registration.name] = urn(registration)
            side[urns[registration.name]] = registration
    stack = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
    steps: list[dict[str, Any]] = [{"op": "same", "urn": stack}]
    for at in sorted({*old, *new}):
        was, now = old.get(at), new.get(at)
        if was is None:
            steps.append({"op": "create", "urn": at, "newState": state(now, at)})
        elif now is None:
            steps.append({"op": "delete", "urn": at, "oldState": state(was, at)})
        elif unwrap(was.inputs) == unwrap(now.inputs):
            steps.append({"op": "same", "urn": at, "oldState": state(was, at), "newState": state(now, at)})
        elif now.type.startswith(DYNAMIC) and provider_of(now).diff(
                f"{now.name}-id", unwrap(was.inputs), unwrap(now.inputs)).replaces:
            steps += [{"op": op, "urn": at, "oldState": state(was, at), "newState": state(now, at)}
                      for op in ("create-replacement", "replace")]
            steps.append({"op": "delete-replaced", "urn": at, "oldState": state(was, at)})
        else:
            steps.append({"op": "update", "urn": at, "oldState": state(was, at), "newState": state(now, at)})
    summary: dict[str, int] = {}
    for step in steps:
        if step["op"] not in ("create-replacement", "delete-replaced"):
            summary[step["op"]] = summary.get(step["op"], 0) + 1
    return {"steps": steps, "changeSummary": summary}


def _endpoint_terms(result: Review) -> dict[str, Any]:
    groups = [g for g in result.groups if g.endpoint]
    return {"groups": [(g.name, g.status, g.fields, g.cost_before, g.cost_after) for g in groups],
            "risks": sorted((r.kind, r.subject) for r in result.risks if r.subject != "workspace (shared)"),
            "cost": (result.cost_before, result.cost_after)}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_terraform_plan_and_a_pulumi_preview_of_the_same_change_read_the_same(scenario: str) -> None:
    plan_text = (DATA / f"{scenario}.plan.json").read_text()
    prior_text = (DATA / f"{SCENARIOS[scenario]}.state.json").read_text()
    planned = review(terraform.read(plan_text, "plan.json", (prior_text, "state.json")))
    before = _declared(*_data_source(json.loads(prior_text)))
    after = _declared(*_data_source(json.loads(plan_text)["prior_state"]))
    digest = _digest(before, after)
    preview = review(pulumi.read(json.dumps(digest), f"{scenario}.preview.json"))
    assert _endpoint_terms(preview) == _endpoint_terms(planned)
    assert preview.groups and all(secret not in json.dumps(digest) for secret in SECRET_VALUES.values())
