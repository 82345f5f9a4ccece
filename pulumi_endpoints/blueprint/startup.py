"""A replica's cold start, estimated before deploying.

Four steps, in order: a new GPU node, the image pull, loading the weights (from the Hugging Face
Hub, or the workspace file system for a model cache or a model there) and the engine's own start
(imports, memory profiling, torch.compile, CUDA graphs). The liveness probe's clock starts with the
container, so it has to cover the last two; the scale-from-zero interceptor holds the first request
through all four. Every figure below is an assumption with its source; the README's "Start-up
budget" lists them. What a source gives no figure for is left out and said so.
"""

from __future__ import annotations

import math

from ..spec.endpoint import LIVENESS_PROBE
from ..spec.images import SGLANG, VLLM, EngineFacts
from .containers import server
from .model import ColdStart
from .plan import FALLBACK_BILLIONS, EndpointPlan, per_plan

MB = 10**6
MIB = 2**20
GIB = 2**30

# A GPU node from nothing to schedulable: launch, join, NVIDIA device plugin. "the GPU machines
# successfully join the cluster and pods start running within 4-6 minutes" (kubernetes/autoscaler#3464).
NODE_SECONDS = 300
# "Standard Docker image pulls of 15–20 GB can take 4–6 minutes per instance" (AWS Machine Learning
# Blog, "Reducing container cold start times using SOCI index on DLAMI and DLC"): 17.5 GB in 5 min.
PULL_BYTES_PER_SECOND = 58 * MB
# Compressed sizes of the pinned engine images: vllm/vllm-openai "around 12 GB" (vllm-project/vllm#27154),
# lmsysorg/sglang 11 GB (sgl-project/sglang#3673).
IMAGE_BYTES = {VLLM.image: 12 * 10**9, SGLANG.image: 11 * 10**9}
# Weights from the Hub into GPU memory: Qwen3-235B (470 GB) in 757 s on EC2 8×H100, the slowest of the
# three models Ray Serve LLM measured (ray-project/ray doc/source/serve/llm/user-guides/model-loading.md).
HUB_BYTES_PER_SECOND = 620 * MB
# Reads by one client from EFS (Amazon EFS user guide, "Performance specifications"): 1,500 MiB/s
# with Elastic throughput, 500 MiB/s with Provisioned or Bursting; Bursting file systems under 1 TiB
# burst to 100 MiB/s.
EFS_CLIENT_BYTES_PER_SECOND = {"elastic": 1500 * MIB, "provisioned": 500 * MIB, "bursting": 100 * MIB}
# The engine's start besides loading weights, by billions of parameters: time to first token minus
# model load time in Ray Serve LLM's baseline (same page): 8B 85 s, 70B 146 s, 235B 238 s.
ENGINE_START_SECONDS = ((8.0, 85.0), (70.0, 146.0), (235.0, 238.0))


@per_plan
def cold_start(plan: EndpointPlan) -> ColdStart:
    srv = server(plan)
    unknown = []
    image_bytes = _image_bytes(plan, srv.image)
    if image_bytes is None:
        unknown.append("image pull (unknown image size: set source.image_size_gib)")
    weights = engine = 0
    if isinstance(srv.facts, EngineFacts):  # vLLM or SGLang, whatever image runs it
        weights = math.ceil(plan.model_gib * GIB / _weights_rate(plan))
        engine = math.ceil(_engine_start(plan.model_billions or FALLBACK_BILLIONS))
    else:
        unknown.append("the server's own start (no figures for this image)")
    pull = math.ceil((image_bytes or 0) / PULL_BYTES_PER_SECOND)
    return ColdStart(NODE_SECONDS, pull, weights, engine, tuple(unknown))


def scale_from_zero_wait(plan: EndpointPlan) -> int:
    """Seconds the scale-from-zero interceptor holds a request while the first replica starts: as set,
    else the start-up budget in whole minutes, at least the start-up grace."""
    if plan.spec.timeouts.scale_from_zero is not None:
        return plan.spec.timeouts.scale_from_zero
    return max(plan.start_up_grace, math.ceil(cold_start(plan).total / 60) * 60)


def liveness_window(plan: EndpointPlan) -> int:
    """Seconds from container start until the kubelet restarts a replica that never answers: the
    image's start-up probe's delay and failures in a row when it has one (liveness waits for it),
    else the liveness probe's."""
    facts = server(plan).facts
    if facts and facts.startup:
        return facts.startup.delay + facts.startup.period * facts.startup.failures
    _, period, _, failures = LIVENESS_PROBE
    return plan.start_up_grace + period * failures


def _image_bytes(plan: EndpointPlan, image: str) -> float | None:
    override = plan.spec.source.image_size_gib
    return override * GIB if override is not None else IMAGE_BYTES.get(image)


def _weights_rate(plan: EndpointPlan) -> float:
    if plan.cached_model is None and plan.spec.source.filesystem is None:
        return HUB_BYTES_PER_SECOND
    files = plan.workspace.filesystem
    rate: float = EFS_CLIENT_BYTES_PER_SECOND[files.throughput_mode]
    if files.throughput_mode == "provisioned" and files.provisioned_throughput_mibps:
        rate = min(rate, files.provisioned_throughput_mibps * MIB)
    return rate


def _engine_start(billions: float) -> float:
    """Linear between the measured sizes, flat beyond them."""
    points = ENGINE_START_SECONDS
    if billions <= points[0][0]:
        return points[0][1]
    for (low, low_s), (high, high_s) in zip(points, points[1:]):
        if billions <= high:
            return low_s + (high_s - low_s) * (billions - low) / (high - low)
    return points[-1][1]
