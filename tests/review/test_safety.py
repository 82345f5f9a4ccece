"""Secrets never leak (a canary in every kind of input), the size limit, exit codes and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_endpoints.cli import main
from pulumi_endpoints.review import markdown, review, text
from pulumi_endpoints.review.render import LIMIT
from pulumi_endpoints.review.terraform import read

from .helpers import DATA, PULUMI_CANARY, SPECS, pulumi_review, spec_review, terraform_review
from .make_terraform_plans import CANARIES, SCENARIOS

SPEC_CANARY = "canary-spec-3a9d7f1e5c2b8064"


def test_the_inputs_do_hold_the_canaries() -> None:
    """Terraform writes sensitive values in plaintext: the masking is what keeps them out."""
    assert CANARIES["hf-token"] in (DATA / "scale.plan.json").read_text()
    assert PULUMI_CANARY in (DATA / "pulumi-preview.json").read_text()


@pytest.mark.parametrize("scenario", [s.name for s in SCENARIOS])
def test_no_terraform_canary_in_any_output(scenario: str) -> None:
    result = terraform_review(scenario)
    for output in (markdown(result), text(result)):
        assert not any(canary in output for canary in CANARIES.values())


def test_no_canary_even_when_the_plan_marks_nothing_sensitive() -> None:
    plan = json.loads((DATA / "create.plan.json").read_text())
    for change in plan["resource_changes"]:
        change["change"]["after_sensitive"] = change["change"]["before_sensitive"] = False
        if change["type"] == "endpoints_node_pool":  # the value repeated where no mask applies
            change["change"]["after"]["labels"]["leak"] = CANARIES["hf-token"]
    output = markdown(review(read(json.dumps(plan), "plan.json")))
    assert not any(canary in output for canary in CANARIES.values())


def test_no_pulumi_canary_in_any_output() -> None:
    result = pulumi_review()
    assert PULUMI_CANARY not in markdown(result) + text(result)


def test_no_canary_from_spec_pairs() -> None:
    before = (SPECS / "llama3-8b.yaml").read_text()
    after = before.replace("env: {LOG_LEVEL: info}", f"env: {{LOG_LEVEL: info, API_KEY: {SPEC_CANARY}}}")
    result = spec_review(before, after)
    assert result.has_changes
    assert SPEC_CANARY not in markdown(result) + text(result)


def test_only_the_paths_that_hold_secrets_are_masked() -> None:
    """A toleration's or a selector's ``value`` is no secret: a reviewer sees it change. An env var's
    value and a secret's value stay hidden."""
    from pulumi_endpoints.review.masking import MASK, Masker

    deployment = {"kind": "Deployment", "spec": {"template": {"spec": {
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}],
        "affinity": {"nodeAffinity": {"match": [{"key": "zone", "operator": "In", "value": "use1-az1"}]}},
        "containers": [{"name": "main", "env": [{"name": "API_KEY", "value": SPEC_CANARY}]}]}}}}
    masker = Masker()
    shown = masker.mask(deployment)["spec"]["template"]["spec"]
    assert shown["tolerations"][0]["value"] == "true"
    assert shown["affinity"]["nodeAffinity"]["match"][0]["value"] == "use1-az1"
    assert shown["containers"][0]["env"][0] == {"name": "API_KEY", "value": MASK}
    assert masker.mask({"secret_id": "endpoints/prod/hf-token", "value": SPEC_CANARY})["value"] == MASK


def test_a_huge_plan_is_trimmed_under_the_limit_with_a_note() -> None:
    plan = json.loads((DATA / "create.plan.json").read_text())
    template = next(c for c in plan["resource_changes"] if c["type"] == "endpoints_access_point")
    plan["resource_changes"] = [
        {**template, "address": f"endpoints_access_point.a{i}", "index": f"a{i}",
         "change": {**template["change"], "after": {**template["change"]["after"], "name": f"llama3-8b-mount-{i}",
                                                     "path": f"/models/{'x' * 40}/{i}"}}}
        for i in range(3000)]
    for render in (markdown, text):
        output = render(review(read(json.dumps(plan), "plan.json")))
        assert len(output) <= LIMIT
        assert "Trimmed:" in output and "lines not shown" in output
        assert output.startswith(("## Endpoints review", "Endpoints review"))


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    same = str(SPECS / "mygpt2.yaml")
    assert main(["review", "specs", same, same]) == 0
    assert main(["review", "terraform", str(DATA / "scale.plan.json"), "--state",
                 str(DATA / "applied.state.json")]) == 2
    assert main(["review", "pulumi", str(DATA / "pulumi-preview.json"), "--format", "text"]) == 2
    assert "Endpoints review\n================" in capsys.readouterr().out


@pytest.mark.parametrize(("scenario", "fail_on", "code"), [
    ("replace", "replace", 1), ("replace", "delete,public", 2), ("file-system-deleted", "delete", 1),
    ("public", "public", 1), ("token-removed", "token", 1), ("scale", "replace,delete,public", 2),
])
def test_fail_on_turns_chosen_risks_into_exit_1(scenario: str, fail_on: str, code: int,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    state = next(s.state for s in SCENARIOS if s.name == scenario)
    args = ["review", "terraform", str(DATA / f"{scenario}.plan.json"), "--state", str(DATA / f"{state}.state.json")]
    assert main([*args, "--fail-on", fail_on]) == code
    err = capsys.readouterr().err
    assert ("risks found" in err) == (code == 1)


def test_out_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "review.md"
    assert main(["review", "terraform", str(DATA / "replace.plan.json"), "--out", str(out)]) == 2
    assert "node pool REPLACED" in out.read_text()


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"), ("{not json", "not valid JSON (line 1, column 2)"),
    ("[]", "expected a JSON object"), ('{"steps": 3}', "not the output of `terraform show -json PLANFILE`"),
    ('{"planned_values": {}, "resource_changes": [{"mode": "managed"}]}', "unexpected structure (KeyError)"),
])
def test_errors_are_one_line_and_exit_1(content: str | None, message: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    if content is not None:
        plan.write_text(content)
    assert main(["review", "terraform", str(plan)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err and "Traceback" not in err


def test_bad_pulumi_and_spec_inputs_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nresource_shape: gpu.nope\nsource: {container: {image: a}}\n")
    assert main(["review", "pulumi", str(DATA / "create.plan.json")]) == 1
    assert main(["review", "specs", str(SPECS / "mygpt2.yaml"), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "no steps" in err[0] and "unknown shape" in err[1]


def test_unknown_risk_names_are_refused_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["review", "specs", "a", "b", "--fail-on", "replace,oops"])
    assert exit_.value.code == 1 and "unknown risk 'oops'" in capsys.readouterr().err
