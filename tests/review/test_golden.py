"""Golden reviews: real Terraform plans (tests/review/make_terraform_plans.py), a Pulumi preview, spec pairs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_endpoints.review import markdown, text

from .helpers import DATA, SPECS, check_golden, pulumi_review, spec_review, terraform_review
from .make_terraform_plans import SCENARIOS, Scenario, review_markdown


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_terraform_plans_render_as_their_golden_markdown(scenario: Scenario) -> None:
    rendered = review_markdown(DATA / f"{scenario.name}.plan.json", DATA / f"{scenario.state}.state.json")
    check_golden(f"{scenario.name}.md", rendered)


def test_scaling_reads_in_endpoint_terms() -> None:
    review = terraform_review("scale")
    assert "> llama3-8b: max replicas 4 → 8 · node pool updated (max nodes 5 → 9)" in markdown(review)
    assert review.count("changed") == 1 and not review.risks


def test_replacing_the_instance_type_says_it_drains_the_pool() -> None:
    review = terraform_review("replace")
    assert ("llama3-8b: shape gpu.a10 → gpu.a10.6xlarge · node pool REPLACED (instance types g5.2xlarge → "
            "g5.8xlarge) — drains the pool") in markdown(review)
    assert [r.kind for r in review.risks] == ["replace"]


@pytest.mark.parametrize(("scenario", "risks"), [
    ("create", []), ("scale", []), ("replace", ["replace"]),
    ("public", ["public", "delete", "delete"]),  # the two token secrets no endpoint reads any more go
    ("token-removed", ["token", "delete"]), ("file-system-deleted", ["delete"] * 4),  # the file system, 3 secrets
])
def test_each_scenario_raises_its_risk(scenario: str, risks: list[str]) -> None:
    assert [r.kind for r in terraform_review(scenario).risks] == risks


def test_costs_and_their_delta() -> None:
    review = terraform_review("scale")
    assert review.cost_before is not None and review.cost_after is not None
    assert (review.cost_before.hourly_max, review.cost_after.hourly_max) == (4.848, 9.696)
    assert "(Δ $0.00 / +$3,490.56 per month)" in markdown(review)


def test_without_the_state_the_cost_before_is_unknown() -> None:
    from pulumi_endpoints.review import review as make_review
    from pulumi_endpoints.review.terraform import read

    plan = (DATA / "scale.plan.json").read_text()
    rendered = markdown(make_review(read(plan, "scale.plan.json")))
    assert "before: unknown; for Terraform pass --state" in rendered
    assert "node pool updated (max nodes 5 → 9)" in rendered


def test_pulumi_preview() -> None:
    review = pulumi_review()
    rendered = markdown(review)
    check_golden("pulumi-preview.md", rendered)
    assert [(g.name, g.status) for g in review.groups] == [("llama3-8b", "replaced"), ("web", "added"),
                                                            ("workspace (shared)", "changed")]
    assert [r.kind for r in review.risks] == ["replace", "public", "public", "scale-to-zero"]
    assert "value: changed (sensitive)" in rendered
    assert "vllm/vllm-openai:v0.6.0` → `vllm/vllm-openai:v0.6.3" in rendered


def test_a_workspace_component_is_not_listed_as_a_resource() -> None:
    from pulumi_endpoints.review import pulumi
    from pulumi_endpoints.review import review as make_review

    digest = json.loads((DATA / "pulumi-preview.json").read_text())
    stack = "urn:pulumi:dev::infra::pulumi:pulumi:Stack::infra-dev"
    workspace = "urn:pulumi:dev::infra::endpoints:index:Workspace::ml"
    file_system = ("urn:pulumi:dev::infra::endpoints:index:Workspace$pulumi-python:dynamic/endpoints:FileSystem"
                   "::ml-file-system-shared")
    digest["steps"] += [
        {"op": "create", "urn": workspace,
         "newState": {"type": "endpoints:index:Workspace", "inputs": {}, "outputs": {}, "parent": stack}},
        {"op": "create", "urn": file_system,
         "newState": {"type": "pulumi-python:dynamic/endpoints:FileSystem", "inputs": {"name": "shared"},
                      "outputs": {}, "parent": workspace}},
    ]
    plan = pulumi.read(json.dumps(digest), "pulumi-preview.json")
    assert [(r.kind, r.name, r.owner) for r in plan.resources if r.action == "create"] == [
        ("file_system", "ml-file-system-shared", None)]
    assert "endpoints:index:Workspace" not in markdown(make_review(plan))


def _edited(name: str, *edits: tuple[str, str]) -> tuple[str, str]:
    before = (SPECS / name).read_text()
    after = before
    for old, new in edits:
        assert old in after
        after = after.replace(old, new)
    return before, after


def test_spec_pair_golden() -> None:
    before, after = _edited("llama3-8b.yaml", ("resource_shape: gpu.a10", "resource_shape: gpu.a100-40gb"),
                            ("max_replicas: 4", "max_replicas: 8"), ("tokens: [extra-token]", "tokens: []"))
    review = spec_review(before, after)
    rendered = markdown(review)
    check_golden("spec-pair.md", rendered)
    assert ("llama3-8b: shape gpu.a10 → gpu.a100-40gb · max replicas 4 → 8 · tokens extra-token, workspace-token → "
            "workspace-token · node pool REPLACED (instance types g5.2xlarge → p4d.24xlarge") in rendered
    assert {r.kind for r in review.risks} == {"replace", "token", "delete"}  # extra-token goes


def test_spec_pair_with_an_endpoint_replaced_by_another() -> None:
    review = spec_review((SPECS / "mygpt2.yaml").read_text(), (SPECS / "http-server.yaml").read_text())
    assert [(g.name, g.status) for g in review.groups if g.endpoint] == [("http-server", "added"),
                                                                         ("mygpt2", "deleted")]
    assert [r.kind for r in review.risks] == ["public", "delete"]  # mygpt2's secret goes with it


def test_a_longer_request_timeout_shows_where_it_lands() -> None:
    before = (SPECS / "mygpt2.yaml").read_text()
    rendered = markdown(spec_review(before, before + "timeouts: {request: 1800}\n"))
    assert "- HTTPRoute `endpoints-mygpt2/mygpt2`: **updated**\n  - spec.rules[0].timeouts.request: `20m` → `40m`" in rendered
    assert "  - spec.timeouts.responseHeader: `10m` → `30m`" in rendered  # the interceptor waits as long


def test_a_new_read_write_mount_over_another_endpoints_folder_is_a_risk() -> None:
    reader = ('{"name": "reader", "source": {"container": {"image": "python:3.10"}}, '
              '"mounts": [{"from": "/models/llama", "path": "/models", "read_only": true}]}')
    before = '{"endpoints": [' + reader + ', {"name": "writer", "source": {"container": {"image": "python:3.10"}}}]}'
    after = before.replace('{"name": "writer", "source": {"container": {"image": "python:3.10"}}}',
                           '{"name": "writer", "source": {"container": {"image": "python:3.10"}}, '
                           '"mounts": [{"from": "/models", "path": "/data"}]}')
    risks = spec_review(before, after).risks
    assert [(r.kind, r.subject, r.message) for r in risks if r.kind == "shared-write"] == [
        ("shared-write", "writer", "mounts read-write a folder that reader also mount: it can change the files "
                                   "they serve")]


def test_the_same_specs_show_no_changes() -> None:
    same = (SPECS / "nim-llama3.yaml").read_text()
    review = spec_review(same, same)
    assert not review.has_changes
    assert "No changes." in text(review)


def test_output_is_deterministic() -> None:
    assert markdown(pulumi_review()) == markdown(pulumi_review())
    assert text(terraform_review("public")) == text(terraform_review("public"))


def test_a_switch_to_spot_and_to_karpenter_are_risks() -> None:
    before = (SPECS / "llama3-8b.yaml").read_text()
    spot = before.replace("    resource_shape: gpu.a10\n", "    resource_shape: gpu.a10\n    capacity_types: [spot]\n")
    assert spot != before
    risks = spec_review(before, spot).risks
    assert [(r.kind, r.subject) for r in risks if r.kind == "spot"] == [("spot", "llama3-8b")]
    assert "reclaim its nodes with two minutes' notice" in markdown(spec_review(before, spot))
    assert not [r for r in spec_review(spot, spot).risks if r.kind == "spot"]  # already on spot: no news
    karpenter = spot.replace("workspace:\n", "workspace:\n  capacity: {provisioner: karpenter}\n", 1)
    assert karpenter != spot
    moved = [r.message for r in spec_review(spot, karpenter).risks if r.kind == "replace"]
    assert "nodes move from node_group to karpenter: every replica restarts on new nodes" in moved


def test_a_deleted_secret_names_the_endpoints_that_still_read_it() -> None:
    """Each endpoint of two reads hf-token; one of them stops: the secret stays. The other goes too:
    it is deleted, and the review says who read it."""
    two = ('{"endpoints": [{"name": "a", "source": {"container": {"image": "python:3.10"}}, '
           '"secrets": {"HF_TOKEN": "hf-token"}}, {"name": "b", "source": {"container": {"image": "python:3.10"}}, '
           '"secrets": {"HF_TOKEN": "hf-token"}}]}')
    one = two.replace(', "secrets": {"HF_TOKEN": "hf-token"}}]}', '}]}')
    assert not [r for r in spec_review(two, one).risks if "hf-token" in r.message]
    none = one.replace('"secrets": {"HF_TOKEN": "hf-token"}', '"env": {"X": "1"}')
    (risk,) = [r for r in spec_review(one, none).risks if "hf-token" in r.message]
    assert (risk.kind, risk.subject) == ("delete", "workspace (shared)")
    assert "DELETED (read by a until this change)" in risk.message


def test_a_new_secret_value_shows_on_the_endpoints_that_read_it() -> None:
    from pulumi_endpoints.review.changes import review
    from pulumi_endpoints.review.facts import spec_file_views
    from pulumi_endpoints.review.model import Action, PlanInput, ResourceChange

    spec = ('{"workspace": {"name": "prod"}, "endpoints": [{"name": "a", "source": {"container": {"image": '
            '"python:3.10"}}, "secrets": {"HF_TOKEN": "hf-token"}}, {"name": "b", "source": {"container": '
            '{"image": "python:3.10"}}}]}')
    views = spec_file_views(spec, None)
    rotation = ResourceChange("secret", "hf-token", Action.UPDATE, {"secret_id": "endpoints/prod/hf-token"},
                              {"secret_id": "endpoints/prod/hf-token"}, changed=("value",))
    result = review(PlanInput("plan.json", (rotation,), views, views))
    (group,) = [g for g in result.groups if g.endpoint]
    assert group.name == "a" and group.status == "changed"
    assert [(f.label, f.before) for f in group.fields] == [("secret hf-token", "its value")]
    assert "replicas read when they restart" in markdown(result)


def test_values_known_only_after_apply_in_a_pulumi_preview() -> None:
    """Pulumi writes them as its unknown sentinel (rpcTokenUnknownValue in pulumi/sdk/go/pulumi/rpc.go):
    an image given as an Output still reviews in endpoint terms, and a cloud attribute shows as
    known after apply, not as the sentinel."""
    from pulumi_endpoints.review import pulumi
    from pulumi_endpoints.review import review as make_review

    digest = json.loads((DATA / "pulumi-preview.json").read_text())
    for step in digest["steps"]:
        if step["urn"].endswith("::web"):
            step["newState"]["inputs"]["spec"]["source"]["container"]["image"] = pulumi.UNKNOWN_VALUE
        if step["op"] in ("create-replacement", "replace"):
            step["newState"]["inputs"]["node_role_arn"] = pulumi.UNKNOWN_VALUE
    plan = pulumi.read(json.dumps(digest), "pulumi-preview.json")
    assert plan.after is not None and "web" in plan.after
    rendered = markdown(make_review(plan))
    assert pulumi.UNKNOWN_VALUE not in rendered
    assert "node role: `arn:aws:iam::123456789012:role/nodes` → `(known after apply)`" in rendered


def _digest() -> dict[str, Any]:
    return json.loads((DATA / "pulumi-preview.json").read_text())


def _reviewed(digest: dict[str, Any]) -> Any:
    from pulumi_endpoints.review import pulumi
    from pulumi_endpoints.review import review as make_review

    return make_review(pulumi.read(json.dumps(digest), "pulumi-preview.json"))


def test_live_kubernetes_outputs_never_reach_the_review() -> None:
    """pulumi-kubernetes keeps the live object in a resource's outputs: status, server-set metadata and its
    own bookkeeping. The review compares what the program asked for."""
    digest = _digest()
    deployment = next(s for s in digest["steps"] if s["urn"].endswith("kubernetes:apps/v1:Deployment::llama3-8b"))
    assert {"__inputs", "__fieldManager", "__initialApiVersion", "status"} <= set(deployment["oldState"]["outputs"])
    rendered = markdown(_reviewed(digest))
    for junk in ("__inputs", "__fieldManager", "__initialApiVersion", "status.", "managedFields", "resourceVersion"):
        assert junk not in rendered


def test_a_preview_without_show_sames_leaves_the_totals_unknown() -> None:
    """``pulumi preview --json`` shows unchanged resources only with --show-sames; its change summary
    still counts them, so the review knows that endpoints are missing from the totals."""
    digest = _digest()
    digest["changeSummary"]["same"] = 9
    review = _reviewed(digest)
    assert review.cost_after is None
    assert "Cost (min–max replicas): unknown (the preview leaves out unchanged endpoints: run pulumi preview " \
           "--json --show-sames" in markdown(review)
    assert next(g for g in review.groups if g.name == "llama3-8b").cost_after is not None  # its own is known


def test_with_show_sames_an_unchanged_endpoint_counts_in_the_totals() -> None:
    from pulumi_endpoints.blueprint.cost import cost_band

    digest = _digest()
    chat = {"name": "chat", "source": {"container": {"image": "python:3.10"}}, "resource_shape": "gpu.a10",
            "autoscaling": {"replicas": 1}}
    urn = "urn:pulumi:dev::infra::endpoints:index:DedicatedEndpoint::chat"
    state = {"urn": urn, "type": "endpoints:index:DedicatedEndpoint",
             "inputs": {"spec": chat, "workspace": {"name": "prod"}}, "outputs": {}}
    digest["steps"].append({"op": "same", "urn": urn, "oldState": state, "newState": state})
    digest["changeSummary"]["same"] += 1
    without = _reviewed(_digest())
    review = _reviewed(digest)
    assert "chat" not in [g.name for g in review.groups]  # unchanged: not listed
    band = cost_band(review_view_summary(digest, "chat"))
    assert review.cost_after.hourly_min == pytest.approx(without.cost_after.hourly_min + band.hourly_min)


def review_view_summary(digest: dict[str, Any], name: str) -> Any:
    from pulumi_endpoints.review import pulumi

    plan = pulumi.read(json.dumps(digest), "pulumi-preview.json")
    assert plan.after is not None and plan.hidden is None
    return plan.after[name].summary
