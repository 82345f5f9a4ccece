"""EFS mount target: the file system's NFS address in one subnet of the cluster.

model → policy → read → create → update → delete → import. Identity is the
(file system, subnet) pair: EFS allows one mount target per availability zone.
The mapping from the EFS wire format is in ``_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..blueprint.model import MountTarget
from ..errors import Problem, SpecError
from . import ownership
from . import tags as tagging
from .errors import CloudError, or_none, translated
from .policy import POLICIES, Diff
from .policy import diff as policy_diff
from .waiters import GONE, delete_and_wait, wait_available

if TYPE_CHECKING:
    from botocore.client import BaseClient

TIMEOUT = 10 * 60.0
MAX_SECURITY_GROUPS = 5


# --- model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MountTargetState:
    """A mount target as it is in AWS, in domain terms, with its computed outputs."""

    spec: MountTarget
    file_system_id: str
    mount_target_id: str
    ip_address: str
    status: str


def validate(target: MountTarget) -> None:
    path = f"mount_target[{target.name}]"
    problems = []
    if not target.subnet_id.startswith("subnet-"):
        problems.append(Problem(f"{path}.subnet_id", f"not a subnet id: {target.subnet_id!r}"))
    if not 1 <= len(target.security_group_ids) <= MAX_SECURITY_GROUPS:
        problems.append(Problem(f"{path}.security_group_ids", f"1-{MAX_SECURITY_GROUPS} security groups"))
    problems += [Problem(f"{path}.security_group_ids", f"not a security group id: {sg!r}")
                 for sg in target.security_group_ids if not sg.startswith("sg-")]
    if problems:
        raise SpecError(problems)


def _ref(target: MountTarget) -> str:
    return f"mount target {target.name!r} ({target.file_system} in {target.subnet_id})"


# --- policy -----------------------------------------------------------------------------

POLICY = POLICIES["mount_target"]


def diff(current: MountTargetState, desired: MountTarget) -> Diff:
    return policy_diff(POLICY, current.spec, desired)


# --- read -------------------------------------------------------------------------------


def read(efs: BaseClient, target: MountTarget) -> MountTargetState | None:
    """The mount target in the target's subnet, or None: DescribeMountTargets (one list per
    file system) plus DescribeMountTargetSecurityGroups (the list leaves them out)."""
    ref = _ref(target)
    found = or_none(ref, lambda: efs.describe_mount_targets(FileSystemId=target.file_system)["MountTargets"]) or []
    alive = [m for m in found if m["SubnetId"] == target.subnet_id and m["LifeCycleState"] not in GONE]
    return _with_security_groups(efs, alive[0], target, ref) if alive else None


def of_file_system(efs: BaseClient, file_system_id: str) -> dict[str, str]:
    """The live mount targets of a file system: subnet id → mount target id."""
    ref = f"mount targets of {file_system_id}"
    found = or_none(ref, lambda: efs.describe_mount_targets(FileSystemId=file_system_id)["MountTargets"]) or []
    return {m["SubnetId"]: m["MountTargetId"] for m in found if m["LifeCycleState"] not in GONE}


def _with_security_groups(efs: BaseClient, m: dict[str, Any], target: MountTarget, ref: str) -> MountTargetState:
    with translated(ref):
        groups = efs.describe_mount_target_security_groups(MountTargetId=m["MountTargetId"])["SecurityGroups"]
    return _state(m, groups, target)


def _state(m: dict[str, Any], groups: list[str], logical: MountTarget) -> MountTargetState:
    spec = MountTarget(
        name=logical.name,
        file_system=logical.file_system,
        subnet_id=m["SubnetId"],
        security_group_ids=tuple(sorted(groups)),
        owner=logical.owner,
    )
    return MountTargetState(spec, file_system_id=m["FileSystemId"], mount_target_id=m["MountTargetId"],
                            ip_address=m.get("IpAddress", ""), status=m["LifeCycleState"])


# --- create -----------------------------------------------------------------------------


def create(efs: BaseClient, target: MountTarget, *, claim: ownership.Claim,
           timeout: float = TIMEOUT) -> MountTargetState:
    """Create the mount target and wait until available.

    Mount targets carry no tags. One already in the subnet before the call is adopted only
    when ``claim`` says an earlier create of this same resource was interrupted; otherwise
    it belongs to whoever owns the file system, named in the error. One that appears during
    the call (a conflict on a retried attempt) was made by this call's lost first answer.
    """
    validate(target)
    ref = _ref(target)
    existing = read(efs, target)
    if existing is not None and not claim.resuming:
        raise ownership.OwnedElsewhere(ref, _file_system_owner(efs, target.file_system, ref), existing.mount_target_id)
    if existing is None:
        try:
            with translated(ref):
                efs.create_mount_target(FileSystemId=target.file_system, SubnetId=target.subnet_id,
                                        SecurityGroups=sorted(target.security_group_ids))
        except CloudError as exc:
            # MountTargetConflict: one appeared in this subnet (ours) or exists elsewhere in its zone (an error).
            if exc.code != "MountTargetConflict" or read(efs, target) is None:
                raise
    state = _wait_available(efs, target, timeout)
    return update(efs, state, target, timeout=timeout) if not diff(state, target).empty else state


def _file_system_owner(efs: BaseClient, file_system_id: str, ref: str) -> str | None:
    """Who owns the file system, and so its mount targets (they carry no tags of their own)."""
    found = or_none(ref, lambda: efs.describe_file_systems(FileSystemId=file_system_id)["FileSystems"]) or []
    owner = ownership.owner_of(tagging.all_from_pairs(found[0].get("Tags", ()))) if found else None
    return f"the owner of {file_system_id} ({owner})" if owner else None


def _wait_available(efs: BaseClient, target: MountTarget, timeout: float) -> MountTargetState:
    return wait_available(lambda: read(efs, target), resource=_ref(target),
                          noun="mount target", code="MountTarget", timeout=timeout)


# --- update -----------------------------------------------------------------------------


def update(efs: BaseClient, current: MountTargetState, desired: MountTarget, *, timeout: float = TIMEOUT) -> MountTargetState:
    """Apply in-place changes: the security groups."""
    validate(desired)
    changes = diff(current, desired)
    ref = _ref(desired)
    changes.require_in_place(ref)
    if "security_group_ids" in changes.changed:
        with translated(ref):
            efs.modify_mount_target_security_groups(MountTargetId=current.mount_target_id,
                                                    SecurityGroups=sorted(desired.security_group_ids))
    return _wait_available(efs, desired, timeout)


# --- delete -----------------------------------------------------------------------------


def delete(efs: BaseClient, target: MountTarget, *, timeout: float = TIMEOUT) -> None:
    """Delete the mount target and wait until it is gone (the file system can then be deleted)."""
    ref = _ref(target)
    current = read(efs, target)
    if current is None:
        return
    delete_and_wait(lambda: efs.delete_mount_target(MountTargetId=current.mount_target_id),
                    lambda: read(efs, target), resource=ref, timeout=timeout)


# --- import -----------------------------------------------------------------------------


def id_of(state: MountTargetState) -> str:
    """The id ``import_`` takes."""
    return state.mount_target_id


def import_(efs: BaseClient, mount_target_id: str) -> MountTargetState:
    """Adopt an existing mount target by id (``fsmt-…``); named after its id, its file system by id."""
    ref = f"mount target {mount_target_id!r}"
    with translated(ref):
        found = efs.describe_mount_targets(MountTargetId=mount_target_id)["MountTargets"][0]
    logical = MountTarget(name=mount_target_id, file_system=found["FileSystemId"], subnet_id=found["SubnetId"],
                          security_group_ids=())
    return _with_security_groups(efs, found, logical, ref)
