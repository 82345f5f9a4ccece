"""The model cache (``source.huggingface.cache``): one download per revision into the workspace file
system, by a Job; every replica waits for it and serves the local copy offline."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints import SpecError
from pulumi_endpoints.blueprint.cost import cost_band

from .helpers import build, cloud, manifest, manifests

COMMIT = "a09a35458c702b33eeacc393d103063234e8bc28"  # Qwen/Qwen2.5-7B-Instruct on the hub


def cached(revision: str = COMMIT, **fields: Any) -> Any:
    source = {"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct", "revision": revision, "cache": True,
                              **fields.pop("huggingface", {})}}
    return build(name="qwen", source=source, resource_shape="gpu.a10", secrets={"HF_TOKEN": "hf-token"}, **fields)


def _container(pod: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in [*pod.get("initContainers", []), *pod["containers"]] if c["name"] == name)


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def test_the_job_and_the_replicas_share_one_claim_and_one_folder() -> None:
    blueprint = cached()
    job = manifest(blueprint, "Job")
    pod = manifest(blueprint, "Deployment")["spec"]["template"]["spec"]
    job_pod = job["spec"]["template"]["spec"]
    claim = {v["persistentVolumeClaim"]["claimName"] for v in job_pod["volumes"] if "persistentVolumeClaim" in v}
    assert claim == {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v}
    assert claim == {"qwen-mount-model-cache"}
    folder = f"/model-cache/Qwen/Qwen2.5-7B-Instruct/{COMMIT}"
    download, wait, server = (_container(job_pod, "download"), _container(pod, "wait-for-model-cache"),
                              _container(pod, "main"))
    assert _env(download)["MODEL_DIR"] == _env(wait)["MODEL_DIR"] == folder
    assert _env(download)["REVISION"] == COMMIT  # the Job pins the revision
    assert ".complete" in download["command"][-1] and ".complete" in wait["command"][-1]
    # the Job writes, the replicas only read
    assert [m["readOnly"] for m in download["volumeMounts"] if m["mountPath"] == "/model-cache"] == [False]
    assert [m["readOnly"] for m in server["volumeMounts"] if m["mountPath"] == "/model-cache"] == [True]
    assert _env(wait)["JOB"] == job["metadata"]["name"]
    # its access point is the cache's root on the workspace file system, beside the mounts' ones
    assert [(p.name, p.path) for p in cloud(blueprint, "access_point")] == [
        ("qwen-mount-model-cache", "/cache/huggingface")]


def test_the_server_loads_the_local_copy_offline_under_the_hub_id() -> None:
    server = _container(manifest(cached(), "Deployment")["spec"]["template"]["spec"], "main")
    args = server["args"]
    assert args[args.index("--model") + 1] == f"/model-cache/Qwen/Qwen2.5-7B-Instruct/{COMMIT}"
    assert args[args.index("--served-model-name") + 1] == "Qwen/Qwen2.5-7B-Instruct"  # clients send the same name
    assert "--revision" not in args
    assert _env(server)["HF_HUB_OFFLINE"] == "1"


def test_the_job_downloads_with_the_engine_image_and_the_endpoints_token() -> None:
    """The engine images carry huggingface_hub (their sources import snapshot_download) and the
    model and revision reach the script as env only: no spec text is ever shell text."""
    blueprint = cached(revision="v1.0")
    job = manifest(blueprint, "Job")
    download = _container(job["spec"]["template"]["spec"], "download")
    assert download["image"] == _container(manifest(blueprint, "Deployment")["spec"]["template"]["spec"],
                                           "main")["image"]
    assert "snapshot_download(repo_id=os.environ['MODEL'], revision=os.environ['REVISION']" in download["command"][-1]
    assert "Qwen" not in download["command"][-1] and "v1.0" not in download["command"][-1]
    assert _env(download)["HF_TOKEN"] == {"secretKeyRef": {"name": "qwen-env", "key": "HF_TOKEN"}}
    assert job["metadata"]["annotations"] == {"pulumi.com/skipAwait": "true"}  # a download outlasts any timeout


def test_the_job_pod_is_not_one_of_the_services_pods() -> None:
    blueprint = cached()
    selector = manifest(blueprint, "Service")["spec"]["selector"]
    labels = manifest(blueprint, "Job")["spec"]["template"]["metadata"]["labels"]
    assert not selector.items() <= labels.items()


def test_a_new_revision_is_a_new_job_and_folder_and_the_same_one_changes_nothing() -> None:
    first, again, other = cached(), cached(), cached(revision="0" * 40)
    assert manifest(first, "Job") == manifest(again, "Job")
    assert manifest(other, "Job")["metadata"]["name"] != manifest(first, "Job")["metadata"]["name"]
    assert len(manifest(first, "Job")["metadata"]["name"]) <= 63


def test_a_branch_warns_and_a_folder_escape_is_refused() -> None:
    warnings = [f for f in cached(revision="main").findings if f.path.endswith("source.huggingface.revision")]
    assert warnings and "pin the commit" in warnings[0].message
    assert not [f for f in cached().findings if f.path.endswith("source.huggingface.revision")]
    for revision in ("../other", "a/../../b", "main branch", "$(id)"):
        with pytest.raises(SpecError) as refused:
            cached(revision=revision)
        assert refused.value.paths == ["source.huggingface"] and "revision" in str(refused.value)


def test_without_cache_nothing_changes() -> None:
    plain = build(name="qwen", resource_shape="gpu.a10", source={"huggingface": {
        "model": "Qwen/Qwen2.5-7B-Instruct", "revision": COMMIT}})
    assert manifests(plain, "Job") == [] and cloud(plain, "access_point") == []
    server = _container(manifest(plain, "Deployment")["spec"]["template"]["spec"], "main")
    assert server["args"][:2] == ["--model", "Qwen/Qwen2.5-7B-Instruct"] and "HF_HUB_OFFLINE" not in _env(server)


def test_the_cost_band_holds_the_caches_storage() -> None:
    """100 GiB at EFS Standard's $0.30 per GB-month: 107.37 GB, $32.21 a month, at any replica count
    (bands keep hourly figures to four decimals: $0.0447 an hour, $32.18 a month)."""
    with_cache = cost_band(cached(huggingface={"model_size_gib": 100}).endpoints[0])
    plain = cost_band(build(name="qwen", resource_shape="gpu.a10", source={"huggingface": {
        "model": "Qwen/Qwen2.5-7B-Instruct", "revision": COMMIT}}).endpoints[0])
    assert round(with_cache.monthly_min - plain.monthly_min, 2) == pytest.approx(32.21, abs=0.05)
    assert round(with_cache.monthly_max - plain.monthly_max, 2) == pytest.approx(32.21, abs=0.05)
    estimated = cached().endpoints[0]
    assert estimated.cached_model_gib == 14  # 7B parameters in fp16, from the model's name


def test_who_may_see_the_endpoint_may_see_its_download() -> None:
    blueprint = cached()
    job = manifest(blueprint, "Job")["metadata"]["name"]
    see = next(m for m in manifests(blueprint, "Role") if m["metadata"]["name"].endswith("access"))
    assert {"apiGroups": ["batch"], "resources": ["jobs"], "resourceNames": [job], "verbs": ["get", "watch"]} in see[
        "rules"]


def _run(container: dict[str, Any], folder: Path, bin_dir: Path,
         timeout: float = 10) -> subprocess.CompletedProcess[str]:
    """The container's shell command, run by the real /bin/sh with its env, the folder in place of
    the cache and ``bin_dir`` first on PATH (a stand-in python3: the engine image is not here)."""
    env = {k: v for k, v in _env(container).items() if isinstance(v, str)}
    env.update(MODEL_DIR=str(folder), PATH=f"{bin_dir}:{os.environ['PATH']}")
    return subprocess.run(container["command"], env=env, capture_output=True, text=True, timeout=timeout)


def test_the_scripts_download_once_and_replicas_wait_for_the_marker(tmp_path: Path) -> None:
    """What the Job and the init container do, run as written: a second run of the Job (a second apply,
    or destroy then apply over the same file system) finds the marker and downloads nothing; a failed
    download leaves no marker, so the replicas keep waiting and the Job's retry downloads again."""
    pod = manifest(cached(), "Deployment")["spec"]["template"]["spec"]
    download = _container(manifest(cached(), "Job")["spec"]["template"]["spec"], "download")
    wait = _container(pod, "wait-for-model-cache")
    calls, folder, bin_dir = tmp_path / "calls", tmp_path / "cache", tmp_path / "bin"
    folder.mkdir()
    bin_dir.mkdir()
    python = bin_dir / "python3"  # records each download and fails while FAIL exists
    python.write_text(f'#!/bin/sh\necho "$MODEL $REVISION" >> {calls}\n[ ! -e {tmp_path}/FAIL ]\n')
    python.chmod(0o755)

    (tmp_path / "FAIL").touch()
    assert _run(download, folder, bin_dir).returncode != 0
    assert not (folder / ".complete").exists()
    with pytest.raises(subprocess.TimeoutExpired):  # still waiting
        _run(wait, folder, bin_dir, timeout=1)

    (tmp_path / "FAIL").unlink()
    assert _run(download, folder, bin_dir).returncode == 0
    assert (folder / ".complete").exists()
    assert _run(download, folder, bin_dir).returncode == 0  # the second run
    assert calls.read_text().splitlines() == [f"Qwen/Qwen2.5-7B-Instruct {COMMIT}"] * 2  # the failed one, then one
    assert _run(wait, folder, bin_dir).returncode == 0


def test_two_endpoints_of_one_model_share_its_folder() -> None:
    """Two endpoints of a workspace caching the same revision: each has its Job (Jobs live in the
    endpoint's namespace) and both use one folder, so a Job that starts after the other finished finds
    the marker. Two Jobs running at once both download (README: Model cache)."""
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document

    from .helpers import WORKSPACE

    source = {"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct", "revision": COMMIT, "cache": True}}
    blueprint = expand(parse_document({"workspace": WORKSPACE, "endpoints": [
        {"name": name, "source": source, "resource_shape": "gpu.a10"} for name in ("one", "two")]}))
    jobs = manifests(blueprint, "Job")
    assert len({job["metadata"]["name"] for job in jobs}) == 2
    folders = {_env(_container(job["spec"]["template"]["spec"], "download"))["MODEL_DIR"] for job in jobs}
    assert folders == {f"/model-cache/Qwen/Qwen2.5-7B-Instruct/{COMMIT}"}
    assert {p.path for p in cloud(blueprint, "access_point")} == {"/cache/huggingface"}
