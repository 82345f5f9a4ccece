"""One owner per AWS object, and the proof that lets an interrupted create adopt its own object.

Every object a driver creates carries the tag :data:`OWNER_TAG`, whose value names the one
resource that manages it: ``terraform:<configuration folder>:<random claim>`` for a Terraform
resource, ``pulumi:<project>/<stack>/<kind>/<name>`` for a Pulumi one. A create that finds its object
already there (same name, creation token or subnet) adopts it only when the object's owner tag
equals the claim of this create, which only this same resource could have written: Pulumi's
value is the resource's own URN parts, Terraform's is a random claim kept in the configuration's
data folder from before the create call until it returned (:mod:`..terraform.claims`). Anything
else fails with :class:`OwnedElsewhere`: who owns it and how to import or reference it. Mount
targets carry no tags in AWS: one found in the subnet is adopted only when the face vouches that
an earlier create of this same resource was interrupted (``Claim.resuming``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..labels import TAG_OWNER as OWNER_TAG
from .errors import CloudError

ALREADY_OWNED = "AlreadyOwned"
_TAG_VALUE_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/=+@-]+")  # what EFS and Secrets Manager accept
MAX_TAG_VALUE = 256


@dataclass(frozen=True)
class Claim:
    """Who this create is for (the owner tag it writes) and whether an earlier try was interrupted."""

    owner: str
    resuming: bool = False

    def proves(self, found_owner: str | None) -> bool:
        """Whether a found object with this owner tag is the one this same resource was creating."""
        return found_owner is not None and found_owner == self.owner


def owner_label(*parts: str) -> str:
    """An owner tag value from its parts, with only the characters every service accepts."""
    text = ":".join(_TAG_VALUE_UNSAFE.sub("-", part) for part in parts)
    return text[:MAX_TAG_VALUE]


def owner_of(tags: Mapping[str, str]) -> str | None:
    return tags.get(OWNER_TAG)


class OwnedElsewhere(CloudError):
    """A create found its object already there, managed by someone else (or by hand)."""

    def __init__(self, resource: str, found_owner: str | None, import_id: str) -> None:
        self.found_owner = found_owner
        self.import_id = import_id
        who = f"owned by {found_owner}" if found_owner else "not created by this resource (no owner tag)"
        super().__init__(resource, ALREADY_OWNED, f"already exists, {who}; nothing of it was changed",
                         hint=f"to manage it here, import it (id {import_id}) and remove it from its current "
                              "owner; to use it without managing it, reference it (data.endpoints_workspace, "
                              "or the stack that owns it)")


def check(resource: str, found_owner: str | None, claim: Claim, import_id: str) -> None:
    """Raise :class:`OwnedElsewhere` unless ``claim`` proves the found object is this resource's."""
    if not claim.proves(found_owner):
        raise OwnedElsewhere(resource, found_owner, import_id)
