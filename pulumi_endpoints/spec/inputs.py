"""Values known only at deployment (a Pulumi Output, a CDKTF token) inside a spec.

A face puts the placeholder ``{{ref:input/<field path>/value}}`` where the user gave such a
value, validates and expands the spec as usual, and fills the placeholder with the value in what
it registers or synthesizes: the same mechanism as the cloud ids' placeholders
(:mod:`pulumi_endpoints.blueprint.refs`). The fields of :data:`INPUT_FIELDS` accept one; the
others decide the shape of the expansion (names, counts, which objects exist), so they need a
plain value, and ``expand`` refuses a placeholder there with the field path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidatorFunctionWrapHandler, WrapValidator

PLACEHOLDER_START = "{{ref:"
INPUT = "input"  # the kind of the placeholders of deployment-time values
_INPUT_REF = re.compile(re.escape(PLACEHOLDER_START) + INPUT + r"/([^/{}]+)/[a-z_]+\}\}")

# Where a deployment-time value may stand ("*": any key or position), in the spec's YAML names.
INPUT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("workspace", "cluster", "name"),
    ("workspace", "cluster", "node_role_arn"),
    ("workspace", "cluster", "subnet_ids", "*"),
    ("workspace", "cluster", "security_group_ids", "*"),
    ("source", "*", "image"),
    ("env", "*"),
)

# What a face makes of a value for each attribute of an input placeholder.
ATTRIBUTES: dict[str, Callable[[str], str]] = {
    "value": lambda value: value,
    "role_name": lambda arn: arn.rsplit("/", 1)[-1],  # an IAM role's name, from its ARN
}


NEEDS_PLAIN_VALUE = ("needs a plain value, known when the program runs (not an Output or token): it decides what "
                     "the endpoint expands to")


def input_slot(path: tuple[str | int, ...]) -> str:
    """The name a value given at ``path`` has in its placeholder: ``source.container.image``."""
    return ".".join(map(str, path))


def input_ref(path: tuple[str | int, ...], attribute: str = "value") -> str:
    """The placeholder of the value given at ``path`` (e.g. ``("source", "container", "image")``)."""
    return _placeholder(input_slot(path), attribute)


def _placeholder(slot: str, attribute: str) -> str:
    return f"{PLACEHOLDER_START}{INPUT}/{slot}/{attribute}}}}}"


def is_input_ref(text: object) -> bool:
    return isinstance(text, str) and _INPUT_REF.fullmatch(text) is not None


def accepts_input(loc: tuple[str | int, ...]) -> bool:
    """Whether the field at ``loc`` (YAML names, workspace fields under ``workspace``) may hold one."""
    return any(len(loc) == len(pattern) and all(p in ("*", str(part)) for p, part in zip(pattern, loc))
               for pattern in INPUT_FIELDS)


def role_name(arn: str) -> str:
    """An IAM role's name from its ARN; for a placeholder, the placeholder of that name."""
    found = _INPUT_REF.fullmatch(arn)
    return _placeholder(found.group(1), "role_name") if found else ATTRIBUTES["role_name"](arn)


def _input_or(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return value if is_input_ref(value) else handler(value)


# On a field type: a placeholder passes the field's own checks (expand decides where it may stand).
InputOr = WrapValidator(_input_or)
