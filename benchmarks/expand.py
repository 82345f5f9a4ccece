"""Validate and expand varied endpoint specs at several sizes (default 100, 1,000, 5,000 and 10,000),
in documents of at most 1,000 endpoints (the per-document limit), every blueprint kept alive as a
tool that renders them all would. Prints the time per endpoint at each size, the share of it the
garbage collector took, and, at 1,000, the peak memory.

Targets on the project's 2-core machine: at most 0.5 ms per endpoint, flat from 100 to 10,000;
at most 200 MB at 1,000. Run: .venv/bin/python benchmarks/expand.py [COUNT…]
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from itertools import cycle, islice
from typing import Any

SOURCES: list[dict[str, Any]] = [
    {"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}},
    {"filesystem": {"path": "/models/llama3"}},
    {"template": {"name": "llm-engine", "options": {"model": "Qwen/Qwen2-7B", "max_model_len": 8192}}},
    {"template": {"name": "stable-diffusion-webui", "options": {"image": "sd:1.10"}}},
    {"photon": {"name": "gpt2", "image": "registry.example.com/gpt2:1"}},
    {"container": {"image": "python:3.10", "command": ["python3", "-m", "http.server", "8080"]}},
    {"nim": {"image": "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0", "ngc_api_key_secret": "ngc-key"}},
]
SHAPES = ["cpu.small", "gpu.a10", "gpu.a100-40gb", "gpu.4xa100-80gb", "gpu.8xh100-sxm"]
SCALING: list[dict[str, Any]] = [
    {"scale_to_zero": {"no_traffic_timeout": 1800, "max_replicas": 2}},
    {"replicas": 2},
    {"qpm": {"min_replicas": 1, "max_replicas": 8, "target_qpm": 600, "methods": ["POST"], "paths": ["/v1/chat"]}},
    {"gpu_utilization": {"min_replicas": 1, "max_replicas": 4, "target_percent": 70}},
]


def specs(count: int) -> list[dict[str, Any]]:
    result = []
    for index, (source, shape, scaling) in enumerate(islice(zip(cycle(SOURCES), cycle(SHAPES), cycle(SCALING)),
                                                             count)):
        result.append({
            "name": f"endpoint-{index}", "source": source, "resource_shape": shape, "autoscaling": scaling,
            "env": {"LOG_LEVEL": "info", "INDEX": str(index)}, "secrets": {"HF_TOKEN": "hf-token"},
            "mounts": [{"from": f"/models/{index % 10}", "path": "/models", "read_only": True}] if index % 3 else [],
            "shared_memory_size": "2Gi", "health": {"initial_delay_seconds": 1800},
            "access": {"public": index % 5 == 0, "tokens": ["ci"] if index % 4 else []},
            "routing": {"header_based": index % 4 == 2},  # not with scale_to_zero (index % 4 == 0)
        })
    return result


class CollectorClock:
    """Seconds the cyclic garbage collector ran (gc.callbacks around each collection)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def documents(count: int, limit: int) -> list[dict[str, Any]]:
    workspace = {"name": "bench", "cluster": {"subnet_ids": ["subnet-1", "subnet-2"],
                                              "node_role_arn": "arn:aws:iam::123456789012:role/n"}}
    every = specs(count)
    return [{"workspace": workspace, "endpoints": every[i:i + limit]} for i in range(0, count, limit)]


def timed(count: int) -> tuple[float, float]:
    """Milliseconds per endpoint to validate and expand ``count`` specs, and the collector's share."""
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document
    from pulumi_endpoints.spec.document import MAX_ENDPOINTS

    data = documents(count, MAX_ENDPOINTS)
    clock = CollectorClock()
    gc.collect()
    gc.callbacks.append(clock)
    started = time.perf_counter()
    kept = [expand(parse_document(document)) for document in data]
    elapsed = time.perf_counter() - started
    gc.callbacks.remove(clock)
    assert sum(len(b.endpoints) for b in kept) == count
    return elapsed * 1000 / count, clock.seconds / elapsed


def main() -> None:
    counts = [int(n) for n in sys.argv[1:]] or [100, 1000, 5000, 10000]
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document

    expand(parse_document({"name": "warm-up", "source": SOURCES[0]}))  # imports and pydantic schema build
    print(f"{'endpoints':>9}  {'ms per endpoint':>15}  {'garbage collector':>17}")
    for count in counts:
        per_endpoint, collector = timed(count)
        print(f"{count:>9}  {per_endpoint:>15.3f}  {collector:>16.0%}")
    # Memory in a separate pass: tracing allocations slows Python down several times.
    tracemalloc.start()
    blueprint = expand(parse_document(documents(1000, 1000)[0]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"1,000 endpoints: {len(blueprint.cloud)} cloud resources, {len(blueprint.manifests)} manifests, "
          f"peak traced memory {peak / 2**20:.1f} MB")
    print(f"peak process RSS over the whole run: {rss_mb:.1f} MB")


if __name__ == "__main__":
    main()
