"""Reusable field rules (names, paths, quantities, label keys) and the base of the spec models."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from .inputs import InputOr


DNS1035_LABEL = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
SECRET_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

EndpointName = Annotated[str, StringConstraints(pattern=DNS1035_LABEL, max_length=63)]
KubeName = Annotated[str, StringConstraints(pattern=DNS1123_LABEL, max_length=63)]
SecretName = Annotated[str, StringConstraints(pattern=SECRET_NAME, max_length=128)]
EnvName = Annotated[str, StringConstraints(pattern=ENV_NAME, max_length=256)]

RESERVED_ENV_PREFIX = "LEPTON_"
# Env vars the platform sets in the serving container, under Lepton's names.
DEPLOYMENT_NAME_ENV = "LEPTON_DEPLOYMENT_NAME"
PHOTON_NAME_ENV = "LEPTON_PHOTON_NAME"
PHOTON_ID_ENV = "LEPTON_PHOTON_ID"
WORKSPACE_ID_ENV = "LEPTON_WORKSPACE_ID"
ACCELERATOR_TYPE_ENV = "LEPTON_RESOURCE_ACCELERATOR_TYPE"
WORKSPACE_TOKEN_ENV = "LEPTON_WORKSPACE_TOKEN"  # only with include_workspace_token
PREDEFINED_ENV = (DEPLOYMENT_NAME_ENV, PHOTON_NAME_ENV, PHOTON_ID_ENV, WORKSPACE_ID_ENV, ACCELERATOR_TYPE_ENV,
                  WORKSPACE_TOKEN_ENV)

SYSTEM_PATHS = ("/", "/etc", "/usr", "/var", "/bin", "/sbin", "/lib", "/lib64",
                "/proc", "/sys", "/dev", "/boot", "/root")


def _user_env_name(name: str) -> str:
    if name.upper().startswith(RESERVED_ENV_PREFIX):
        raise ValueError(f"{name!r} is reserved: names starting with {RESERVED_ENV_PREFIX} are set by "
                         f"the platform ({', '.join(PREDEFINED_ENV)})")
    return name


UserEnvName = Annotated[EnvName, AfterValidator(_user_env_name)]


def _absolute_path(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError("must be an absolute path (start with '/')")
    if "\x00" in value or any(part == ".." for part in value.split("/")):
        raise ValueError("must not contain '..' or NUL")
    return "/" + posixpath.normpath(value).lstrip("/")  # "//etc" is /etc


def _mount_path(value: str) -> str:
    path = _absolute_path(value)
    for system in SYSTEM_PATHS:
        if path == system or (system != "/" and path.startswith(system + "/")):
            raise ValueError(f"{path} is a system folder (or inside one) and cannot be a mount path")
    return path


AbsolutePath = Annotated[str, StringConstraints(max_length=1024), AfterValidator(_absolute_path)]
MountPath = Annotated[str, StringConstraints(max_length=1024), AfterValidator(_mount_path)]
# The characters of a URL path (RFC 3986): it lands in probes and in PromQL strings, so no quotes or backslashes.
UrlPath = Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$", max_length=1024)]

_QUANTITY = re.compile(r"^(?P<number>[0-9]+(\.[0-9]+)?)(?P<suffix>Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
_MULTIPLIERS = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15,
                "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}


def quantity_bytes(value: str) -> int:
    match = _QUANTITY.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a Kubernetes quantity such as 16Gi or 512Mi")
    return int(float(match["number"]) * _MULTIPLIERS[match["suffix"]])


def _memory_quantity(value: str) -> str:
    if quantity_bytes(value) <= 0:
        raise ValueError("must be greater than zero")
    return value


MemoryQuantity = Annotated[str, StringConstraints(max_length=32), AfterValidator(_memory_quantity)]

_LABEL_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_LABEL_KEY = re.compile(rf"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?{_LABEL_NAME}$")
_LABEL_VALUE = re.compile(rf"^({_LABEL_NAME})?$")


def check_labels(labels: dict[str, str], reserved_prefix: str | None = None) -> dict[str, str]:
    for key, value in labels.items():
        if not _LABEL_KEY.match(key) or len(key.split("/")[0]) > 253:
            raise ValueError(f"label key {key!r} is not a valid Kubernetes label key")
        if reserved_prefix and key.startswith(reserved_prefix):
            raise ValueError(f"label key {key!r} uses the reserved prefix {reserved_prefix}")
        if not _LABEL_VALUE.match(value):
            raise ValueError(f"label {key!r} has value {value!r}, which is not a valid label value "
                             "(at most 63 characters: letters, digits, '-', '_', '.')")
    return labels


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address or CIDR block") from None


Cidr = Annotated[str, StringConstraints(max_length=64), AfterValidator(_cidr)]
Image = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][^\s]*$", max_length=512), InputOr]
def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


Int = Annotated[int, BeforeValidator(_not_bool)]  # numbers that true/false do not pass for
Float = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False)]  # .inf and .nan: refused
Port = Annotated[Int, Field(ge=1, le=65535)]


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def one_of(model: BaseModel, names: tuple[str, ...]) -> str:
    """The one field of ``names`` that ``model`` sets; ValueError unless exactly one is set."""
    chosen = [name for name in names if getattr(model, name) is not None]
    if len(chosen) != 1:
        got = ", ".join(chosen) if chosen else "none"
        raise ValueError(f"set exactly one of {', '.join(names)} (got {got})")
    return chosen[0]
