"""One test (or a few) per feature of the README's "What an endpoint expands into": feature -> resources."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_endpoints import labels as L
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.blueprint.cost import cost_band
from pulumi_endpoints.blueprint.refs import references, resolve

from .helpers import WORKSPACE, build, cloud, container, env, manifest, manifests, pod


# Row: source -> image, args, port and env of the Deployment
@pytest.mark.parametrize(("source", "image", "port", "args_contain", "health"), [
    ({"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}}, "vllm/vllm-openai:", 8080,
     ["--model", "meta-llama/Meta-Llama-3-8B-Instruct", "--revision", "main"], "/health"),
    ({"filesystem": {"path": "/models/llama3"}}, "vllm/vllm-openai:", 8080, ["--model", "/mnt/model"], "/health"),
    ({"template": {"name": "llm-engine", "options": {"model": "Qwen/Qwen2-7B", "max_model_len": 8192,
                                                     "enforce_eager": True}}},
     "vllm/vllm-openai:", 8080, ["--model", "Qwen/Qwen2-7B", "--max-model-len", "8192", "--enforce-eager"],
     "/health"),
    ({"photon": {"name": "gpt2", "image": "registry.example.com/gpt2:1"}}, "registry.example.com/gpt2:1", 8080,
     [], "/healthz"),
    ({"container": {"image": "python:3.10", "command": ["python3", "-m", "http.server", "8080"]}},
     "python:3.10", 8080, [], None),
    ({"nim": {"image": "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0", "ngc_api_key_secret": "ngc-key"}},
     "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0", 8000, [], "/v1/health/ready"),
])
def test_source_sets_image_args_port_and_probe(source, image, port, args_contain, health) -> None:
    main = container(build(source=source, resource_shape="gpu.a10"))
    assert main["image"].startswith(image)
    assert main["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    for arg in args_contain:
        assert arg in main.get("args", [])
    probe = main["readinessProbe"]
    if health:
        assert probe["httpGet"] == {"path": health, "port": "http"}
    else:
        assert probe["tcpSocket"] == {"port": "http"}


@pytest.mark.parametrize(("name", "mode"), [("stable-diffusion-webui", "--api"), ("stable-diffusion-farm", "--nowebui")])
def test_stable_diffusion_is_configured_the_images_way(name: str, mode: str) -> None:
    """ai-dock's image has no ENTRYPOINT, only CMD ["init.sh"]: container args would replace its init,
    so the web UI's flags go in WEBUI_ARGS and the image runs as built (see spec/sources.py for the sources)."""
    models = [{"from": "/models/sd", "path": "/opt/models", "read_only": True}]
    main = container(build(source={"template": {"name": name, "options": {"xformers": True}}},
                           resource_shape="gpu.a10", mounts=models))
    assert "args" not in main and "command" not in main
    assert main["ports"] == [{"name": "http", "containerPort": 7860, "protocol": "TCP"}]
    variables = {e["name"]: e.get("value") for e in main["env"]}
    assert variables["WEBUI_ARGS"] == (f"--listen {mode} --ckpt-dir /opt/models/ckpt --vae-dir /opt/models/vae "
                                       "--xformers")
    # the UI itself on the served port; no login proxy, tunnels or Jupyter beside it
    assert (variables["WEBUI_PORT_LOCAL"], variables["SERVERLESS"], variables["CF_QUICK_TUNNELS"]) == (
        "7860", "true", "false")
    assert main["readinessProbe"]["httpGet"] == main["livenessProbe"]["httpGet"] == {
        "path": "/sdapi/v1/sd-models", "port": "http"}  # a TCP probe passes as soon as anything listens
    bare = {e["name"]: e.get("value") for e in container(build(source={"template": {"name": name}},
                                                                 resource_shape="gpu.a10"))["env"]}
    assert bare["WEBUI_ARGS"] == f"--listen {mode} --no-download-sd-model"


def test_container_command_is_kept() -> None:
    main = container(build())
    assert main["command"] == ["python3", "-m", "http.server", "8080"]


def test_filesystem_model_is_mounted_read_only() -> None:
    blueprint = build(source={"filesystem": {"path": "/models/llama3"}}, resource_shape="gpu.a10")
    assert {"name": "mount-0", "mountPath": "/mnt/model", "readOnly": True} in container(blueprint)["volumeMounts"]
    assert cloud(blueprint, "access_point")[0].path == "/models/llama3"


def test_filesystem_model_is_served_under_a_name_clients_can_send() -> None:
    """vLLM names a model by its --model argument unless told otherwise: clients would have to send
    "/mnt/model" as the OpenAI model field."""
    args = container(build(source={"filesystem": {"path": "/models/llama3"}}, resource_shape="gpu.a10"))["args"]
    assert args[args.index("--served-model-name") + 1] == "demo"  # the endpoint's name
    named = build(source={"filesystem": {"path": "/m", "served_model_name": "llama3-8b"}}, resource_shape="gpu.a10")
    assert container(named)["args"][-2:] == ["--served-model-name", "llama3-8b"]


def test_nim_runs_the_way_nvidia_runs_it() -> None:
    """NVIDIA's nim-llm chart (spec/images.py names the files): live/ready probes, a start-up window of
    40 + 180 x 10 s, a writable model cache (NIM_CACHE_PATH) owned through fsGroup by its user 1000."""
    blueprint = build(source={"nim": {"image": "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0",
                                      "ngc_api_key_secret": "ngc-key"}}, resource_shape="gpu.a10")
    main = container(blueprint)
    assert main["livenessProbe"]["httpGet"]["path"] == "/v1/health/live"
    assert main["readinessProbe"]["httpGet"]["path"] == "/v1/health/ready"
    startup = main["startupProbe"]
    assert (startup["httpGet"]["path"], startup["initialDelaySeconds"], startup["periodSeconds"],
            startup["failureThreshold"]) == ("/v1/health/ready", 40, 10, 180)
    assert env(blueprint)["NIM_CACHE_PATH"] == "/cache"
    assert {"name": "cache", "mountPath": "/cache"} in main["volumeMounts"]
    pod = manifest(blueprint, "Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}, "runAsUser": 1000,
                                      "runAsGroup": 1000, "fsGroup": 1000}


@pytest.mark.parametrize("source", [{"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}},
                                    {"huggingface": {"model": "Qwen/Qwen2-7B", "engine": "sglang"}},
                                    {"template": {"name": "llm-engine", "options": {"model": "Qwen/Qwen2-7B"}}}])
def test_engines_download_into_a_bounded_cache_not_the_root_disk(source: dict) -> None:
    blueprint = build(source=source, resource_shape="gpu.a10")
    assert env(blueprint)["HF_HOME"] == "/cache/huggingface"
    volumes = manifest(blueprint, "Deployment")["spec"]["template"]["spec"]["volumes"]
    [cache] = [v for v in volumes if v["name"] == "cache"]
    assert cache["emptyDir"]["sizeLimit"] in ("20Gi", "18Gi")  # 8B or 7B fp16 weights and a quarter more


def test_sglang_is_started_with_its_launcher() -> None:
    main = container(build(source={"huggingface": {"model": "Qwen/Qwen2-7B", "engine": "sglang"}},
                           resource_shape="gpu.2xa100-80gb"))
    assert main["image"] == "lmsysorg/sglang:v0.5.6"
    assert main["command"] == ["python3", "-m", "sglang.launch_server"]  # the image has no ENTRYPOINT
    assert main["args"] == ["--model-path", "Qwen/Qwen2-7B", "--revision", "main", "--host", "0.0.0.0",
                            "--port", "8080", "--tp-size", "2", "--enable-metrics"]
    assert main["livenessProbe"]["timeoutSeconds"] == 20  # /health generates a token, up to 20 s


def test_llm_engine_options_are_the_engines_own_flags() -> None:
    def args(options: dict, shape: str = "gpu.4xa100-80gb") -> list[str]:
        return container(build(source={"template": {"name": "llm-engine", "options": {"model": "m/x", **options}}},
                               resource_shape=shape))["args"]

    assert args({})[-2:] == ["--tensor-parallel-size", "4"]  # from the shape's GPUs
    overridden = args({"tensor_parallel_size": 2})
    assert overridden.count("--tensor-parallel-size") == 1 and "2" == overridden[-1]  # replaced, not appended
    assert args({"enable_prefix_caching": False})[-1] == "--no-enable-prefix-caching"  # on by default in vLLM
    for options, message in [({"max_modl_len": 8192}, "did you mean 'max_model_len'"),
                             ({"port": 9000}, "set by the endpoint"),
                             ({"max_model_len": "long"}, "expected a whole number"),
                             ({"dtype": "fp4"}, "expected one of auto, bfloat16"),
                             ({"engine": "tgi"}, "vllm or sglang")]:
        with pytest.raises(SpecError, match=message) as refused:
            build(source={"template": {"name": "llm-engine", "options": {"model": "m/x", **options}}})
        assert refused.value.paths == ["source.template"]


def test_only_the_gateway_the_interceptor_and_prometheus_reach_the_pods() -> None:
    """The token is checked at the gateway: without a policy any pod of the cluster could call the Service."""
    policy = manifest(build(), "NetworkPolicy", "demo-ingress")["spec"]
    assert policy["podSelector"] == {"matchLabels": manifest(build(), "Service")["spec"]["selector"]}
    assert policy["policyTypes"] == ["Ingress"]
    [rule] = policy["ingress"]
    callers = sorted(f["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for f in rule["from"])
    assert callers == ["envoy-gateway-system", "keda", "monitoring"]
    assert rule["ports"] == [{"protocol": "TCP", "port": "http"}]
    quiet = manifest(build(metrics={"pull": False}), "NetworkPolicy", "demo-ingress")["spec"]["ingress"][0]["from"]
    assert "monitoring" not in str(quiet)  # no scraper, no door for it


def test_pods_run_hardened_without_an_api_token() -> None:
    blueprint = build()
    spec = pod(blueprint)
    assert spec["automountServiceAccountToken"] is False and spec["serviceAccountName"] == "demo"
    assert manifest(blueprint, "ServiceAccount")["automountServiceAccountToken"] is False
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container(blueprint)["securityContext"] == {"allowPrivilegeEscalation": False,
                                                       "capabilities": {"drop": ["ALL"]}}
    # ai-dock's init runs as root: it creates its user and switches to it (spec/images.py)
    web_ui = container(build(source={"template": {"name": "stable-diffusion-webui"}}, resource_shape="gpu.a10"))
    assert web_ui["securityContext"]["capabilities"] == {
        "drop": ["ALL"], "add": ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"]}


@pytest.mark.parametrize("length", [8, 46, 47, 52, 57, 58, 63])
def test_gpu_queries_find_the_pods_of_long_names(length: int) -> None:
    """Kubernetes cuts a generated pod name's prefix to 58 characters before its 5-character id
    (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/storage/names/generate.go: maxGeneratedNameLength),
    so <deployment>-<replicaset hash>- loses its end for long names."""
    import re

    name = ("e" * length)[: length - 1] + "z"
    blueprint = build(name=name, resource_shape="gpu.a10",
                      autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 2}})
    query = manifest(blueprint, "ScaledObject")["spec"]["triggers"][0]["metadata"]["query"]
    pattern = re.search(r'pod=~"([^"]+)"', query).group(1)  # type: ignore[union-attr]
    for rs_hash in ("6d4cf56db6", "58f9c"):
        pod_name = f"{name}-{rs_hash}-"[:58] + "x7k2p"
        assert re.fullmatch(pattern, pod_name), (pattern, pod_name)
    assert not re.fullmatch(pattern, f"{'f' * length}-6d4cf56db6-"[:58] + "x7k2p")  # another endpoint's pods


def test_nim_key_comes_from_a_secret() -> None:
    blueprint = build(source={"nim": {"image": "nvcr.io/nim/x:1", "ngc_api_key_secret": "ngc-key"}},
                      resource_shape="gpu.a10")
    assert env(blueprint)["NGC_API_KEY"] == {"secretKeyRef": {"name": "demo-env", "key": "NGC_API_KEY"}}
    assert "endpoints/prod/ngc-key" in [s.secret_id for s in cloud(blueprint, "secret")]


def test_multi_gpu_engine_uses_tensor_parallelism() -> None:
    main = container(build(source={"huggingface": {"model": "m/x-70b"}}, resource_shape="gpu.4xa100-80gb",
                           shared_memory_size="16Gi", health={"initial_delay_seconds": 1800}))
    assert main["args"][-2:] == ["--tensor-parallel-size", "4"]


# Row: resource shape -> instance type, GPU count, requests/limits, nvidia.com/gpu, price
def test_gpu_shape_sets_instance_requests_gpu_limit_and_price() -> None:
    blueprint = build(resource_shape="gpu.2xh100-sxm", shared_memory_size="16Gi")
    resources = container(blueprint)["resources"]
    assert resources["limits"][L.GPU_RESOURCE] == "2"
    assert resources["requests"] == {"cpu": "46", "memory": "480Gi"}
    assert "nvidia.com/gpu" not in resources["requests"]
    pool = cloud(blueprint, "node_pool")[0]
    assert pool.instance_types == ("p5.48xlarge",)
    summary = blueprint.endpoints[0]
    assert summary.hourly_price_per_replica == pytest.approx(98.32 / 4)  # Lepton's unit price: its share
    assert (summary.hourly_price_per_node, summary.replicas_per_node) == (98.32, 4)


@pytest.mark.parametrize(("shape", "bounds", "band"), [
    ("gpu.a100-40gb", (1, 1), (32.7726, 32.7726)),  # one GPU of eight: AWS still bills the p4d.24xlarge
    ("gpu.a100-40gb", (1, 9), (32.7726, 65.5452)),  # nine one-GPU replicas need two instances
    ("gpu.2xh100-sxm", (0, 4), (0.0, 98.32)),  # four two-GPU replicas fill one p5.48xlarge
    ("gpu.a10", (2, 3), (2.424, 3.636)),  # one GPU per instance: one instance per replica
])
def test_the_cost_band_is_what_aws_bills_whole_instances(shape: str, bounds: tuple[int, int],
                                                        band: tuple[float, float]) -> None:
    low, high = bounds
    scaling = {"gpu_utilization": {"min_replicas": max(low, 1), "max_replicas": high, "target_percent": 70}}
    if low == 0:
        scaling = {"scale_to_zero": {"max_replicas": high}}
    summary = build(resource_shape=shape, autoscaling=scaling).endpoints[0]
    cost = cost_band(summary)
    assert (cost.hourly_min, cost.hourly_max) == pytest.approx(band)


def test_mostly_idle_instances_are_a_warning() -> None:
    idle = build(resource_shape="gpu.a100-40gb", autoscaling={"replicas": 1})
    (warning,) = [f for f in idle.warnings if f.path == "resource_shape"]
    assert "1 p4d.24xlarge at $32.77/h each, of whose 8 GPUs at most 1 replica(s) use 1 (88% idle)" in warning.message
    busy = build(resource_shape="gpu.a100-40gb", autoscaling={"replicas": 5})
    assert not [f for f in busy.warnings if f.path == "resource_shape"]
    assert "EC2 also offers" not in warning.message  # no smaller A100 instance


def test_a_mostly_idle_h100_node_names_the_one_gpu_instance() -> None:
    idle = build(resource_shape="gpu.h100-sxm", autoscaling={"replicas": 1})
    (warning,) = [f for f in idle.warnings if f.path == "resource_shape"]
    assert "EC2 also offers p5.4xlarge with 1 of the same GPU" in warning.message
    four = build(resource_shape="gpu.4xh100-sxm", autoscaling={"replicas": 1})
    (warning,) = [f for f in four.warnings if f.path == "resource_shape"]
    assert "EC2 also offers" not in warning.message  # four GPUs do not fit it


def test_the_smaller_instances_are_those_ec2_lists_with_the_same_gpu() -> None:
    """Pinned against EC2's DescribeInstanceTypes as moto records it (GpuInfo per instance type)."""
    import gzip
    import json
    from pathlib import Path

    import moto

    from pulumi_endpoints.spec.shapes import CATALOG, SMALLER_SAME_GPU

    types = json.loads(gzip.decompress((Path(moto.__file__).parent / "ec2" / "resources" /
                                        "instance_types.json.gz").read_bytes()))

    def gpus(name: str) -> tuple[str, int, int]:
        (gpu,) = types[name]["GpuInfo"]["Gpus"]
        return gpu["Name"], gpu["MemoryInfo"]["SizeInMiB"], gpu["Count"]

    for instance in {shape.instance_type for shape in CATALOG.values() if shape.is_gpu}:
        model, memory, count = gpus(instance)
        smaller = sorted((name, n) for name, info in types.items() if info.get("GpuInfo")
                         and len(info["GpuInfo"]["Gpus"]) == 1 and gpus(name)[:2] == (model, memory)
                         and (n := gpus(name)[2]) < count and n > 0)
        assert sorted(SMALLER_SAME_GPU.get(instance, ())) == (smaller if count > 1 else []), instance


def test_workspace_can_override_a_shape() -> None:
    workspace = {**WORKSPACE, "shapes": {"gpu.l4": {"cpu": 6, "memory_gib": 24, "gpu_model": "L4", "gpu_count": 1,
                                                    "gpu_memory_gib": 24, "instance_type": "g6.2xlarge",
                                                    "instance_gpus": 1, "instance_hourly_usd": 0.9776}}}
    blueprint = build(workspace=workspace, resource_shape="gpu.l4")
    assert cloud(blueprint, "node_pool")[0].instance_types == ("g6.2xlarge",)


# Row: GPU node pool -> managed node group with GPU AMI, taint + toleration + selector, autoscaler tags
def test_gpu_node_pool() -> None:
    blueprint = build(resource_shape="gpu.a10", autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 4}})
    pool = cloud(blueprint, "node_pool")[0]
    assert pool.name == "prod-demo" and pool.cluster_name == "gpu-prod"
    assert pool.ami_type == "AL2023_x86_64_NVIDIA" and pool.capacity_type == "ON_DEMAND"
    assert pool.subnet_ids == ("subnet-0a", "subnet-0b")
    assert (pool.min_size, pool.max_size) == (1, 5), "4 replicas + 1 surge, one GPU per node"
    assert [(t.key, t.value, t.effect) for t in pool.taints] == [("nvidia.com/gpu", "true", "NO_SCHEDULE")]
    spec = pod(blueprint)
    assert spec["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "true",
                                    "effect": "NoSchedule"}]
    assert spec["nodeSelector"] == {L.POOL_LABEL: "prod-demo"}
    assert pool.labels[L.POOL_LABEL] == "prod-demo"
    template = "k8s.io/cluster-autoscaler/node-template"
    assert pool.tags[f"{template}/resources/nvidia.com/gpu"] == "1"
    assert pool.tags[f"{template}/taint/nvidia.com/gpu"] == "true:NoSchedule"
    assert pool.tags[f"{template}/label/{L.POOL_LABEL}"] == "prod-demo"
    assert pool.tags["managed-by"] == "pulumi-endpoints" and pool.tags["endpoint"] == "demo"


def test_cpu_node_pool_has_no_gpu_taint() -> None:
    blueprint = build()
    pool = cloud(blueprint, "node_pool")[0]
    assert pool.ami_type == "AL2023_x86_64_STANDARD" and pool.taints == ()
    assert "tolerations" not in pod(blueprint)


def test_spot_capacity_and_disk_size() -> None:
    pool = cloud(build(node_pool={"capacity_type": "spot", "disk_size_gb": 300}), "node_pool")[0]
    assert (pool.capacity_type, pool.disk_size) == ("SPOT", 300)


def test_replicas_share_a_multi_gpu_instance() -> None:
    blueprint = build(resource_shape="gpu.a100-40gb",
                      autoscaling={"gpu_utilization": {"min_replicas": 2, "max_replicas": 12}})
    pool = cloud(blueprint, "node_pool")[0]
    assert (pool.min_size, pool.max_size) == (1, 2), "8 replicas per p4d.24xlarge"


# Row: replicas / autoscaling
def test_fixed_replicas() -> None:
    blueprint = build(autoscaling={"replicas": 3})
    assert manifest(blueprint, "Deployment")["spec"]["replicas"] == 3
    assert manifests(blueprint, "ScaledObject") == manifests(blueprint, "HTTPScaledObject") == []
    pool = cloud(blueprint, "node_pool")[0]
    assert (pool.min_size, pool.desired_size, pool.max_size) == (3, 3, 4)


def test_qpm_autoscaling_uses_a_prometheus_trigger_filtered_by_method_and_path() -> None:
    blueprint = build(autoscaling={"qpm": {"min_replicas": 1, "max_replicas": 8, "target_qpm": 600,
                                           "methods": ["POST"], "paths": ["/v1/chat/completions"]}})
    scaled = manifest(blueprint, "ScaledObject")["spec"]
    assert (scaled["minReplicaCount"], scaled["maxReplicaCount"]) == (1, 8)
    trigger = scaled["triggers"][0]
    assert trigger["type"] == "prometheus" and trigger["metricType"] == "AverageValue"
    assert trigger["metadata"]["threshold"] == "600"
    query = trigger["metadata"]["query"]
    assert 'http_request_method=~"POST"' in query and 'http_route=~"/v1/chat/completions"' in query
    assert query.endswith("* 60")
    route = manifest(blueprint, "HTTPRoute")
    assert route["spec"]["rules"][0]["backendRefs"][0]["name"] == "demo", "no interceptor needed"


def test_gpu_utilization_autoscaling() -> None:
    blueprint = build(resource_shape="gpu.a10",
                      autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 4, "target_percent": 70}})
    trigger = manifest(blueprint, "ScaledObject")["spec"]["triggers"][0]
    assert trigger["metadata"]["query"].startswith("avg(DCGM_FI_DEV_GPU_UTIL{")
    assert trigger["metadata"]["threshold"] == "70" and trigger["metricType"] == "Value"


def test_scale_to_zero_routes_through_the_interceptor_for_scale_from_zero() -> None:
    blueprint = build(autoscaling={"scale_to_zero": {"no_traffic_timeout": 600, "max_replicas": 3}})
    backend = manifest(blueprint, "HTTPRoute")["spec"]["rules"][0]["backendRefs"][0]
    assert (backend["name"], backend["namespace"]) == ("keda-add-ons-http-interceptor-proxy", "keda")
    scaler = manifest(blueprint, "HTTPScaledObject")["spec"]
    assert scaler["hosts"] == ["demo.prod.example.com"]
    assert scaler["scaleTargetRef"]["service"] == "demo" and scaler["scaledownPeriod"] == 600
    grant = manifest(blueprint, "ReferenceGrant")
    assert (grant["metadata"]["namespace"], grant["metadata"]["labels"][L.ENDPOINT_LABEL]) == ("keda", "demo")
    assert grant["spec"]["from"][0] == {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                        "namespace": "endpoints-demo"}
    assert cloud(blueprint, "node_pool")[0].min_size == 0


# Row: env vars, secrets, predefined env
def test_env_predefined_user_and_secret_references() -> None:
    blueprint = build(resource_shape="gpu.a10", env={"LOG_LEVEL": "info"}, secrets={"HF_TOKEN": "hf-token"},
                      include_workspace_token=True)
    values = env(blueprint)
    assert values["LEPTON_DEPLOYMENT_NAME"] == "demo" and values["LEPTON_WORKSPACE_ID"] == "prod"
    assert values["LEPTON_RESOURCE_ACCELERATOR_TYPE"] == "A10G"
    assert values["LEPTON_PHOTON_ID"].startswith("demo-")
    assert values["LOG_LEVEL"] == "info"
    assert values["HF_TOKEN"] == {"secretKeyRef": {"name": "demo-env", "key": "HF_TOKEN"}}
    assert values["LEPTON_WORKSPACE_TOKEN"] == {"secretKeyRef": {"name": "demo-env", "key": "LEPTON_WORKSPACE_TOKEN"}}
    external = manifest(blueprint, "ExternalSecret", "demo-env")["spec"]
    assert {d["secretKey"]: d["remoteRef"]["key"] for d in external["data"]} == {
        "HF_TOKEN": "endpoints/prod/hf-token", "LEPTON_WORKSPACE_TOKEN": "endpoints/prod/workspace-token"}
    assert external["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "aws-secrets-manager"}
    secret_ids = [s.secret_id for s in cloud(blueprint, "secret")]
    assert secret_ids == ["endpoints/prod/hf-token", "endpoints/prod/workspace-token"]


# Row: access
def test_extra_tokens_and_ip_allowlist() -> None:
    blueprint = build(access={"tokens": ["ci-token"], "ip_allowlist": ["10.0.0.0/8", "192.0.2.1"]})
    tokens = manifest(blueprint, "ExternalSecret", "demo-tokens")["spec"]["data"]
    assert sorted(d["secretKey"] for d in tokens) == ["ci-token", "workspace-token"]
    policy = manifest(blueprint, "SecurityPolicy")["spec"]
    assert policy["targetRefs"] == [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "demo"}]
    assert policy["authorization"]["rules"][0]["principal"]["clientCIDRs"] == ["10.0.0.0/8", "192.0.2.1/32"]
    route = manifest(blueprint, "HTTPRoute")["spec"]
    assert route["parentRefs"][0] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                      "name": "endpoints", "namespace": "gateway"}
    assert route["hostnames"] == ["demo.prod.example.com"]


def test_public_endpoint_has_no_token_check() -> None:
    blueprint = build(access={"public": True})
    assert manifests(blueprint, "SecurityPolicy") == []
    assert manifests(blueprint, "ExternalSecret") == []
    assert blueprint.endpoints[0].token_secret is None


# Row: file system mounts
def test_mounts_expand_to_efs_access_points_and_static_volumes() -> None:
    blueprint = build(mounts=[{"from": "/models/llama3", "path": "/models", "read_only": True},
                              {"from": "/scratch", "path": "/data"}])
    fs = cloud(blueprint, "file_system")[0]
    assert fs.creation_token == "endpoints-prod-shared" and fs.deletion_protection and fs.encrypted
    workspace_subnets = ["subnet-0b", "subnet-0a"]  # as the test workspace lists them
    assert [(t.name, t.subnet_id) for t in cloud(blueprint, "mount_target")] == [
        (f"shared-{index}", subnet) for index, subnet in enumerate(workspace_subnets)]  # named by place
    assert [t.security_group_ids for t in cloud(blueprint, "mount_target")] == [("sg-01",), ("sg-01",)]
    points = cloud(blueprint, "access_point")
    assert [(p.name, p.path) for p in points] == [("demo-mount-0", "/models/llama3"), ("demo-mount-1", "/scratch")]
    volumes = manifests(blueprint, "PersistentVolume")
    assert volumes[0]["spec"]["csi"]["driver"] == "efs.csi.aws.com"
    assert volumes[0]["spec"]["accessModes"] == ["ReadOnlyMany"]
    handle = volumes[0]["spec"]["csi"]["volumeHandle"]
    assert references(volumes[0]) == {("file_system", "shared", "id"), ("access_point", "demo-mount-0", "id")}
    filled = resolve(volumes[0], {("file_system", "shared", "id"): "fs-1",
                                  ("access_point", "demo-mount-0", "id"): "fsap-2"})
    assert filled["spec"]["csi"]["volumeHandle"] == "fs-1::fsap-2" != handle
    claims = manifests(blueprint, "PersistentVolumeClaim")
    assert [c["spec"]["volumeName"] for c in claims] == [v["metadata"]["name"] for v in volumes]
    mounts = container(blueprint)["volumeMounts"]
    assert mounts == [{"name": "mount-0", "mountPath": "/models", "readOnly": True},
                      {"name": "mount-1", "mountPath": "/data", "readOnly": False}]


# Row: visibility (what each subject may do is evaluated in tests/core/test_rbac.py)
@pytest.mark.parametrize(("visibility", "viewers"), [
    ("private", ["endpoints:admins"]), ("public", ["endpoints:admins", "endpoints:members"])])
def test_visibility_labels_and_rbac(visibility, viewers) -> None:
    blueprint = build(visibility=visibility, owner="alice@example.com")
    bindings = {b["metadata"]["name"]: b["subjects"] for b in manifests(blueprint, "RoleBinding")}
    assert [s["name"] for s in bindings["demo-access"] if s["kind"] == "Group"] == viewers
    assert [s["name"] for s in bindings["demo-operate"] if s["kind"] == "Group"] == ["endpoints:admins"]
    assert all([s["name"] for s in subjects if s["kind"] == "User"] == ["alice@example.com"]
               for subjects in bindings.values())
    assert manifest(blueprint, "Deployment")["metadata"]["labels"][L.VISIBILITY_LABEL] == visibility


# Row: shared memory
def test_shared_memory_is_a_memory_backed_empty_dir_at_dev_shm() -> None:
    blueprint = build(shared_memory_size="2Gi")
    assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}} in pod(blueprint)["volumes"]
    assert {"name": "dshm", "mountPath": "/dev/shm"} in container(blueprint)["volumeMounts"]


# Row: health
def test_custom_initial_delay_goes_on_the_liveness_probe() -> None:
    main = container(build(health={"initial_delay_seconds": 1200, "path": "/ready"}))
    assert main["livenessProbe"]["initialDelaySeconds"] == 1200
    assert main["readinessProbe"]["initialDelaySeconds"] == 5
    assert main["livenessProbe"]["httpGet"]["path"] == "/ready"


# Row: require approval
def test_require_approval_adds_a_readiness_gate() -> None:
    assert pod(build(require_approval=True))["readinessGates"] == [{"conditionType": L.APPROVAL_CONDITION}]
    assert "readinessGates" not in pod(build())


# Row: timeouts
def test_timeouts_reach_the_route_its_policy_and_the_interceptor() -> None:
    blueprint = build(health={"initial_delay_seconds": 900}, timeouts={"request": 1800, "idle": 120})
    assert manifest(blueprint, "HTTPRoute")["spec"]["rules"][0]["timeouts"] == {"request": "45m"}  # 900 + 1800 s
    assert manifest(blueprint, "BackendTrafficPolicy")["spec"]["timeout"] == {"http": {"streamIdleTimeout": "2m"}}
    assert manifest(blueprint, "HTTPScaledObject")["spec"]["timeouts"] == {"conditionWait": "15m",
                                                                          "responseHeader": "30m"}
    # No limit: "0s" disables a Gateway API timeout, but the add-on reads a zero duration as "use the
    # global default" (kedacore/http-add-on interceptor/proxy_handlers.go at v0.13.0, pkg/routing/table.go
    # after), so the interceptor gets the longest wait instead.
    unlimited = build(autoscaling={"scale_to_zero": {}}, timeouts={"request": 0})
    assert manifest(unlimited, "HTTPRoute")["spec"]["rules"][0]["timeouts"] == {"request": "0s"}
    assert manifest(unlimited, "HTTPScaledObject")["spec"]["timeouts"]["responseHeader"] == "24h"
    warm = build(autoscaling={"replicas": 2})
    assert manifest(warm, "HTTPRoute")["spec"]["rules"][0]["timeouts"] == {"request": "10m"}  # no cold start to cover


# Row: metrics, logs, header routing, registry auth
def test_metrics_logs_routing_and_registry_auth() -> None:
    blueprint = build(routing={"header_based": True, "header": "X-Session"}, image_pull_secrets=["regcred"],
                      logs={"collect": False}, autoscaling={"replicas": 2})
    monitor = manifest(blueprint, "PodMonitor")["spec"]
    assert monitor["podMetricsEndpoints"] == [{"port": "http", "path": "/metrics", "interval": "30s"}]
    policy = manifest(blueprint, "BackendTrafficPolicy")["spec"]["loadBalancer"]
    assert policy == {"type": "ConsistentHash", "consistentHash": {"type": "Header", "header": {"name": "X-Session"}}}
    spec = pod(blueprint)
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]
    template = manifest(blueprint, "Deployment")["spec"]["template"]["metadata"]
    assert "annotations" not in template
    collecting = manifest(build(), "Deployment")["spec"]["template"]["metadata"]
    assert collecting["annotations"] == {L.LOGS_ANNOTATION: "true"}
    assert manifests(build(metrics={"pull": False}), "PodMonitor") == []


# Row: calling (URL + token) and billing (cost band inputs)
def test_summary_has_url_token_and_price() -> None:
    summary = build(resource_shape="gpu.a10", autoscaling={"replicas": 2}).endpoints[0]
    assert summary.url == "https://demo.prod.example.com"
    assert summary.token_secret == "workspace-token"
    assert (summary.min_replicas, summary.max_replicas) == (2, 2)
    assert summary.hourly_price_per_replica == summary.hourly_price_per_node == 1.212


def test_disruption_budget_only_with_several_replicas() -> None:
    assert manifests(build(), "PodDisruptionBudget") == []
    budget = manifest(build(autoscaling={"replicas": 2}), "PodDisruptionBudget")
    assert budget["spec"]["maxUnavailable"] == 1


def test_every_object_carries_the_endpoint_labels() -> None:
    blueprint = build(labels={"team": "ml"})
    workspace_level = [(m["kind"], m["metadata"]["name"]) for m in blueprint.manifests
                       if L.ENDPOINT_LABEL not in m["metadata"]["labels"]]
    assert workspace_level == [("NetworkPolicy", "endpoints-prod-interceptor")]  # the default scales to zero
    for m in blueprint.manifests_of("demo"):
        assert m["metadata"]["labels"]["team"] == "ml", m["kind"]
    assert len(blueprint.manifests_of("demo")) == len(blueprint.manifests) - 1 and blueprint.cloud_of("demo")


# Row: security (opt-in hardening beyond the defaults)
def test_non_root_and_read_only_root_file_system_are_opt_ins() -> None:
    default = build(source={"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct"}}, resource_shape="gpu.a10")
    assert "runAsNonRoot" not in pod(default)["securityContext"]
    assert "readOnlyRootFilesystem" not in container(default)["securityContext"]
    hardened = build(source={"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct"}}, resource_shape="gpu.a10",
                     security={"run_as_user": 10001, "read_only_root_filesystem": True})
    assert pod(hardened)["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}, "runAsNonRoot": True,
                                                "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001}
    main = container(hardened)
    assert main["securityContext"]["readOnlyRootFilesystem"] is True
    # The writable places an engine needs: its cache volume and /tmp, with HOME there for ~/.cache.
    assert {m["mountPath"] for m in main["volumeMounts"]} == {"/cache", "/tmp"}
    assert {"name": "tmp", "emptyDir": {"sizeLimit": "10Gi"}} in pod(hardened)["volumes"]
    assert env(hardened)["HOME"] == "/tmp"
    assert env(build(security={"read_only_root_filesystem": True}, env={"HOME": "/data"}))["HOME"] == "/data"


def test_an_image_whose_init_needs_root_cannot_be_made_non_root() -> None:
    with pytest.raises(SpecError) as raised:
        build(source={"template": {"name": "stable-diffusion-webui"}}, resource_shape="gpu.a10",
              security={"run_as_user": 1000, "read_only_root_filesystem": True})
    assert [p.path for p in raised.value.problems] == ["security.run_as_user", "security.read_only_root_filesystem"]
    assert "starts as root" in str(raised.value)


def test_a_mount_where_the_endpoint_mounts_its_own_volume_is_refused() -> None:
    with pytest.raises(SpecError) as raised:
        build(source={"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct"}}, resource_shape="gpu.a10",
              mounts=[{"from": "/x", "path": "/cache"}])
    assert [p.path for p in raised.value.problems] == ["mounts[0].path"]


def test_the_interceptor_accepts_proxy_traffic_only_from_the_gateway() -> None:
    """A workspace-level policy: any pod could otherwise reach a private scale-to-zero endpoint through
    the interceptor by its Host header, around the gateway's token check."""
    to_zero = {"scale_to_zero": {"no_traffic_timeout": 600, "max_replicas": 3}}
    policy = next(m for m in build(autoscaling=to_zero).manifests_of(None) if m["kind"] == "NetworkPolicy")
    assert (policy["metadata"]["namespace"], policy["metadata"]["name"]) == ("keda", "endpoints-prod-interceptor")
    assert policy["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/component": "interceptor",
                                                            "app.kubernetes.io/name": "http-add-on"}
    proxy, others = policy["spec"]["ingress"]
    assert proxy["from"] == [{"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": "envoy-gateway-system"}}}]
    assert [p["port"] for p in proxy["ports"]] == ["proxy", "proxy-tls"]
    assert "from" not in others and [p["port"] for p in others["ports"]] == ["admin", "metrics"]
    kustomize = {"app.kubernetes.io/instance": "interceptor", "app.kubernetes.io/name": "http"}
    relabelled = build({**WORKSPACE, "keda": {"interceptor_pod_labels": kustomize}}, autoscaling=to_zero)
    assert manifest(relabelled, "NetworkPolicy", "endpoints-prod-interceptor")["spec"]["podSelector"] == {
        "matchLabels": kustomize}
    assert not manifests(build({**WORKSPACE, "keda": {"restrict_interceptor": False}}, autoscaling=to_zero),
                         "NetworkPolicy", "endpoints-prod-interceptor")
    assert not manifests(build(autoscaling={"replicas": 1}), "NetworkPolicy", "endpoints-prod-interceptor")


# Row: autoscaling, queue mode (a fifth mode beside Lepton's four)
@pytest.mark.parametrize(("engine", "metric"), [("vllm", "vllm:num_requests_waiting"),
                                                 ("sglang", "sglang:num_queue_reqs")])
def test_queue_autoscaling_scales_on_the_engines_waiting_requests(engine: str, metric: str) -> None:
    blueprint = build(source={"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct", "engine": engine}},
                      resource_shape="gpu.a10",
                      autoscaling={"queue": {"min_replicas": 1, "max_replicas": 6, "target_waiting": 4}})
    scaler = manifest(blueprint, "ScaledObject")["spec"]
    assert (scaler["minReplicaCount"], scaler["maxReplicaCount"]) == (1, 6)
    (trigger,) = scaler["triggers"]
    assert trigger["metricType"] == "AverageValue" and trigger["metadata"]["threshold"] == "4"
    assert trigger["metadata"]["query"] == (f'sum({metric}{{namespace="endpoints-demo",'
                                            'pod=~"demo-[a-z0-9]+-[a-z0-9]+"})')
    assert manifest(blueprint, "PodMonitor")["spec"]["podMetricsEndpoints"][0]["path"] == "/metrics"
    assert (blueprint.endpoints[0].min_replicas, blueprint.endpoints[0].max_replicas) == (1, 6)


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "exposes no queue-depth metric"),  # a plain container: nothing known about its metrics
    ({"source": {"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct"}}, "resource_shape": "gpu.a10",
      "metrics": {"pull": False}}, "metrics.pull must be true"),
])
def test_queue_autoscaling_needs_an_engine_queue_metric_it_can_read(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message) as raised:
        build(autoscaling={"queue": {"max_replicas": 2, "target_waiting": 4}}, **fields)
    assert [p.path for p in raised.value.problems] == ["autoscaling.queue"]


def test_queue_autoscaling_keeps_a_replica() -> None:
    with pytest.raises(SpecError, match="greater than or equal to 1"):
        build(autoscaling={"queue": {"min_replicas": 0, "max_replicas": 2, "target_waiting": 4}})


def test_every_catalog_instance_is_an_ec2_instance_type() -> None:
    """moto accepts any name; EKS refuses a node group of an instance type EC2 does not have. The list is
    the EC2 API's InstanceType enum in botocore."""
    from pulumi_endpoints.aws.config import api_enum
    from pulumi_endpoints.spec.shapes import CATALOG, SMALLER_SAME_GPU

    known = set(api_enum("ec2", "InstanceType"))
    named = {shape.instance_type for shape in CATALOG.values()}
    named |= {name for smaller in SMALLER_SAME_GPU.values() for name, _ in smaller}
    assert named - known == set()
