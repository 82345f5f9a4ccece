"""Cloud children: dynamic resources whose providers call the AWS drivers.

Each class only names its outputs (typed attributes); the lifecycle is in
:mod:`.providers`. Properties are the blueprint resource's fields, filled with
the workspace's Output references, plus the AWS settings and, for a secret, its
value as a Pulumi secret.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..aws.ownership import owner_label
from ..aws.policy import ON_FILE_SYSTEM, Policy, face_name, fields_with
from ..blueprint.model import CloudResource
from ..pulumi_types import DYNAMIC_MODULE, DYNAMIC_NAMES
from .inputs import fill
from .providers import AWS, OWNER, PROVIDERS, VALUE, to_props


class NodePool(Resource, module=DYNAMIC_MODULE, name=DYNAMIC_NAMES["node_pool"]):
    """An EKS managed node group serving one endpoint."""

    name: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    min_size: pulumi.Output[float]
    max_size: pulumi.Output[float]
    arn: pulumi.Output[str]
    status: pulumi.Output[str]


class FileSystem(Resource, module=DYNAMIC_MODULE, name=DYNAMIC_NAMES["file_system"]):
    """The workspace's shared EFS file system (protected from deletion unless turned off)."""

    name: pulumi.Output[str]
    file_system_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    status: pulumi.Output[str]


class MountTarget(Resource, module=DYNAMIC_MODULE, name=DYNAMIC_NAMES["mount_target"]):
    """The file system's NFS address in one subnet."""

    subnet_id: pulumi.Output[str]
    mount_target_id: pulumi.Output[str]
    ip_address: pulumi.Output[str]


class AccessPoint(Resource, module=DYNAMIC_MODULE, name=DYNAMIC_NAMES["access_point"]):
    """An EFS access point rooted at the folder an endpoint mounts."""

    path: pulumi.Output[str]
    access_point_id: pulumi.Output[str]
    arn: pulumi.Output[str]


class Secret(Resource, module=DYNAMIC_MODULE, name=DYNAMIC_NAMES["secret"]):
    """A Secrets Manager secret; ``value`` is a Pulumi secret."""

    secret_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    version_id: pulumi.Output[str]


CLASSES: dict[str, type[Resource]] = {"node_pool": NodePool, "file_system": FileSystem,
                                      "mount_target": MountTarget, "access_point": AccessPoint, "secret": Secret}


def cloud_child_name(prefix: str, spec: CloudResource) -> str:
    """``<prefix>-<kind>-<name>``, e.g. ``ml-file-system-shared``: part of the child's URN, so never changed."""
    return f"{prefix}-{spec.kind.replace('_', '-')}-{spec.name}".rstrip("-")


def cloud_child(name: str, spec: CloudResource, *, aws: Mapping[str, Any], stand_ins: Mapping[str, pulumi.Output[str]],
                opts: pulumi.ResourceOptions, file_system_id: Callable[[str], pulumi.Input[str]],
                value: pulumi.Input[str] | None = None) -> Resource:
    """The dynamic resource for one blueprint resource. ``file_system_id`` gives a file system's id
    by its name (for what sits on one); ``value`` is a secret's."""
    props: dict[str, Any] = {key: fill(item, stand_ins, {}) for key, item in to_props(spec).items()}
    props[AWS] = dict(aws)
    # One object per (kind, name) in a stack; a name may hold a stand-in (a subnet id): filled like the rest.
    props[OWNER] = fill(owner_label("pulumi", f"{pulumi.get_project()}/{pulumi.get_stack()}/{spec.kind}/{spec.name}"),
                        stand_ins, {})
    if spec.kind in ON_FILE_SYSTEM:  # the spec names its file system; the driver takes the id
        parent = face_name("file_system")
        props[parent] = file_system_id(props[parent])
    if value is not None:
        props[VALUE] = pulumi.Output.secret(value)
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=[VALUE]))
    for computed in fields_with(spec.kind, Policy.COMPUTED):
        props.setdefault(computed, None)  # declared, so the resource has the output attribute
    return CLASSES[spec.kind](PROVIDERS[spec.kind], name, props, opts)
