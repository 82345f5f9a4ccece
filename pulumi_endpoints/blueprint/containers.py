"""The serving container of each source: image, command, port, env and probes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..spec import engine_flags as flags
from ..spec.fields import (ACCELERATOR_TYPE_ENV, DEPLOYMENT_NAME_ENV, PHOTON_ID_ENV, PHOTON_NAME_ENV, WORKSPACE_ID_ENV,
                           WORKSPACE_TOKEN_ENV)
from ..spec import images
from ..spec.sources import (MODEL_CACHE_FOLDER, MODEL_MOUNT_PATH, NIM_API_KEY_ENV, PHOTON_HEALTH_PATH,
                            STABLE_DIFFUSION_MODELS, Template)
from ..spec.images import ImageFacts
from ..spec.endpoint import LIVENESS_PROBE, READINESS_PROBE
from . import naming
from .plan import EndpointPlan, per_plan

TMP_PATH = "/tmp"  # an emptyDir when the root file system is read-only
MODEL_CACHE_PATH = "/model-cache"  # where the server and the cache's Job mount the model cache
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1"}  # huggingface_hub: never reach the hub (the cache holds the model)
HF_TOKEN_ENV = "HF_TOKEN"  # where huggingface_hub reads a token (gated models)


@dataclass(frozen=True)
class Server:
    image: str
    port: int
    command: list[str] | None = None
    args: list[str] = field(default_factory=list)
    health_path: str | None = None  # a user's image: one HTTP path for both probes, None for TCP
    facts: ImageFacts | None = None  # an image whose needs are known (spec/images.py)
    env: dict[str, str] = field(default_factory=dict)  # what the image is configured by
    secret_env: dict[str, str] = field(default_factory=dict)  # env name -> workspace secret


@dataclass(frozen=True)
class VolumeMount:
    from_: str
    path: str
    read_only: bool  # how the volume is bound (a writer, the model cache's Job, needs it read-write)
    key: int | str  # in the names of its access point, volume and claim
    server_read_only: bool | None = None  # None: as read_only

    @property
    def read_only_in_server(self) -> bool:
        return self.read_only if self.server_read_only is None else self.server_read_only


MODEL_CACHE_KEY = "model-cache"


def mounts(plan: EndpointPlan) -> list[VolumeMount]:
    """The user's mounts, plus the model folder for a file-system source and the model cache, which
    the server reads and its Job writes."""
    result = [VolumeMount(m.from_, m.path, m.read_only, index) for index, m in enumerate(plan.spec.mounts)]
    fs_model = plan.spec.source.filesystem
    if fs_model is not None:
        result.append(VolumeMount(fs_model.path, MODEL_MOUNT_PATH, True, len(result)))
    if plan.cached_model is not None:
        result.append(VolumeMount(MODEL_CACHE_FOLDER, MODEL_CACHE_PATH, False, MODEL_CACHE_KEY, server_read_only=True))
    return result


def cached_model_path(plan: EndpointPlan) -> str:
    """Where the server finds the cached revision: <model>/<revision> under the cache's mount."""
    hf = plan.cached_model
    assert hf is not None
    return f"{MODEL_CACHE_PATH}/{hf.model}/{hf.revision}"


def _engine(engine: str, image: str | None, model: str, revision: str | None, gpus: int,
            options: dict[str, Any]) -> Server:
    """An engine serving ``model`` on the engine port with the shape's GPUs (tensor parallelism unless
    the options set it), and the options as its flags."""
    facts = images.ENGINES[engine]
    args = [facts.model_flag, model, *(["--revision", revision] if revision else []),
            "--host", "0.0.0.0", "--port", str(facts.port)]
    if gpus > 1 and facts.parallel_option not in options:
        args += [flags.flag(facts.parallel_option), str(gpus)]
    args += facts.launch_args
    return Server(image or facts.image, facts.port, command=list(facts.command) if facts.command else None,
                  args=args + flags.arguments(options, engine), facts=facts, env=dict(facts.cache_env))


@per_plan
def server(plan: EndpointPlan) -> Server:
    source, gpus = plan.spec.source, plan.shape.gpu_count
    if source.huggingface is not None:
        hf = source.huggingface
        if hf.cache:  # the local copy, served under the hub id so clients send the same model name
            cached = _engine(hf.engine, hf.image, cached_model_path(plan), None, gpus, {"served_model_name": hf.model})
            return dataclasses.replace(cached, env={**cached.env, **OFFLINE_ENV})
        return _engine(hf.engine, hf.image, hf.model, hf.revision, gpus, {})
    if source.filesystem is not None:
        fs = source.filesystem
        # Without a name the engine serves the model under its path, which clients would have to send.
        return _engine(fs.engine, fs.image, MODEL_MOUNT_PATH, None, gpus,
                       {"served_model_name": fs.served_model_name or plan.name})
    if source.template is not None:
        return _template_server(plan, source.template, gpus)
    if source.photon is not None:
        return Server(source.photon.image, source.photon.port, health_path=PHOTON_HEALTH_PATH)
    if source.container is not None:
        c = source.container
        return Server(c.image, c.port, command=c.command, args=list(c.args or []))
    nim = source.nim
    assert nim is not None
    return Server(nim.image, images.NIM.port, facts=images.NIM, env=dict(images.NIM.cache_env),
                  secret_env={NIM_API_KEY_ENV: nim.ngc_api_key_secret})


def _template_server(plan: EndpointPlan, template: Template, gpus: int) -> Server:
    options = dict(template.options)
    image = options.pop("image", None)
    if template.name == "llm-engine":
        model, revision = str(options.pop("model")), options.pop("revision", None)
        engine = str(options.pop("engine", "vllm"))
        return _engine(engine, str(image) if image else None, model, str(revision) if revision else None, gpus,
                       options)
    facts = images.STABLE_DIFFUSION
    ui = ["--listen", "--nowebui" if template.name == "stable-diffusion-farm" else "--api"]
    if any(m.path == STABLE_DIFFUSION_MODELS for m in plan.spec.mounts):
        models = STABLE_DIFFUSION_MODELS
        ui += ["--ckpt-dir", f"{models}/ckpt", "--vae-dir", f"{models}/vae"]
    else:
        ui.append("--no-download-sd-model")  # no model folder: load none rather than fetch one at start
    web_ui_flags = " ".join(ui + flags.arguments(options))
    return Server(str(image or facts.image), facts.port, facts=facts,
                  env={**facts.env, images.STABLE_DIFFUSION_ARGS_ENV: web_ui_flags})


def secret_env(plan: EndpointPlan) -> dict[str, str]:
    """Every env var fed from a workspace secret: env name -> secret name."""
    result = {**server(plan).secret_env, **plan.spec.secrets}
    if plan.spec.include_workspace_token:
        result[WORKSPACE_TOKEN_ENV] = plan.workspace.token_secret
    return dict(sorted(result.items()))


def env(plan: EndpointPlan) -> list[dict[str, Any]]:
    predefined = {
        DEPLOYMENT_NAME_ENV: plan.name,
        PHOTON_NAME_ENV: plan.photon_name,
        PHOTON_ID_ENV: plan.photon_id,
        WORKSPACE_ID_ENV: plan.workspace.name,
        ACCELERATOR_TYPE_ENV: plan.shape.gpu_model or "",
    }
    entries: list[dict[str, Any]] = [{"name": k, "value": v} for k, v in predefined.items()]
    image_env = dict(server(plan).env)
    if plan.spec.security.read_only_root_filesystem:
        image_env["HOME"] = TMP_PATH  # caches under ~ (torch, triton, vLLM) on the writable /tmp volume
    entries += [{"name": k, "value": v} for k, v in sorted({**image_env, **plan.spec.env}.items())]
    entries += [{"name": k, "valueFrom": {"secretKeyRef": {"name": naming.env_secret(plan.name), "key": k}}}
                for k in secret_env(plan)]
    return entries


def _probe(handler: dict[str, Any], timing: tuple[int, int, int, int], timeout: int | None) -> dict[str, Any]:
    delay, period, success, failure = timing
    probe = {**handler, "initialDelaySeconds": delay, "periodSeconds": period,
             "successThreshold": success, "failureThreshold": failure}
    return {**probe, "timeoutSeconds": timeout} if timeout else probe


def _http(path: str | None) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": "http"}} if path else {"tcpSocket": {"port": "http"}}


def probes(plan: EndpointPlan, srv: Server) -> dict[str, Any]:
    """Lepton's probe timings on the paths the image answers; the image's start-up probe when it has one."""
    facts, chosen = srv.facts, plan.spec.health.path
    readiness = chosen or (facts.readiness if facts else srv.health_path)
    liveness = chosen or (facts.liveness if facts else srv.health_path)
    timeout = facts.probe_timeout if facts else None
    result = {"readinessProbe": _probe(_http(readiness), READINESS_PROBE, timeout),
              "livenessProbe": _probe(_http(liveness), (plan.start_up_grace, *LIVENESS_PROBE[1:]), timeout)}
    if facts and facts.startup:
        start = facts.startup
        result["startupProbe"] = _probe(_http(start.path), (start.delay, start.period, 1, start.failures), timeout)
    return result
