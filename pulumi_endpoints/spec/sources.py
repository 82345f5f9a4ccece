"""Where an endpoint's server comes from: exactly one source per endpoint.

Default images live here, once. They are pinned where a pinned tag is known;
the template images are suggestions to pin with ``options.image``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, StrictBool, StrictStr, field_validator, model_validator

from . import engine_flags, images
from .fields import PHOTON_NAME_ENV, AbsolutePath, Float, Image, KubeName, Port, SecretName, SpecModel, one_of

Engine = Literal["vllm", "sglang"]
TemplateName = Literal["llm-engine", "stable-diffusion-farm", "stable-diffusion-webui"]

# A mount at this path holds the Stable Diffusion models: checkpoints in ckpt/, VAEs in vae/.
STABLE_DIFFUSION_MODELS = "/opt/models"
PHOTON_PORT = 8080
PHOTON_HEALTH_PATH = "/healthz"
CONTAINER_PORT = 8080
NIM_API_KEY_ENV = "NGC_API_KEY"
MODEL_MOUNT_PATH = "/mnt/model"  # where a file-system source's model folder appears
MODEL_CACHE_FOLDER = "/cache/huggingface"  # on the workspace file system: <model>/<revision> below it
_FOLDER = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")

OptionValue = str | int | float | bool


_ENGINE_IMAGE = (f"Engine image; null: the pinned default ({images.VLLM.image} for vllm, {images.SGLANG.image} "
                 "for sglang)")
_ENGINE = "Serving engine, both with an OpenAI-compatible API: vllm or sglang"


class HuggingFace(SpecModel):
    model: str = Field(min_length=1, max_length=256, pattern=r"^[\w.-]+(/[\w.-]+)?$",
                       description="Hugging Face repository id, e.g. meta-llama/Meta-Llama-3-8B-Instruct")
    revision: str = Field(default="main", min_length=1, max_length=128,
                          description="Branch, tag or commit of the repository the engine loads")
    engine: Engine = Field(default="vllm", description=_ENGINE)
    image: Image | None = Field(default=None, description=_ENGINE_IMAGE)
    cache: StrictBool = Field(
        default=False,
        description=f"Download the revision once, by a Job, into {MODEL_CACHE_FOLDER}/<model>/<revision> on the "
                    "workspace file system, and serve it from there offline (every replica then starts from the "
                    "cache); pin revision to a commit")
    model_size_gib: Float | None = Field(
        default=None, gt=0, le=4096,
        description="Size of the model's files, for the start-up budget and the cache's storage cost; null: "
                    "estimated from the parameter count in the model's name (2 GiB per billion, fp16)")

    @model_validator(mode="after")
    def _cache_folder(self) -> HuggingFace:
        """With a cache, the model and revision name a folder: plain path segments, none of them . or .."""
        if self.cache:
            for name, value in (("model", self.model), ("revision", self.revision)):
                if not _FOLDER.fullmatch(value) or any(part in (".", "..") for part in value.split("/")):
                    raise ValueError(f"{name} {value!r} names the cache's folder: use letters, digits, '.', '_', "
                                     "'-' and '/' only, without . or .. segments")
        return self


class FileSystemModel(SpecModel):
    path: AbsolutePath = Field(description="Folder on the workspace file system holding the model, mounted "
                                           f"read-only at {MODEL_MOUNT_PATH}")
    served_model_name: str | None = Field(
        default=None, min_length=1, max_length=256, pattern=r"^[\w./:-]+$",
        description="The model name clients send (the OpenAI API's model field); null: the endpoint's name")
    engine: Engine = Field(default="vllm", description=_ENGINE)
    image: Image | None = Field(default=None, description=_ENGINE_IMAGE)


class Template(SpecModel):
    name: TemplateName = Field(description="Which Lepton template to run")
    options: dict[str, OptionValue] = Field(
        default_factory=dict, max_length=64,
        description="Template settings: image overrides the image; llm-engine needs model and takes revision and "
                    "engine (vllm or sglang); any other key becomes a --key flag of the engine or web UI "
                    "(underscores as dashes; true: bare flag, false: omitted, or --no-key for a vLLM switch). "
                    "Engine flags are checked against the pinned engine's own; tensor_parallel_size (vllm) or "
                    "tp_size (sglang) replaces the one set from the shape's GPUs. Stable Diffusion models are read "
                    f"from a mount at {STABLE_DIFFUSION_MODELS} (ckpt/, vae/)")

    @field_validator("options", mode="before")
    @classmethod
    def _scalar_options(cls, options: object) -> object:
        if isinstance(options, dict):
            for key, value in options.items():
                if not isinstance(value, (str, int, float, bool)):
                    raise ValueError(f"option {key!r} must be a string, number or boolean")
        return options

    @model_validator(mode="after")
    def _llm_engine_needs_model(self) -> "Template":
        if self.name == "llm-engine":
            if not isinstance(self.options.get("model"), str):
                raise ValueError("the llm-engine template needs options.model (a Hugging Face model id)")
            engine = self.options.get("engine", "vllm")
            if engine not in images.ENGINES:
                raise ValueError(f"option 'engine': vllm or sglang, got {engine!r}")
            own = ("image", "model", "revision", "engine")  # the template's, not the engine's flags
            found = engine_flags.problems(str(engine), {k: v for k, v in self.options.items() if k not in own})
            if found:
                raise ValueError("; ".join(found))
        else:  # the flags travel in one space-separated variable
            for key, value in self.options.items():
                if key != "image" and any(c.isspace() for c in f"{key}{value}"):
                    raise ValueError(f"option {key!r}: no spaces in a web UI flag or its value")
        return self


class Photon(SpecModel):
    name: KubeName = Field(description=f"Photon name, given to the container as {PHOTON_NAME_ENV}")
    image: Image = Field(description="Container image of the photon")
    port: Port = Field(default=PHOTON_PORT,
                       description="Port the photon listens on for HTTP (traffic, probes, metrics)")


class Container(SpecModel):
    image: Image = Field(description="Container image to run")
    command: list[StrictStr] | None = Field(default=None, max_length=256,
                                            description="Replaces the image's ENTRYPOINT; null: the image's own")
    args: list[StrictStr] | None = Field(
        default=None, max_length=256,
        description="Replaces the image's CMD; null: the image's CMD, or no arguments when command is set")
    port: Port = Field(default=CONTAINER_PORT,
                       description="Port the server listens on for HTTP (traffic, probes, metrics)")


class Nim(SpecModel):
    image: Image = Field(description=f"NVIDIA NIM container image, serving on port {images.NIM.port}")
    ngc_api_key_secret: SecretName = Field(
        description=f"Workspace secret holding the NGC API key, given to the container as {NIM_API_KEY_ENV}")


SOURCE_KINDS = ("huggingface", "filesystem", "template", "photon", "container", "nim")


class Source(SpecModel):
    huggingface: HuggingFace | None = Field(default=None,
                                            description="Serve a model from the Hugging Face Hub with an engine")
    filesystem: FileSystemModel | None = Field(
        default=None, description="Serve a model from the workspace file system with an engine")
    template: Template | None = Field(default=None, description="Run one of Lepton's templates")
    photon: Photon | None = Field(default=None, description="Run a Lepton photon, built into an image")
    container: Container | None = Field(default=None, description="Run any image that serves HTTP")
    nim: Nim | None = Field(default=None, description="Run an NVIDIA NIM")
    image_size_gib: Float | None = Field(
        default=None, gt=0, le=1024,
        description="Compressed size of the image, for the start-up budget's pull time; null: known for the "
                    "pinned vLLM and SGLang images, else left out of the budget")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Source":
        one_of(self, SOURCE_KINDS)
        return self

    @property
    def kind(self) -> str:
        return one_of(self, SOURCE_KINDS)
