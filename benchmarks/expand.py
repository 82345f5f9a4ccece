"""Validate and expand 1,000 varied endpoint specs; print seconds and peak memory.

Target on the project's 2-core machine: at most 1 s and 200 MB.
Run: .venv/bin/python benchmarks/expand.py [COUNT]
"""

from __future__ import annotations

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
            "routing": {"header_based": index % 2 == 0},
        })
    return result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    data = {"workspace": {"name": "bench", "cluster": {"subnet_ids": ["subnet-1", "subnet-2"],
                                                       "node_role_arn": "arn:aws:iam::123456789012:role/n"}},
            "endpoints": specs(count)}
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document

    expand(parse_document({"name": "warm-up", "source": SOURCES[0]}))  # imports and pydantic schema build
    started = time.perf_counter()
    document = parse_document(data)
    validated = time.perf_counter()
    blueprint = expand(document)
    finished = time.perf_counter()
    del blueprint, document
    # Memory in a second pass: tracing allocations slows Python down several times.
    tracemalloc.start()
    blueprint = expand(parse_document(data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"endpoints:            {count}")
    print(f"cloud resources:      {len(blueprint.cloud)}")
    print(f"manifests:            {len(blueprint.manifests)}")
    print(f"validate seconds:     {validated - started:.3f}")
    print(f"expand seconds:       {finished - validated:.3f}")
    print(f"total seconds:        {finished - started:.3f}  (target <= 1.0)")
    print(f"peak traced memory:   {peak / 2**20:.1f} MB")
    print(f"peak process RSS:     {rss_mb:.1f} MB  (target <= 200)")


if __name__ == "__main__":
    main()
