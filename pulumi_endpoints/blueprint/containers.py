"""The serving container of each source: image, command, port, env and probes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..spec import fields as F
from ..spec import sources as S
from ..spec.endpoint import LIVENESS_PROBE, READINESS_PROBE
from . import naming
from .plan import EndpointPlan


@dataclass(frozen=True)
class Server:
    image: str
    port: int
    command: list[str] | None = None
    args: list[str] = field(default_factory=list)
    health_path: str | None = None
    env: dict[str, str] = field(default_factory=dict)  # what the image is configured by
    secret_env: dict[str, str] = field(default_factory=dict)  # env name -> workspace secret


@dataclass(frozen=True)
class VolumeMount:
    from_: str
    path: str
    read_only: bool


def mounts(plan: EndpointPlan) -> list[VolumeMount]:
    """The user's mounts, plus the model folder for a file-system source."""
    result = [VolumeMount(m.from_, m.path, m.read_only) for m in plan.spec.mounts]
    fs_model = plan.spec.source.filesystem
    if fs_model is not None:
        result.append(VolumeMount(fs_model.path, S.MODEL_MOUNT_PATH, True))
    return result


def _engine_args(model: str, revision: str | None, gpus: int) -> list[str]:
    args = ["--model", model]
    if revision:
        args += ["--revision", revision]
    args += ["--host", "0.0.0.0", "--port", str(S.ENGINE_PORT)]
    if gpus > 1:
        args += ["--tensor-parallel-size", str(gpus)]
    return args


def _option_args(options: dict[str, Any]) -> list[str]:
    args: list[str] = []
    for key in sorted(options):
        value = options[key]
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif value is not False:
            args += [flag, str(value)]
    return args


def server(plan: EndpointPlan) -> Server:
    source, gpus = plan.spec.source, plan.shape.gpu_count
    if source.huggingface is not None:
        hf = source.huggingface
        return Server(hf.image or S.ENGINE_IMAGES[hf.engine], S.ENGINE_PORT,
                      args=_engine_args(hf.model, hf.revision, gpus),
                      health_path=S.ENGINE_HEALTH_PATH[hf.engine])
    if source.filesystem is not None:
        fs = source.filesystem
        # Without a name the engine serves the model under its path, which clients would have to send.
        named = ["--served-model-name", fs.served_model_name or plan.name]
        return Server(fs.image or S.ENGINE_IMAGES[fs.engine], S.ENGINE_PORT,
                      args=_engine_args(S.MODEL_MOUNT_PATH, None, gpus) + named,
                      health_path=S.ENGINE_HEALTH_PATH[fs.engine])
    if source.template is not None:
        return _template_server(plan, source.template, gpus)
    if source.photon is not None:
        return Server(source.photon.image, source.photon.port, health_path=S.PHOTON_HEALTH_PATH)
    if source.container is not None:
        c = source.container
        return Server(c.image, c.port, command=c.command, args=list(c.args or []))
    nim = source.nim
    assert nim is not None
    return Server(nim.image, S.NIM_PORT, health_path=S.NIM_HEALTH_PATH,
                  secret_env={S.NIM_API_KEY_ENV: nim.ngc_api_key_secret})


def _template_server(plan: EndpointPlan, template: S.Template, gpus: int) -> Server:
    options = dict(template.options)
    image = options.pop("image", None)
    if template.name == "llm-engine":
        model = str(options.pop("model"))
        revision = options.pop("revision", None)
        return Server(str(image or S.ENGINE_IMAGES["vllm"]), S.ENGINE_PORT,
                      args=_engine_args(model, str(revision) if revision else None, gpus)
                      + _option_args(options),
                      health_path=S.ENGINE_HEALTH_PATH["vllm"])
    flags = ["--listen", "--nowebui" if template.name == "stable-diffusion-farm" else "--api"]
    if any(m.path == S.STABLE_DIFFUSION_MODELS for m in plan.spec.mounts):
        models = S.STABLE_DIFFUSION_MODELS
        flags += ["--ckpt-dir", f"{models}/ckpt", "--vae-dir", f"{models}/vae"]
    else:
        flags.append("--no-download-sd-model")  # no model folder: load none rather than fetch one at start
    return Server(str(image or S.STABLE_DIFFUSION_IMAGE), S.STABLE_DIFFUSION_PORT,
                  health_path=S.STABLE_DIFFUSION_HEALTH_PATH,
                  env={**S.STABLE_DIFFUSION_ENV, S.STABLE_DIFFUSION_ARGS_ENV: " ".join(flags + _option_args(options))})


def secret_env(plan: EndpointPlan) -> dict[str, str]:
    """Every env var fed from a workspace secret: env name -> secret name."""
    result = {**server(plan).secret_env, **plan.spec.secrets}
    if plan.spec.include_workspace_token:
        result[F.WORKSPACE_TOKEN_ENV] = plan.workspace.token_secret
    return dict(sorted(result.items()))


def env(plan: EndpointPlan) -> list[dict[str, Any]]:
    predefined = {
        F.DEPLOYMENT_NAME_ENV: plan.name,
        F.PHOTON_NAME_ENV: plan.photon_name,
        F.PHOTON_ID_ENV: plan.photon_id,
        F.WORKSPACE_ID_ENV: plan.workspace.name,
        F.ACCELERATOR_TYPE_ENV: plan.shape.gpu_model or "",
    }
    entries: list[dict[str, Any]] = [{"name": k, "value": v} for k, v in predefined.items()]
    entries += [{"name": k, "value": v} for k, v in sorted({**server(plan).env, **plan.spec.env}.items())]
    entries += [{"name": k, "valueFrom": {"secretKeyRef": {"name": naming.env_secret(plan.name), "key": k}}}
                for k in secret_env(plan)]
    return entries


def _probe(handler: dict[str, Any], timing: tuple[int, int, int, int]) -> dict[str, Any]:
    delay, period, success, failure = timing
    return {**handler, "initialDelaySeconds": delay, "periodSeconds": period,
            "successThreshold": success, "failureThreshold": failure}


def probes(plan: EndpointPlan, srv: Server) -> dict[str, Any]:
    path = plan.spec.health.path or srv.health_path
    handler = ({"httpGet": {"path": path, "port": "http"}} if path
               else {"tcpSocket": {"port": "http"}})
    return {"readinessProbe": _probe(handler, READINESS_PROBE),
            "livenessProbe": _probe(handler, (plan.start_up_grace, *LIVENESS_PROBE[1:]))}
