"""Risk flags: what a reviewer must not miss."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import Action, EndpointView, ResourceChange, Risk
from .resources import kind_label

SERVING = {"node_pool": "drains the pool: its replicas restart on new nodes",
           "access_point": "pods mounting it move to a new access point",
           "mount_target": "NFS mounts in its subnet drop while it is recreated",
           "Deployment": "its pods are recreated", "Service": "traffic stops while it is recreated",
           "HTTPRoute": "requests fail while it is recreated"}


Readers = Mapping[str, tuple[list[str], list[str]]]  # secret id -> endpoints reading it before, after


def resource_risks(subject: str, resources: Iterable[ResourceChange], readers: Readers | None = None) -> list[Risk]:
    risks = []
    for change in resources:
        what = f"{kind_label(change.kind)} {change.name}"
        if change.kind == "secret" and change.action in (Action.DELETE, Action.REPLACE):
            before, after = (readers or {}).get((change.before or {}).get("secret_id") or change.name, ([], []))
            verb = "DELETED" if change.action is Action.DELETE else "REPLACED"
            if after:
                who = f"{', '.join(after)} still read{'s' if len(after) == 1 else ''} it: their pods lose it"
            elif before:
                who = f"read by {', '.join(before)} until this change"
            else:
                who = "no endpoint reads it"
            risks.append(Risk("delete", subject, f"{what} {verb} ({who}); its value is gone for good once the "
                                                 "recovery window ends"))
        elif change.kind == "file_system" and change.action in (Action.DELETE, Action.REPLACE):
            protection = "" if (change.before or {}).get("deletion_protection") else " (deletion protection is off)"
            verb = "DELETED" if change.action is Action.DELETE else "REPLACED by a new, empty one"
            risks.append(Risk("delete", subject, f"{what} {verb}: the model data on it is lost{protection}"))
        elif change.action is Action.REPLACE and change.kind in SERVING:
            risks.append(Risk("replace", subject, f"{what} REPLACED: {SERVING[change.kind]}"))
    return risks


def endpoint_risks(name: str, before: EndpointView | None, after: EndpointView | None,
                   before_known: bool) -> list[Risk]:
    if after is None:
        return []
    risks = []
    was_public = before.public if before else False
    if after.public and not was_public and (before is not None or before_known):
        risks.append(Risk("public", name, f"public access turned on: anyone who reaches {after.summary.url} "
                                          "can call it without a token"))
    removed = sorted(set(before.tokens) - set(after.tokens)) if before and not after.public else []
    if removed:
        risks.append(Risk("token", name, f"token{'s' if len(removed) > 1 else ''} {', '.join(removed)} no longer "
                                         "accepted: callers presenting "
                                         f"{'them' if len(removed) > 1 else 'it'} get 401"))
    newly = sorted(set(after.writes_into) - set(before.writes_into if before else ()))
    if newly:
        risks.append(Risk("shared-write", name, f"mounts read-write a folder that {', '.join(newly)} also "
                                                "mount: it can change the files they serve"))
    if "spot" in after.summary.capacity_types and (before is None or "spot" not in before.summary.capacity_types):
        risks.append(Risk("spot", name, "runs on spot capacity: EC2 can reclaim its nodes with two minutes' "
                                        "notice, interrupting the replicas on them"))
    if before is not None and before.summary.provisioner != after.summary.provisioner:
        risks.append(Risk("replace", name, f"nodes move from {before.summary.provisioner} to "
                                           f"{after.summary.provisioner}: every replica restarts on new nodes"))
    stranded = after.summary.min_replicas == 0 and not after.scale_from_zero
    was_stranded = before is not None and before.summary.min_replicas == 0 and not before.scale_from_zero
    if stranded and not was_stranded:
        risks.append(Risk("scale-to-zero", name, f"scales to zero ({after.autoscaling}) with nothing to wake it: "
                                                 "requests fail until a replica is started by hand"))
    return risks
