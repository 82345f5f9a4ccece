"""What each image the sources run needs to start and serve, as its upstream sources say.

One entry per engine, the Stable Diffusion templates' image and NVIDIA NIM: the pinned image, how
Kubernetes starts it (``command``, else the image's ENTRYPOINT; settings in ``args`` or env), the
port, the probes' paths, the metrics path, the user it runs as and the folder it downloads weights
to. Each entry names the upstream files its facts come from (``owner/repo@ref:path:lines``) so a
reader can check them. The renderer (``blueprint/containers.py``) follows these entries and
tests/core/test_image_facts.py checks every rendered Deployment against them. What only a GPU run
can confirm (that a model loads, how long it takes) is not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CACHE_PATH = "/cache"  # where a cache volume is mounted for images that download weights


@dataclass(frozen=True)
class StartupProbe:
    path: str
    delay: int
    period: int
    failures: int


@dataclass(frozen=True)
class ImageFacts:
    image: str  # the pinned default
    port: int  # the port it is told (or built) to listen on
    command: tuple[str, ...] | None  # what Kubernetes runs; None: the image's ENTRYPOINT, settings in args
    liveness: str  # HTTP path
    readiness: str  # HTTP path
    metrics: str | None  # Prometheus path; None: none
    queue_metric: str | None = None  # requests waiting for the engine (queue-depth autoscaling)
    startup: StartupProbe | None = None
    probe_timeout: int | None = None  # seconds, when a health check takes longer than Kubernetes' 1 s
    run_as: int | None = None  # uid, gid and fsGroup; None: the image's own user (root)
    cache_env: dict[str, str] = field(default_factory=dict)  # env that points the image at CACHE_PATH
    env: dict[str, str] = field(default_factory=dict)  # env the image needs to start the way we run it
    capabilities: tuple[str, ...] = ()  # Linux capabilities it needs back after all are dropped
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineFacts(ImageFacts):
    """An LLM engine: how it is told its model and GPUs, and which flags it takes (``data/<file>``)."""

    model_flag: str = "--model"
    parallel_option: str = "tensor_parallel_size"  # the option setting tensor parallelism
    launch_args: tuple[str, ...] = ()  # always given
    negatable_switches: bool = False  # its on/off flags also take a --no- form (argparse BooleanOptionalAction)
    flags_file: str = ""
    # Options the endpoint sets itself: the model and revision from their own options, host and port.
    reserved_options: frozenset[str] = frozenset({"model", "revision", "host", "port"})


VLLM = EngineFacts(
    # ENTRYPOINT python3 -m vllm.entrypoints.openai.api_server: settings as args
    image="vllm/vllm-openai:v0.10.2", port=8080, command=None,
    flags_file="vllm-v0.10.2.flags", negatable_switches=True,
    liveness="/health", readiness="/health", metrics="/metrics", queue_metric="vllm:num_requests_waiting",
    cache_env={"HF_HOME": f"{CACHE_PATH}/huggingface"},  # default /root/.cache/huggingface: the node's root disk
    sources=("vllm-project/vllm@v0.10.2:docker/Dockerfile:535-537",
             "vllm-project/vllm@v0.10.2:vllm/entrypoints/openai/api_server.py:361-385,447-451",
             "vllm-project/vllm@v0.10.2:vllm/model_executor/model_loader/weight_utils.py:124",
             "vllm-project/vllm@v0.10.2:vllm/v1/metrics/loggers.py:168,189",
             "vllm-project/vllm@v0.10.2:vllm/engine/arg_utils.py:163-265,491"))

SGLANG = EngineFacts(
    image="lmsysorg/sglang:v0.5.6", port=8080, command=("python3", "-m", "sglang.launch_server"),  # no ENTRYPOINT
    model_flag="--model-path", parallel_option="tp_size", flags_file="sglang-v0.5.6.flags",
    launch_args=("--enable-metrics",),  # /metrics exists only with it
    reserved_options=frozenset({"model_path", "model", "revision", "host", "port"}),
    liveness="/health", readiness="/health", metrics="/metrics", queue_metric="sglang:num_queue_reqs",
    probe_timeout=20,  # /health runs a one-token generation and waits up to 20 s (SGLANG_HEALTH_CHECK_TIMEOUT)
    cache_env={"HF_HOME": f"{CACHE_PATH}/huggingface"},
    sources=("sgl-project/sglang@v0.5.6:docker/Dockerfile:1-2,326",
             "sgl-project/sglang@v0.5.6:python/sglang/srt/entrypoints/http_server.py:136,409-485",
             "sgl-project/sglang@v0.5.6:python/sglang/srt/server_args.py:2050-2056,2408-2414,2534-2538",
             "sgl-project/sglang@v0.5.6:docker/k8s-sglang-service.yaml:46-97",
             "sgl-project/sglang@v0.5.6:python/sglang/srt/metrics/collector.py:232-236,274-278"))

NIM = ImageFacts(
    image="", port=8000, command=None,  # the image is the user's: a NIM per model
    liveness="/v1/health/live", readiness="/v1/health/ready", metrics="/metrics",  # /v1/metrics from NIM 1.5
    startup=StartupProbe("/v1/health/ready", delay=40, period=10, failures=180),
    run_as=1000, cache_env={"NIM_CACHE_PATH": CACHE_PATH},
    sources=("NVIDIA/nim-deploy@e653d6620fef:helm/nim-llm/values.yaml:106-109,204-246,277-281",
             "NVIDIA/nim-deploy@e653d6620fef:helm/nim-llm/templates/deployment.yaml:46-47,162-170,250-284",
             "NVIDIA/nim-deploy@3c6bcbd:kserve/runtimes/llama3-8b-instruct-1.0.0.yaml:7-8,20-25,38-39,51-54"))

_WEB_UI_PORT = 7860
STABLE_DIFFUSION = ImageFacts(
    image="ghcr.io/ai-dock/stable-diffusion-webui:v2-cuda-12.1.1-base-22.04-v1.10.1", port=_WEB_UI_PORT,
    command=None,  # no ENTRYPOINT, CMD ["init.sh"]: args would replace the image's init, so flags go in env
    liveness="/sdapi/v1/sd-models", readiness="/sdapi/v1/sd-models", metrics=None,
    # SERVERLESS leaves out the login proxy, Cloudflare tunnels, Jupyter and sshd; the UI listens on the port.
    env={"SERVERLESS": "true", "CF_QUICK_TUNNELS": "false", "WEBUI_PORT_LOCAL": str(_WEB_UI_PORT)},
    # Its init runs as root: creates the web UI's user, chowns folders, supervisord switches to that user
    # (ai-dock/base-image@b8bc35f init.sh:184-193,246-262). Not confirmed on a cluster: see the README.
    capabilities=("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"),
    sources=("ai-dock/stable-diffusion-webui@4aeb23b:build/Dockerfile:40",
             "ai-dock/stable-diffusion-webui@4aeb23b:build/COPY_ROOT_1/opt/ai-dock/bin/supervisor-webui.sh:5,73-79",
             "ai-dock/stable-diffusion-webui@4aeb23b:build/COPY_ROOT_1/opt/ai-dock/bin/preflight.d/10-default.sh:5-10",
             "ai-dock/stable-diffusion-webui@4aeb23b:.github/workflows/docker-build.yml:103,157-164",
             "ai-dock/base-image@b8bc35f:build/COPY_ROOT_0/opt/ai-dock/bin/init.sh:47-49,164-173"))
STABLE_DIFFUSION_ARGS_ENV = "WEBUI_ARGS"  # the web UI's flags, split on spaces

ENGINES: dict[str, EngineFacts] = {"vllm": VLLM, "sglang": SGLANG}  # the keys are sources.Engine


# The model cache's Job downloads with the engine's own image: both engines call huggingface_hub's
# snapshot_download(repo_id, revision=, local_dir=) themselves, so their images carry it; its
# HF_HUB_OFFLINE=1 then keeps the server from reaching the hub.
CACHE_DOWNLOAD_SOURCES = (
    "vllm-project/vllm:vllm/model_executor/model_loader/weight_utils.py:26 "
    "(from huggingface_hub import HfFileSystem, hf_hub_download, snapshot_download)",
    "sgl-project/sglang:python/sglang/srt/lora/lora_config.py:20 (from huggingface_hub import snapshot_download)",
    "huggingface/huggingface_hub:src/huggingface_hub/constants.py (HF_HUB_OFFLINE from the environment)",
)
