"""EFS file system: the workspace's shared NFS storage for model weights.

model → policy → read → create → update → delete → import. The spec's fields are
written in the EFS wire format by ``_request``, ``_wire_tags``, ``_lifecycle`` and
``update``, and read back by ``_state``.
Identity is the creation token: a retried create finds the file system it made.
Deletion protection is a tag on the file system, so every engine and the CLI see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..blueprint.model import FileSystem
from ..errors import Problem, SpecError
from ..labels import TAG_DELETION_PROTECTION as PROTECTION_TAG
from ..labels import TAG_ENDPOINT
from . import ownership
from . import tags as tagging
from .config import api_enum
from .errors import CloudError, translated
from .policy import POLICIES, Diff
from .policy import diff as policy_diff
from .tags import NAME_TAG
from .waiters import GONE, delete_and_wait, wait_available

if TYPE_CHECKING:
    from botocore.client import BaseClient

TIMEOUT = 10 * 60.0


# --- model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSystemState:
    """A file system as it is in AWS, in domain terms, with its computed outputs."""

    spec: FileSystem
    file_system_id: str
    arn: str
    status: str
    claimed_by: str | None = None  # its owner tag (see ownership)


def validate(fs: FileSystem) -> None:
    path = f"file_system[{fs.name}]"
    problems = tagging.check(fs.tags, path)
    problems += [Problem(f"{path}.tags", f"{key!r} is set by the driver") for key in (NAME_TAG, PROTECTION_TAG)
                 if key in fs.tags]
    if not 1 <= len(fs.creation_token) <= 64:
        problems.append(Problem(f"{path}.creation_token", "1-64 characters"))
    if fs.performance_mode not in api_enum("efs", "PerformanceMode"):
        problems.append(Problem(f"{path}.performance_mode", f"unknown mode {fs.performance_mode!r}"))
    if fs.throughput_mode not in api_enum("efs", "ThroughputMode"):
        problems.append(Problem(f"{path}.throughput_mode", f"unknown mode {fs.throughput_mode!r}"))
    if (fs.throughput_mode == "provisioned") != (fs.provisioned_throughput_mibps is not None):
        problems.append(Problem(f"{path}.provisioned_throughput_mibps", "set it exactly when throughput_mode is provisioned"))
    elif fs.provisioned_throughput_mibps is not None and fs.provisioned_throughput_mibps < 1:
        problems.append(Problem(f"{path}.provisioned_throughput_mibps", "at least 1 MiB/s"))
    if fs.throughput_mode == "elastic" and fs.performance_mode == "maxIO":
        problems.append(Problem(f"{path}.throughput_mode", "elastic throughput needs performance_mode generalPurpose"))
    if fs.transition_to_ia is not None and fs.transition_to_ia not in api_enum("efs", "TransitionToIARules"):
        problems.append(Problem(f"{path}.transition_to_ia", f"unknown rule {fs.transition_to_ia!r} (e.g. AFTER_30_DAYS)"))
    if problems:
        raise SpecError(problems)


def _ref(fs: FileSystem) -> str:
    return f"file system {fs.name!r} (creation token {fs.creation_token!r})"


# --- policy -----------------------------------------------------------------------------

POLICY = POLICIES["file_system"]


def diff(current: FileSystemState, desired: FileSystem) -> Diff:
    return policy_diff(POLICY, current.spec, desired)


# --- read -------------------------------------------------------------------------------


def read(efs: BaseClient, fs: FileSystem) -> FileSystemState | None:
    """The file system as it is now, or None if gone: DescribeFileSystems by creation token,
    plus DescribeLifecycleConfiguration (the one attribute DescribeFileSystems leaves out)."""
    return find(efs, fs.creation_token, owner=fs.owner, ref=_ref(fs))


def find(efs: BaseClient, creation_token: str, *, owner: str | None = None, ref: str | None = None
         ) -> FileSystemState | None:
    """The live file system with this creation token, or None."""
    ref = ref or f"file system (creation token {creation_token!r})"
    with translated(ref):
        found = efs.describe_file_systems(CreationToken=creation_token)["FileSystems"]
    alive = [d for d in found if d["LifeCycleState"] not in GONE]
    return _read_lifecycle(efs, alive[0], owner, ref) if alive else None


def _read_lifecycle(efs: BaseClient, description: dict[str, Any], owner: str | None, ref: str) -> FileSystemState:
    with translated(ref):
        policies = efs.describe_lifecycle_configuration(FileSystemId=description["FileSystemId"])["LifecyclePolicies"]
    return _state(description, policies, owner)


def _state(d: dict[str, Any], lifecycle: list[dict[str, str]], owner: str | None) -> FileSystemState:
    tags = tagging.from_pairs(d.get("Tags", ()))
    spec = FileSystem(
        name=tags.pop(NAME_TAG, d.get("Name", "")),
        creation_token=d["CreationToken"],
        performance_mode=d["PerformanceMode"],
        throughput_mode=d.get("ThroughputMode", "bursting"),
        provisioned_throughput_mibps=d.get("ProvisionedThroughputInMibps") if d.get("ThroughputMode") == "provisioned" else None,
        encrypted=bool(d.get("Encrypted")),
        transition_to_ia=next((p["TransitionToIA"] for p in lifecycle if "TransitionToIA" in p), None),
        deletion_protection=tags.pop(PROTECTION_TAG, "false") == "true",
        tags=tags,
        owner=owner,
    )
    return FileSystemState(spec, file_system_id=d["FileSystemId"], arn=d["FileSystemArn"], status=d["LifeCycleState"],
                           claimed_by=ownership.owner_of(tagging.all_from_pairs(d.get("Tags", ()))))


# --- create -----------------------------------------------------------------------------


def create(efs: BaseClient, fs: FileSystem, *, claim: ownership.Claim, timeout: float = TIMEOUT) -> FileSystemState:
    """Create the file system, tagged with its owner, and wait until available.

    The creation token is the identity: one that already exists with it is adopted
    only when ``claim`` proves it is this resource's (a retried or crashed create),
    then brought to the desired in-place attributes, or refused if a replace
    attribute differs.
    """
    validate(fs)
    try:
        with translated(_ref(fs)):
            efs.create_file_system(**_request(fs, claim))
    except CloudError as exc:
        if exc.code != "FileSystemAlreadyExists":
            raise
        found = read(efs, fs)
        ownership.check(_ref(fs), found.claimed_by if found else None, claim,
                        found.file_system_id if found else fs.creation_token)
    state = _wait_available(efs, fs, timeout)
    changes = diff(state, fs)
    if changes.needs_replace:
        raise CloudError(
            _ref(fs), "AlreadyExists",
            f"a file system with this creation token already exists with a different {', '.join(changes.replaces)}",
            hint="import it and change the spec to match, or use another creation token",
        )
    return update(efs, state, fs, timeout=timeout) if changes.changed else state


def _request(fs: FileSystem, claim: ownership.Claim) -> dict[str, Any]:
    request: dict[str, Any] = {
        "CreationToken": fs.creation_token,
        "PerformanceMode": fs.performance_mode,
        "Encrypted": fs.encrypted,
        "ThroughputMode": fs.throughput_mode,
        "Tags": tagging.to_pairs({**_wire_tags(fs), ownership.OWNER_TAG: claim.owner}),
    }
    if fs.provisioned_throughput_mibps is not None:
        request["ProvisionedThroughputInMibps"] = fs.provisioned_throughput_mibps
    return request


def _wire_tags(fs: FileSystem) -> dict[str, str]:
    protection = {PROTECTION_TAG: "true"} if fs.deletion_protection else {}
    return {**fs.tags, NAME_TAG: fs.name, **protection}


def _lifecycle(fs: FileSystem) -> list[dict[str, str]]:
    return [{"TransitionToIA": fs.transition_to_ia}] if fs.transition_to_ia else []


def _wait_available(efs: BaseClient, fs: FileSystem, timeout: float) -> FileSystemState:
    return wait_available(lambda: read(efs, fs), resource=_ref(fs), noun="file system", code="FileSystem",
                          timeout=timeout)


# --- update -----------------------------------------------------------------------------


def update(efs: BaseClient, current: FileSystemState, desired: FileSystem, *, timeout: float = TIMEOUT) -> FileSystemState:
    """Apply in-place changes: tags (name, protection), throughput, lifecycle."""
    validate(desired)
    changes = diff(current, desired)
    changes.require_in_place(_ref(desired))
    fs_id = current.file_system_id
    to_tag, to_untag = tagging.changes(_wire_tags(current.spec), _wire_tags(desired))
    with translated(_ref(desired)):
        if to_tag:
            efs.tag_resource(ResourceId=fs_id, Tags=tagging.to_pairs(to_tag))
        if to_untag:
            efs.untag_resource(ResourceId=fs_id, TagKeys=to_untag)
        if {"throughput_mode", "provisioned_throughput_mibps"} & set(changes.changed):
            throughput: dict[str, Any] = {"ThroughputMode": desired.throughput_mode}
            if desired.provisioned_throughput_mibps is not None:
                throughput["ProvisionedThroughputInMibps"] = desired.provisioned_throughput_mibps
            efs.update_file_system(FileSystemId=fs_id, **throughput)
        if "transition_to_ia" in changes.changed:
            efs.put_lifecycle_configuration(FileSystemId=fs_id, LifecyclePolicies=_lifecycle(desired))
    return _wait_available(efs, desired, timeout)


# --- delete -----------------------------------------------------------------------------


def delete(efs: BaseClient, fs: FileSystem, *, timeout: float = TIMEOUT) -> None:
    """Delete the file system (and the data on it) unless it is protected.

    Protected means: the spec or the file system in AWS says so. Turn
    ``deletion_protection`` off and apply first. Mount targets must be gone
    (EFS answers FileSystemInUse otherwise). Deleting what is gone is not an error.
    """
    current = read(efs, fs)
    if current is None:
        return
    if fs.deletion_protection or current.spec.deletion_protection:
        raise CloudError(
            _ref(fs), "DeletionProtected", "the file system is protected from deletion (its data would be lost)",
            hint="set deletion_protection to false and apply, then delete",
        )
    delete_and_wait(lambda: efs.delete_file_system(FileSystemId=current.file_system_id),
                    lambda: read(efs, fs), resource=_ref(fs), timeout=timeout)


# --- import -----------------------------------------------------------------------------


def id_of(state: FileSystemState) -> str:
    """The id ``import_`` takes."""
    return state.file_system_id


def import_(efs: BaseClient, file_system_id: str) -> FileSystemState:
    """Adopt an existing file system by id (``fs-…``); its owner comes from the endpoint tag."""
    ref = f"file system {file_system_id!r}"
    with translated(ref):
        found = efs.describe_file_systems(FileSystemId=file_system_id)["FileSystems"]
    owner = tagging.from_pairs(found[0].get("Tags", ())).get(TAG_ENDPOINT)
    return _read_lifecycle(efs, found[0], owner, ref)
