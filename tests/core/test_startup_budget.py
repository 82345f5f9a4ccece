"""The start-up budget: each endpoint's cold start estimated from sourced assumptions, the scale-from-zero
wait grown to it, and warnings where a probe or a wait the user set is shorter."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.blueprint import startup
from pulumi_endpoints.blueprint.gateway import seconds
from pulumi_endpoints.review import render
from pulumi_endpoints.review.changes import review
from pulumi_endpoints.review.specs import compare
from pulumi_endpoints.spec import load_file

from .helpers import WORKSPACE, build, manifest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "specs").glob("*.yaml"))
HUB_7B = {"huggingface": {"model": "Qwen/Qwen2-7B-Instruct"}}
SCALE_TO_ZERO = {"scale_to_zero": {"max_replicas": 2}}


def warnings(blueprint: Any) -> dict[str, str]:
    return {f.path: f.message for f in blueprint.warnings}


def estimate(blueprint: Any) -> Any:
    return blueprint.endpoints[0].cold_start


def interceptor_wait(blueprint: Any) -> float:
    return seconds(manifest(blueprint, "HTTPScaledObject")["spec"]["timeouts"]["conditionWait"])


def test_a_hub_model_on_vllm_pays_node_pull_weights_and_engine_start() -> None:
    cold = estimate(build(source=HUB_7B, resource_shape="gpu.a10"))
    assert cold.node == startup.NODE_SECONDS
    assert cold.pull == math.ceil(12e9 / startup.PULL_BYTES_PER_SECOND)  # the pinned vLLM image
    assert cold.weights == math.ceil(14 * 2**30 / startup.HUB_BYTES_PER_SECOND)  # 7B in fp16
    assert cold.engine == 85  # below the smallest measurement (8B): its figure
    assert cold.unknown == ()


def test_engine_start_is_linear_between_measurements_and_flat_beyond() -> None:
    assert startup._engine_start(1) == 85
    assert startup._engine_start(39) == pytest.approx(85 + 61 * 31 / 62)
    assert startup._engine_start(405) == 238


def test_a_cache_on_bursting_efs_is_slow_enough_to_warn_about_liveness() -> None:
    source = {"huggingface": {"model": "meta-llama/Meta-Llama-3-70B-Instruct", "revision": "a" * 40, "cache": True}}
    bursting = {**WORKSPACE, "filesystem": {"throughput_mode": "bursting"}}
    slow = build(bursting, source=source, resource_shape="gpu.8xh100-sxm")
    assert estimate(slow).weights == math.ceil(140 * 2**30 / (100 * 2**20))
    message = warnings(slow)["health.initial_delay_seconds"]
    assert "the kubelet would restart it while it loads" in message and "than the 660 s" in message
    elastic = build(source=source, resource_shape="gpu.8xh100-sxm")  # 1,500 MiB/s per client
    assert "health.initial_delay_seconds" not in warnings(elastic)


def test_provisioned_throughput_below_the_client_limit_is_what_reads_get() -> None:
    files = {"throughput_mode": "provisioned", "provisioned_throughput_mibps": 50}
    source = {"filesystem": {"path": "/models/llama-3-8b"}}
    cold = estimate(build({**WORKSPACE, "filesystem": files}, source=source, resource_shape="gpu.a10"))
    assert cold.weights == math.ceil(16 * 2**30 / (50 * 2**20))  # 8B read from the folder's name


def test_a_liveness_delay_shorter_than_loading_warns() -> None:
    found = warnings(build(source=HUB_7B, resource_shape="gpu.a10", health={"initial_delay_seconds": 30}))
    assert "more than the 90 s the liveness probe allows" in found["health.initial_delay_seconds"]


def test_the_default_wait_grows_to_the_budget_in_whole_minutes() -> None:
    blueprint = build(source=HUB_7B, resource_shape="gpu.a10", autoscaling=SCALE_TO_ZERO)
    total = estimate(blueprint).total
    assert total > 600  # node 300 + pull 207 + weights + engine: more than Lepton's start-up grace
    wait = interceptor_wait(blueprint)
    assert wait == math.ceil(total / 60) * 60
    route = manifest(blueprint, "HTTPRoute")["spec"]["rules"][0]["timeouts"]["request"]
    assert seconds(route) == 600 + wait  # the request's own 600 s after the wait
    assert not any(f.path.startswith("timeouts") for f in blueprint.findings)


def test_a_wait_set_shorter_than_the_budget_is_kept_and_warned_about() -> None:
    blueprint = build(source=HUB_7B, resource_shape="gpu.a10", autoscaling=SCALE_TO_ZERO,
                      timeouts={"scale_from_zero": 600})
    assert interceptor_wait(blueprint) == 600
    message = warnings(blueprint)["timeouts.scale_from_zero"]
    assert re.search(r"less than the \d+ s a replica is expected to need from zero \(GPU node 300 s, image pull",
                     message)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_scale_to_zero_example_waits_for_its_grace_and_its_budget(example: Path) -> None:
    from pulumi_endpoints.blueprint import expand

    blueprint = expand(load_file(example))
    for summary in blueprint.endpoints:
        scaled = [m for m in blueprint.manifests_of(summary.name) if m["kind"] == "HTTPScaledObject"]
        for scaler in scaled:
            wait = seconds(scaler["spec"]["timeouts"]["conditionWait"])
            assert wait >= summary.cold_start.total
            spec = next(e for e in load_file(example).endpoints if e.name == summary.name)
            assert wait >= (spec.health.initial_delay_seconds or 600)


def test_an_image_of_unknown_size_is_left_out_and_said_so_until_given() -> None:
    unknown = estimate(build())
    assert (unknown.pull, unknown.weights, unknown.engine) == (0, 0, 0)
    assert unknown.total == startup.NODE_SECONDS
    assert "image pull (unknown image size: set source.image_size_gib)" in unknown.unknown
    given = build(source={"container": {"image": "python:3.10"}, "image_size_gib": 1})
    assert estimate(given).pull == math.ceil(2**30 / startup.PULL_BYTES_PER_SECOND)


def test_the_image_size_hint_does_not_restart_replicas() -> None:
    def pod_env(blueprint: Any) -> list[Any]:
        return manifest(blueprint, "Deployment")["spec"]["template"]["spec"]["containers"][0]["env"]

    assert pod_env(build(source=HUB_7B)) == pod_env(build(source={**HUB_7B, "image_size_gib": 20}))


def test_review_prints_the_estimate_for_added_and_changed_endpoints_only() -> None:
    before = {"workspace": WORKSPACE, "endpoints": [
        {"name": "kept", "source": HUB_7B, "resource_shape": "gpu.a10"},
        {"name": "gone", "source": HUB_7B, "resource_shape": "gpu.a10"}]}
    after = {"workspace": WORKSPACE, "endpoints": [
        {"name": "kept", "source": HUB_7B, "resource_shape": "gpu.a10", "autoscaling": {"replicas": 2}},
        {"name": "new", "source": HUB_7B, "resource_shape": "gpu.a10"}]}
    text = render.text(review(compare([("a.json", json.dumps(before))], [("a.json", json.dumps(after))], "specs")))
    sections = {part.split(" — ")[0]: part for part in re.split(r"\n(?=\w+ — \w+\n-)", text)}
    assert "- start-up: about 10 min for a replica on a new node (GPU node 300 s, image pull 207 s" in sections["new"]
    assert "- start-up:" in sections["kept"]
    assert "- start-up:" not in sections["gone"]


def test_the_readme_lists_every_assumption() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Start-up budget"):readme.index("### What the cluster needs")]
    figures = [f"{startup.NODE_SECONDS} s", f"{startup.PULL_BYTES_PER_SECOND // 10**6} MB/s",
               f"{startup.HUB_BYTES_PER_SECOND // 10**6} MB/s",
               *(f"{rate // 2**20:,} MiB/s" for rate in startup.EFS_CLIENT_BYTES_PER_SECOND.values()),
               *(f"{size // 10**9} GB" for size in startup.IMAGE_BYTES.values()),
               *(f"{seconds_:g} s at {billions:g}B" for billions, seconds_ in startup.ENGINE_START_SECONDS)]
    assert [f for f in figures if f not in section] == []


def test_an_image_with_a_start_up_probe_is_restarted_when_that_probe_gives_up() -> None:
    # NIM's start-up probe (spec/images.py, from NVIDIA/nim-deploy's chart): 40 s, then 180 failures 10 s apart;
    # the liveness probe waits for it, so its own delay does not extend the window.
    nim = {"nim": {"image": "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0", "ngc_api_key_secret": "ngc-key"}}
    from pulumi_endpoints.blueprint.plan import EndpointPlan
    from pulumi_endpoints.spec import parse_document

    document = parse_document({"workspace": WORKSPACE, "name": "nim", "source": nim, "resource_shape": "gpu.a10",
                               "health": {"initial_delay_seconds": 5000}})
    spec = document.endpoints[0]
    plan = EndpointPlan(spec, document.workspace, "", document.workspace.catalog[spec.resource_shape])
    assert startup.liveness_window(plan) == 40 + 180 * 10
