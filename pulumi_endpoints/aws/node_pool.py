"""EKS managed node group: the (GPU) node pool of one endpoint.

model → policy → read → create → update → delete → import. The spec's fields are
written in the EKS wire format by ``_request`` (create) and ``update`` with
``_config_update``, and read back by ``_state``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..blueprint.model import NodePool, Taint
from ..errors import Problem, SpecError
from ..labels import TAG_ENDPOINT
from . import ownership
from . import tags as tagging
from .config import api_enum
from .errors import CloudError, or_none, translated
from .policy import POLICIES, Diff
from .policy import diff as policy_diff
from .waiters import delete_and_wait, wait_for

if TYPE_CHECKING:
    from botocore.client import BaseClient

TIMEOUT = 40 * 60.0  # node groups take 5-20 minutes to create, update or delete
NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$")
FAILED = frozenset({"CREATE_FAILED", "DELETE_FAILED", "DEGRADED"})


# --- model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodePoolState:
    """A node group as it is in AWS, in domain terms, with its computed outputs."""

    spec: NodePool
    arn: str
    status: str
    claimed_by: str | None = None  # its owner tag (see ownership)


def validate(pool: NodePool) -> None:
    """Raise SpecError for what EKS would reject (or, under an emulator, silently accept)."""
    path = f"node_pool[{pool.name}]"
    problems = tagging.check(pool.tags, path)
    if not NAME.match(pool.name):
        problems.append(Problem(f"{path}.name", "1-63 letters, digits, '-' or '_', starting with a letter or digit"))
    if not pool.node_role_arn.startswith("arn:"):
        problems.append(Problem(f"{path}.node_role_arn", "the ARN of the IAM role the nodes run with"))
    if not pool.subnet_ids:
        problems.append(Problem(f"{path}.subnet_ids", "at least one subnet"))
    if not pool.instance_types:
        problems.append(Problem(f"{path}.instance_types", "at least one instance type"))
    if pool.ami_type not in api_enum("eks", "AMITypes"):
        problems.append(Problem(f"{path}.ami_type", f"unknown AMI type {pool.ami_type!r}"))
    if pool.capacity_type not in api_enum("eks", "CapacityTypes"):
        problems.append(Problem(f"{path}.capacity_type", f"unknown capacity type {pool.capacity_type!r}"))
    if not 1 <= pool.disk_size <= 16384:
        problems.append(Problem(f"{path}.disk_size", "between 1 and 16384 GiB"))
    if not (0 <= pool.min_size <= pool.desired_size <= pool.max_size and pool.max_size >= 1):
        problems.append(Problem(f"{path}.max_size", "need 0 <= min_size <= desired_size <= max_size and max_size >= 1"))
    for i, taint in enumerate(pool.taints):
        if not taint.key or taint.effect not in api_enum("eks", "TaintEffect"):
            problems.append(Problem(f"{path}.taints[{i}]", "needs a key and an effect NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE"))
    if problems:
        raise SpecError(problems)


def _ref(cluster_name: str, name: str) -> str:
    return f"node pool {name!r} (cluster {cluster_name!r})"


# --- policy -----------------------------------------------------------------------------

POLICY = POLICIES["node_pool"]


def diff(current: NodePoolState, desired: NodePool) -> Diff:
    return policy_diff(POLICY, current.spec, desired)


# --- read -------------------------------------------------------------------------------


def read(eks: BaseClient, pool: NodePool) -> NodePoolState | None:
    """The node group as it is now (one DescribeNodegroup), or None if it is gone."""
    found = _describe(eks, pool.cluster_name, pool.name)
    return None if found is None else _state(found, owner=pool.owner)


def _describe(eks: BaseClient, cluster_name: str, name: str) -> dict[str, Any] | None:
    return or_none(_ref(cluster_name, name),
                   lambda: dict(eks.describe_nodegroup(clusterName=cluster_name, nodegroupName=name)["nodegroup"]))


def _state(ng: dict[str, Any], owner: str | None) -> NodePoolState:
    scaling = ng.get("scalingConfig", {})
    spec = NodePool(
        name=ng["nodegroupName"],
        cluster_name=ng["clusterName"],
        node_role_arn=ng["nodeRole"],
        subnet_ids=tuple(sorted(ng.get("subnets", ()))),  # unordered fields read back sorted
        instance_types=tuple(sorted(ng.get("instanceTypes") or ())),
        ami_type=ng.get("amiType", ""),
        capacity_type=ng.get("capacityType", "ON_DEMAND"),
        disk_size=ng.get("diskSize") or 0,
        min_size=scaling.get("minSize", 0),
        max_size=scaling.get("maxSize", 0),
        desired_size=scaling.get("desiredSize", 0),
        labels=dict(sorted((ng.get("labels") or {}).items())),
        taints=tuple(sorted((Taint(t["key"], t.get("value", ""), t["effect"]) for t in ng.get("taints") or ()),
                            key=lambda t: (t.key, t.effect))),
        tags=tagging.user_tags(ng.get("tags") or {}),
        owner=owner,
    )
    return NodePoolState(spec=spec, arn=ng["nodegroupArn"], status=ng["status"],
                         claimed_by=ownership.owner_of(ng.get("tags") or {}))


# --- create -----------------------------------------------------------------------------


def create(eks: BaseClient, pool: NodePool, *, claim: ownership.Claim, timeout: float = TIMEOUT) -> NodePoolState:
    """Create the node group, tagged with its owner, and wait until ACTIVE.

    The name is the identity: a node group that already exists under it is adopted
    only when ``claim`` proves it is this resource's (a retried or crashed create),
    then brought to the desired in-place attributes, or refused if a replace attribute
    differs. (botocore makes the request token per call; a token derived from the spec
    would make EKS answer a re-create after a delete with the old, deleted node group.)
    """
    validate(pool)
    ref = _ref(pool.cluster_name, pool.name)
    try:
        with translated(ref):
            eks.create_nodegroup(**_request(pool, claim))
    except CloudError as exc:
        if exc.code != "ResourceInUseException":
            raise
        return _adopt(eks, pool, claim, timeout)
    return _wait_active(eks, pool, timeout)


def import_id(pool: NodePool) -> str:
    return f"{pool.cluster_name}:{pool.name}"


def _request(pool: NodePool, claim: ownership.Claim) -> dict[str, Any]:
    return {
        "clusterName": pool.cluster_name,
        "nodegroupName": pool.name,
        "nodeRole": pool.node_role_arn,
        "subnets": sorted(pool.subnet_ids),
        "instanceTypes": list(pool.instance_types),
        "amiType": pool.ami_type,
        "capacityType": pool.capacity_type,
        "diskSize": pool.disk_size,
        "scalingConfig": {"minSize": pool.min_size, "maxSize": pool.max_size, "desiredSize": pool.desired_size},
        "labels": dict(pool.labels),
        "taints": [_taint(t) for t in pool.taints],
        "tags": {**pool.tags, ownership.OWNER_TAG: claim.owner},
    }


def _taint(taint: Taint) -> dict[str, str]:
    return {"key": taint.key, "value": taint.value, "effect": taint.effect}


def _adopt(eks: BaseClient, pool: NodePool, claim: ownership.Claim, timeout: float) -> NodePoolState:
    ref = _ref(pool.cluster_name, pool.name)
    existing = read(eks, pool)
    if existing is None or existing.status == "DELETING":
        raise CloudError(ref, "ResourceInUseException", "a node group with this name is being deleted",
                         hint="wait until it is gone, then run again")
    ownership.check(ref, existing.claimed_by, claim, import_id(pool))
    changes = diff(existing, pool)
    if changes.needs_replace:
        raise CloudError(
            ref, "AlreadyExists",
            f"a node group with this name already exists with a different {', '.join(changes.replaces)}",
            hint="rename the node pool, delete the existing node group, or change the spec to match it",
        )
    return update(eks, existing, pool, timeout=timeout) if changes.changed else existing


def _wait_active(eks: BaseClient, pool: NodePool, timeout: float) -> NodePoolState:
    ref = _ref(pool.cluster_name, pool.name)

    def active(state: NodePoolState | None) -> bool:
        if state is None:
            raise CloudError(ref, "ResourceNotFoundException", "the node group disappeared while waiting")
        if state.status in FAILED:
            raise CloudError(ref, state.status, "the node group is not healthy",
                             hint="see its health issues: aws eks describe-nodegroup")
        return state.status == "ACTIVE"

    result = wait_for(lambda: read(eks, pool), active, resource=ref, what="ACTIVE", timeout=timeout)
    assert result is not None
    return result


# --- update -----------------------------------------------------------------------------


def update(eks: BaseClient, current: NodePoolState, desired: NodePool, *, timeout: float = TIMEOUT) -> NodePoolState:
    """Apply in-place changes: tags, then one UpdateNodegroupConfig for scaling, labels and taints."""
    validate(desired)
    changes = diff(current, desired)
    ref = _ref(desired.cluster_name, desired.name)
    changes.require_in_place(ref)
    to_tag, to_untag = tagging.changes(current.spec.tags, desired.tags)
    config = _config_update(current.spec, desired)
    with translated(ref):
        if to_tag:
            eks.tag_resource(resourceArn=current.arn, tags=to_tag)
        if to_untag:
            eks.untag_resource(resourceArn=current.arn, tagKeys=to_untag)
        if config:
            eks.update_nodegroup_config(clusterName=desired.cluster_name, nodegroupName=desired.name, **config)
    return _wait_active(eks, desired, timeout)


def _config_update(current: NodePool, desired: NodePool) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if (current.min_size, current.max_size) != (desired.min_size, desired.max_size):
        kept = min(max(current.desired_size, desired.min_size), desired.max_size)
        update["scalingConfig"] = {"minSize": desired.min_size, "maxSize": desired.max_size, "desiredSize": kept}
    if current.labels != desired.labels:
        update["labels"] = {
            "addOrUpdateLabels": {k: v for k, v in desired.labels.items() if current.labels.get(k) != v},
            "removeLabels": sorted(set(current.labels) - set(desired.labels)),
        }
    if set(current.taints) != set(desired.taints):
        kept_keys = {(t.key, t.effect) for t in desired.taints}
        update["taints"] = {
            "addOrUpdateTaints": [_taint(t) for t in desired.taints if t not in current.taints],
            "removeTaints": [_taint(t) for t in current.taints if (t.key, t.effect) not in kept_keys],
        }
    return update


# --- delete -----------------------------------------------------------------------------


def delete(eks: BaseClient, pool: NodePool, *, timeout: float = TIMEOUT) -> None:
    """Delete the node group and wait until it is gone. Deleting what is gone is not an error."""
    ref = _ref(pool.cluster_name, pool.name)
    delete_and_wait(lambda: eks.delete_nodegroup(clusterName=pool.cluster_name, nodegroupName=pool.name),
                    lambda: read(eks, pool), resource=ref, timeout=timeout)


# --- import -----------------------------------------------------------------------------


def id_of(state: NodePoolState) -> str:
    """The id ``import_`` takes."""
    return import_id(state.spec)


def import_(eks: BaseClient, import_id: str) -> NodePoolState:
    """Adopt an existing node group by ``"<cluster>:<node group>"``; its owner comes from the endpoint tag."""
    cluster_name, _, name = import_id.partition(":")
    found = _describe(eks, cluster_name, name) if name else None
    if found is None:
        raise CloudError(_ref(cluster_name, name), "ResourceNotFoundException",
                         f"nothing to import at {import_id!r}", hint="the id is '<cluster>:<node group>'")
    return _state(found, owner=(found.get("tags") or {}).get(TAG_ENDPOINT))
