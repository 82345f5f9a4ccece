"""Tags: checks shared by every driver and the list-of-pairs wire format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import Problem
from ..labels import TAG_MANAGED_BY, TAG_OWNER, TAG_WORKSPACE

REQUIRED = (TAG_MANAGED_BY, TAG_WORKSPACE)
NAME_TAG = "Name"  # the name the AWS console shows; the EFS drivers set it from the resource's name
MAX_TAGS = 50
SYSTEM_PREFIX = "aws:"


def check(tags: Mapping[str, str], path: str) -> list[Problem]:
    """Problems with a resource's desired tags (AWS limits, and the tags every resource carries)."""
    problems = [Problem(f"{path}.tags", f"must contain {key!r} (see labels.cloud_tags)")
                for key in REQUIRED if key not in tags]
    if TAG_OWNER in tags:
        problems.append(Problem(f"{path}.tags", f"{TAG_OWNER!r} is set by the driver"))
    if len(tags) > MAX_TAGS:
        problems.append(Problem(f"{path}.tags", f"at most {MAX_TAGS} tags, got {len(tags)}"))
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or key.lower().startswith(SYSTEM_PREFIX):
            problems.append(Problem(f"{path}.tags[{key!r}]", "key must be 1-128 characters, not starting with 'aws:'"))
        if len(value) > 256:
            problems.append(Problem(f"{path}.tags[{key!r}]", "value must be at most 256 characters"))
    return problems


def user_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Tags as the tool manages them: sorted, without the ones AWS adds (``aws:*``) and the owner tag
    (written once at create, never compared)."""
    return {k: v for k, v in sorted(tags.items()) if not k.lower().startswith(SYSTEM_PREFIX) and k != TAG_OWNER}


def to_pairs(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def from_pairs(pairs: Iterable[Mapping[str, str]]) -> dict[str, str]:
    return user_tags(all_from_pairs(pairs))


def all_from_pairs(pairs: Iterable[Mapping[str, str]]) -> dict[str, str]:
    return {p["Key"]: p["Value"] for p in pairs}


def changes(current: Mapping[str, str], desired: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """What to (re)tag and which keys to untag to go from ``current`` to ``desired``."""
    to_set = {k: v for k, v in desired.items() if current.get(k) != v}
    to_remove = sorted(k for k in current if k not in desired)
    return to_set, to_remove
