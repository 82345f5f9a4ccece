"""Where an endpoint's server comes from: exactly one source per endpoint.

Default images live here, once. They are pinned where a pinned tag is known;
the template images are suggestions to pin with ``options.image``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator

from .fields import AbsolutePath, Image, Port, SecretName

Engine = Literal["vllm"]
TemplateName = Literal["llm-engine", "stable-diffusion-farm", "stable-diffusion-webui"]

ENGINE_IMAGES: dict[str, str] = {"vllm": "vllm/vllm-openai:v0.10.2"}
ENGINE_PORT = 8080
ENGINE_HEALTH_PATH = {"vllm": "/health"}

STABLE_DIFFUSION_IMAGE = "ghcr.io/ai-dock/stable-diffusion-webui:latest-cuda"
STABLE_DIFFUSION_PORT = 7860
PHOTON_PORT = 8080
PHOTON_HEALTH_PATH = "/healthz"
NIM_PORT = 8000
NIM_HEALTH_PATH = "/v1/health/ready"

OptionValue = str | int | float | bool


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HuggingFace(_Model):
    model: str = Field(min_length=1, max_length=256, pattern=r"^[\w.-]+(/[\w.-]+)?$",
                       description="Hugging Face repository id, e.g. meta-llama/Meta-Llama-3-8B-Instruct")
    revision: str = Field(default="main", min_length=1, max_length=128)
    engine: Engine = "vllm"
    image: Image | None = Field(default=None, description="Override the engine image")


class FileSystemModel(_Model):
    path: AbsolutePath = Field(description="Folder on the workspace file system holding the model")
    engine: Engine = "vllm"
    image: Image | None = None


class Template(_Model):
    name: TemplateName
    options: dict[str, OptionValue] = Field(default_factory=dict, max_length=64)

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
        if self.name == "llm-engine" and not isinstance(self.options.get("model"), str):
            raise ValueError("the llm-engine template needs options.model (a Hugging Face model id)")
        return self


class Photon(_Model):
    name: str = Field(min_length=1, max_length=63, pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    image: Image
    port: Port = PHOTON_PORT


class Container(_Model):
    image: Image
    command: list[StrictStr] | None = Field(default=None, max_length=256)
    args: list[StrictStr] | None = Field(default=None, max_length=256)
    port: Port = 8080


class Nim(_Model):
    image: Image
    ngc_api_key_secret: SecretName


SOURCE_KINDS = ("huggingface", "filesystem", "template", "photon", "container", "nim")


class Source(_Model):
    huggingface: HuggingFace | None = None
    filesystem: FileSystemModel | None = None
    template: Template | None = None
    photon: Photon | None = None
    container: Container | None = None
    nim: Nim | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Source":
        chosen = [kind for kind in SOURCE_KINDS if getattr(self, kind) is not None]
        if len(chosen) != 1:
            got = ", ".join(chosen) if chosen else "none"
            raise ValueError(f"set exactly one of {', '.join(SOURCE_KINDS)} (got {got})")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in SOURCE_KINDS if getattr(self, kind) is not None)

    @property
    def chosen(self) -> _Model:
        return getattr(self, self.kind)
