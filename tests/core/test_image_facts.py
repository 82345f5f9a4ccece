"""Every rendered Deployment of an image whose needs are known follows spec/images.py, and each of
those facts names the upstream file it comes from (owner/repo@ref:path:lines), for a reader to check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import EndpointSpec, load_file
from pulumi_endpoints.spec import images as I
from pulumi_endpoints.spec.images import ImageFacts

SPECS = sorted((Path(__file__).parents[2] / "examples" / "specs").glob("*.yaml"))
SOURCE = re.compile(r"^[\w.-]+/[\w.-]+@[\w.-]+:[\w./-]+:[0-9][0-9,-]*$")


def facts_of(spec: EndpointSpec) -> ImageFacts | None:
    """Which entry an endpoint's image should follow, read from its spec (not from the renderer)."""
    source = spec.source
    engine = source.huggingface or source.filesystem
    if engine is not None:
        return I.ENGINES[engine.engine]
    if source.template is not None:
        if source.template.name == "llm-engine":
            return I.ENGINES[str(source.template.options.get("engine", "vllm"))]
        return I.STABLE_DIFFUSION
    return I.NIM if source.nim is not None else None


def override_of(spec: EndpointSpec) -> str | None:
    """The image a spec names instead of the pinned default."""
    source = spec.source
    if source.nim is not None:
        return source.nim.image
    engine = source.huggingface or source.filesystem
    if engine is not None:
        return engine.image
    assert source.template is not None
    image = source.template.options.get("image")
    return str(image) if image else None


def path_of(probe: dict[str, Any]) -> str:
    return str(probe["httpGet"]["path"])


@pytest.mark.parametrize("example", SPECS, ids=[p.stem for p in SPECS])
def test_every_example_follows_its_images_facts(example: Path) -> None:
    document = load_file(example)
    blueprint = expand(document)
    for spec in document.endpoints:
        facts = facts_of(spec)
        if facts is None:  # a photon or container: the user's image
            continue
        [deployment] = [m for m in blueprint.manifests_of(spec.name) if m["kind"] == "Deployment"]
        pod = deployment["spec"]["template"]["spec"]
        [main] = pod["containers"]
        assert main["image"] == (override_of(spec) or facts.image)  # the pinned one unless the spec names another
        assert main.get("command") == (list(facts.command) if facts.command else None)
        assert main["ports"][0]["containerPort"] == facts.port
        assert path_of(main["readinessProbe"]) == (spec.health.path or facts.readiness)
        assert path_of(main["livenessProbe"]) == (spec.health.path or facts.liveness)
        assert main["readinessProbe"].get("timeoutSeconds") == facts.probe_timeout
        if facts.startup:
            startup = main["startupProbe"]
            assert (path_of(startup), startup["initialDelaySeconds"], startup["periodSeconds"],
                    startup["failureThreshold"]) == (facts.startup.path, facts.startup.delay, facts.startup.period,
                                                     facts.startup.failures)
        else:
            assert "startupProbe" not in main
        env = {e["name"]: e.get("value") for e in main["env"]}
        assert {**facts.env, **facts.cache_env}.items() <= env.items()
        mounts = {m["mountPath"]: m["name"] for m in main.get("volumeMounts", [])}
        assert (I.CACHE_PATH in mounts) == bool(facts.cache_env)
        if facts.cache_env:
            [cache] = [v for v in pod["volumes"] if v["name"] == mounts[I.CACHE_PATH]]
            assert set(cache) == {"name", "emptyDir"} and cache["emptyDir"]["sizeLimit"].endswith("Gi")
        expected_user = ({"runAsUser": facts.run_as, "runAsGroup": facts.run_as, "fsGroup": facts.run_as}
                         if facts.run_as is not None else {})
        assert pod["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}, **expected_user}
        assert main["securityContext"]["capabilities"].get("add", []) == sorted(facts.capabilities)
        monitors = [m["spec"]["podMetricsEndpoints"][0]["path"] for m in blueprint.manifests_of(spec.name)
                    if m["kind"] == "PodMonitor"]
        assert monitors == ([spec.metrics.path] if facts.metrics and spec.metrics.pull else [])


@pytest.mark.parametrize("facts", [I.VLLM, I.SGLANG, I.NIM, I.STABLE_DIFFUSION], ids=lambda f: f.image or "nim")
def test_every_fact_names_its_upstream_source(facts: ImageFacts) -> None:
    assert facts.sources
    for source in facts.sources:
        assert SOURCE.match(source), source


def test_every_engine_a_spec_accepts_has_its_facts_and_flags() -> None:
    from typing import get_args

    from pulumi_endpoints.spec.engine_flags import known_flags
    from pulumi_endpoints.spec.sources import Engine

    assert set(get_args(Engine)) == set(I.ENGINES)
    for name, engine in I.ENGINES.items():
        assert {engine.model_flag, "--" + engine.parallel_option.replace("_", "-"), *engine.launch_args} <= \
            known_flags(name)
