"""EFS access point: the folder of the shared file system that one endpoint mounts.

model → policy → read → create → update → delete → import. Identity is the
ClientToken, derived from the access point's name: a retried create finds the
access point it made. The spec's fields are written in the EFS wire format by
``_request``, ``_wire_tags`` and ``update``, and read back by ``_state``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..blueprint.model import AccessPoint
from ..errors import Problem, SpecError
from ..labels import TAG_ENDPOINT
from . import ownership
from . import tags as tagging
from .errors import CloudError, translated
from .policy import POLICIES, Diff
from .policy import diff as policy_diff
from .tags import NAME_TAG
from .waiters import GONE, delete_and_wait, wait_available

if TYPE_CHECKING:
    from botocore.client import BaseClient

TIMEOUT = 5 * 60.0
PERMISSIONS = re.compile(r"^[0-7]{3,4}$")
MAX_ID = 2**32 - 1


# --- model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessPointState:
    """An access point as it is in AWS, in domain terms, with its computed outputs."""

    spec: AccessPoint
    file_system_id: str
    access_point_id: str
    arn: str
    status: str
    claimed_by: str | None = None  # its owner tag (see ownership)


def validate(ap: AccessPoint) -> None:
    path = f"access_point[{ap.name}]"
    problems = tagging.check(ap.tags, path)
    if NAME_TAG in ap.tags:
        problems.append(Problem(f"{path}.tags", f"{NAME_TAG!r} is set by the driver"))
    if not ap.path.startswith("/") or len(ap.path) > 100 or "//" in ap.path:
        problems.append(Problem(f"{path}.path", "an absolute path of at most 100 characters"))
    if not (0 <= ap.uid <= MAX_ID and 0 <= ap.gid <= MAX_ID):
        problems.append(Problem(f"{path}.uid", f"uid and gid between 0 and {MAX_ID}"))
    if not PERMISSIONS.match(ap.permissions):
        problems.append(Problem(f"{path}.permissions", f"octal mode such as '0755', got {ap.permissions!r}"))
    if problems:
        raise SpecError(problems)


def client_token(ap: AccessPoint) -> str:
    """The access point's stable identity in AWS (at most 64 characters)."""
    return hashlib.sha256(f"access-point/{ap.file_system}/{ap.name}".encode()).hexdigest()


def _ref(ap: AccessPoint) -> str:
    return f"access point {ap.name!r} ({ap.file_system}:{ap.path})"


# --- policy -----------------------------------------------------------------------------

POLICY = POLICIES["access_point"]


def diff(current: AccessPointState, desired: AccessPoint) -> Diff:
    return policy_diff(POLICY, current.spec, desired)


# --- read -------------------------------------------------------------------------------


def read(efs: BaseClient, ap: AccessPoint) -> AccessPointState | None:
    """The access point, or None if gone: one DescribeAccessPoints page per file system.

    It is the one with the ClientToken of ``ap``, else (one imported) the one with its Name tag.
    """
    with translated(_ref(ap)):
        pages = efs.get_paginator("describe_access_points").paginate(FileSystemId=ap.file_system)
        alive = [d for page in pages for d in page["AccessPoints"] if d.get("LifeCycleState") not in GONE]
    by_token = [d for d in alive if d.get("ClientToken") == client_token(ap)]
    found = by_token or [d for d in alive if tagging.from_pairs(d.get("Tags", ())).get(NAME_TAG) == ap.name]
    return _state(found[0], ap) if found else None


def _state(d: dict[str, Any], logical: AccessPoint) -> AccessPointState:
    tags = tagging.from_pairs(d.get("Tags", ()))
    root = d.get("RootDirectory", {})
    creation = root.get("CreationInfo", {})
    posix = d.get("PosixUser", {})
    spec = AccessPoint(
        name=tags.pop(NAME_TAG, logical.name),
        file_system=logical.file_system,
        path=root.get("Path", "/"),
        uid=int(posix.get("Uid", creation.get("OwnerUid", 0))),
        gid=int(posix.get("Gid", creation.get("OwnerGid", 0))),
        permissions=creation.get("Permissions", ""),
        tags=tags,
        owner=logical.owner,
    )
    return AccessPointState(spec, file_system_id=d["FileSystemId"], access_point_id=d["AccessPointId"],
                            arn=d["AccessPointArn"], status=d.get("LifeCycleState", "available"),
                            claimed_by=ownership.owner_of(tagging.all_from_pairs(d.get("Tags", ()))))


# --- create -----------------------------------------------------------------------------


def create(efs: BaseClient, ap: AccessPoint, *, claim: ownership.Claim, timeout: float = TIMEOUT) -> AccessPointState:
    """Create the access point, tagged with its owner, and wait until available.

    One with the same ClientToken (same name) is adopted only when ``claim`` proves it
    is this resource's (a retried or crashed create): its tags are brought to the
    desired ones; a different path, user or permissions is refused.
    """
    validate(ap)
    ref = _ref(ap)
    existing = read(efs, ap)
    if existing is not None:
        ownership.check(ref, existing.claimed_by, claim, existing.access_point_id)
        changes = diff(existing, ap)
        if changes.needs_replace:
            raise CloudError(ref, "AlreadyExists",
                             f"an access point with this name already exists with a different {', '.join(changes.replaces)}",
                             hint="rename the access point, or delete the existing one")
        return update(efs, existing, ap) if changes.changed else existing
    with translated(ref):
        efs.create_access_point(**_request(ap, claim))
    return wait_available(lambda: read(efs, ap), resource=ref, noun="access point",
                          code="AccessPoint", timeout=timeout)


def _request(ap: AccessPoint, claim: ownership.Claim) -> dict[str, Any]:
    return {
        "ClientToken": client_token(ap),
        "FileSystemId": ap.file_system,
        "PosixUser": {"Uid": ap.uid, "Gid": ap.gid},
        "RootDirectory": {
            "Path": ap.path,
            "CreationInfo": {"OwnerUid": ap.uid, "OwnerGid": ap.gid, "Permissions": ap.permissions},
        },
        "Tags": tagging.to_pairs({**_wire_tags(ap), ownership.OWNER_TAG: claim.owner}),
    }


def _wire_tags(ap: AccessPoint) -> dict[str, str]:
    return {**ap.tags, NAME_TAG: ap.name}


# --- update -----------------------------------------------------------------------------


def update(efs: BaseClient, current: AccessPointState, desired: AccessPoint) -> AccessPointState:
    """Apply in-place changes: the tags (everything else of an access point is fixed at create)."""
    validate(desired)
    changes = diff(current, desired)
    ref = _ref(desired)
    changes.require_in_place(ref)
    to_tag, to_untag = tagging.changes(_wire_tags(current.spec), _wire_tags(desired))
    with translated(ref):
        if to_tag:
            efs.tag_resource(ResourceId=current.access_point_id, Tags=tagging.to_pairs(to_tag))
        if to_untag:
            efs.untag_resource(ResourceId=current.access_point_id, TagKeys=to_untag)
    result = read(efs, desired)
    if result is None:
        raise CloudError(ref, "AccessPointNotFound", "gone while updating")
    return result


# --- delete -----------------------------------------------------------------------------


def delete(efs: BaseClient, ap: AccessPoint, *, timeout: float = TIMEOUT) -> None:
    """Delete the access point (the files under its path stay). Deleting what is gone is not an error."""
    ref = _ref(ap)
    current = read(efs, ap)
    if current is None:
        return
    delete_and_wait(lambda: efs.delete_access_point(AccessPointId=current.access_point_id),
                    lambda: read(efs, ap), resource=ref, timeout=timeout)


# --- import -----------------------------------------------------------------------------


def id_of(state: AccessPointState) -> str:
    """The id ``import_`` takes."""
    return state.access_point_id


def import_(efs: BaseClient, access_point_id: str) -> AccessPointState:
    """Adopt an existing access point by id (``fsap-…``); its file system is named by id."""
    with translated(f"access point {access_point_id!r}"):
        found = efs.describe_access_points(AccessPointId=access_point_id)["AccessPoints"][0]
    tags = tagging.from_pairs(found.get("Tags", ()))
    logical = AccessPoint(name=tags.get(NAME_TAG, access_point_id), file_system=found["FileSystemId"], path="/",
                          uid=0, gid=0, permissions="", tags={}, owner=tags.get(TAG_ENDPOINT))
    return _state(found, logical)
