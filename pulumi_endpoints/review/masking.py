"""Secret masking, whatever the input says.

A value is hidden when the source marks it sensitive (Terraform's ``before_sensitive``
/ ``after_sensitive`` maps, Pulumi's secret objects and ``[secret]``) and, always, at the
paths the project knows hold secrets: the policy table's sensitive attributes of a resource
(a secret's ``value``), a container env var's ``value``, Pulumi's pickled ``__provider`` and
a Kubernetes Secret's ``data``/``stringData``. Other fields named ``value`` (a toleration's,
a label selector's) are shown. Values the input marks as secret, and top-level sensitive
attributes (a secret's value), are remembered, so the rendered review can be scrubbed of
them wherever else the input repeated them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..aws.policy import POLICIES

MASK = "(sensitive)"
PULUMI_SECRET_SIG = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret object
PULUMI_MASKED = "[secret]"
SECRET_DATA = ("data", "stringData")  # of a Kubernetes Secret
SENSITIVE_ATTRIBUTES = frozenset(name for table in POLICIES.values() for name, attr in table.items() if attr.sensitive)
ENV_LISTS = ("env",)  # a container's env: [{name, value}]
MIN_SCRUBBED = 4  # shorter strings ("true", "1") would blank out ordinary text


class Masker:
    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def mask(self, value: Any, sensitive: Any = None, *, top: bool = True, within: str = "") -> Any:
        """``value`` with secrets replaced by :data:`MASK`; ``sensitive`` mirrors its shape
        (``True`` marks a secret), as Terraform's ``*_sensitive`` maps do. ``within``: the key of
        the list that holds ``value``."""
        if sensitive is True or _is_pulumi_secret(value):
            return self._hide(value, remember=True)
        if isinstance(value, dict):
            marks = sensitive if isinstance(sensitive, dict) else {}
            hidden = {"__provider"} | (SENSITIVE_ATTRIBUTES if top else set())
            hidden |= {"value"} if within in ENV_LISTS else set()
            hidden |= set(SECRET_DATA) if value.get("kind") == "Secret" else set()
            return {key: self._hide(item, remember=top) if key in hidden
                    else self._mask_item(key, item, marks.get(key)) for key, item in value.items()}
        if isinstance(value, list):
            flags = sensitive if isinstance(sensitive, list) else []
            return [self.mask(item, flags[i] if i < len(flags) else None, top=False, within=within)
                    for i, item in enumerate(value)]
        return MASK if value == PULUMI_MASKED else value

    def _mask_item(self, key: str, item: Any, sensitive: Any) -> Any:
        return self.mask(item, sensitive, top=False, within=key if isinstance(item, list) else "")

    def _hide(self, value: Any, remember: bool) -> str | None:
        if value is None:
            return None
        if remember:
            self.secrets.update(s for s in _strings(value) if len(s) >= MIN_SCRUBBED and s != PULUMI_MASKED)
        return MASK


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets`` (longest first, so no part of one survives)."""
    for secret in sorted(set(secrets), key=lambda s: (-len(s), s)):
        text = text.replace(secret, MASK)
    return text


def _is_pulumi_secret(value: Any) -> bool:
    return isinstance(value, dict) and PULUMI_SECRET_SIG in value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif _is_pulumi_secret(value) and isinstance(value.get("plaintext"), str):
        yield value["plaintext"]
        try:  # the plaintext is the value JSON-encoded
            yield from _strings(json.loads(value["plaintext"]))
        except ValueError:
            pass
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
