"""Cloud children: dynamic resources whose providers call the AWS drivers.

Each class is made from its kind's declaration (:mod:`pulumi_endpoints.aws.schema`) and only
names its outputs; the lifecycle is in :mod:`.providers`. Properties are the blueprint
resource's fields, their placeholders filled with the program's Inputs, plus the AWS settings and,
for a secret, its value as a Pulumi secret.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..aws.ownership import owner_label
from ..aws.schema import KINDS, Kind
from ..blueprint.model import CloudResource
from ..pulumi_types import DYNAMIC_MODULE
from .inputs import Ref, fill
from .providers import AWS, OWNER, PROVIDERS, VALUE, to_props


# Pulumi checks outputs against these; sets hold strings, or taints as {key, value, effect} here.
_OUTPUT_TYPES = {"string": str, "number": float, "bool": bool, "set": list[Any], "map": dict[str, str]}


def _resource_class(kind: Kind) -> type[Resource]:
    """The dynamic resource class of a kind, its outputs typed from the kind's declaration."""
    outputs = {a.face_name: pulumi.Output[_OUTPUT_TYPES[a.type]]  # type: ignore[misc]
               for a in kind.attributes if not a.terraform_only}
    namespace = {"__doc__": kind.description, "__annotations__": outputs, "__module__": __name__}
    return types.new_class(kind.pulumi_name, (Resource,), {"module": DYNAMIC_MODULE, "name": kind.pulumi_name},
                           lambda body: body.update(namespace))


CLASSES: dict[str, type[Resource]] = {name: _resource_class(kind) for name, kind in KINDS.items()}


def cloud_child_name(prefix: str, spec: CloudResource) -> str:
    """``<prefix>-<kind>-<name>``, e.g. ``ml-file-system-shared``: part of the child's URN, so never changed."""
    return f"{prefix}-{spec.kind.replace('_', '-')}-{spec.name}".rstrip("-")


def cloud_child(name: str, spec: CloudResource, *, aws: Mapping[str, Any], refs: Mapping[Ref, pulumi.Input[str]],
                opts: pulumi.ResourceOptions, file_system_id: Callable[[str], pulumi.Input[str]],
                value: pulumi.Input[str] | None = None) -> Resource:
    """The dynamic resource for one blueprint resource. ``file_system_id`` gives a file system's id
    by its name (for what sits on one); ``value`` is a secret's."""
    props: dict[str, Any] = {key: fill(item, refs) for key, item in to_props(spec).items()}
    props[AWS] = dict(aws)
    props[OWNER] = owner_label("pulumi", f"{pulumi.get_project()}/{pulumi.get_stack()}/{spec.kind}/{spec.name}")
    kind = KINDS[spec.kind]
    if "file_system" in kind.by_name:  # the spec names its file system; the driver takes the id
        parent = kind["file_system"].face_name
        props[parent] = file_system_id(props[parent])
    if value is not None:
        props[VALUE] = pulumi.Output.secret(value)
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=[VALUE]))
    for computed in kind.attributes:
        if computed.computed:
            props.setdefault(computed.face_name, None)  # declared, so the resource has the output attribute
    return CLASSES[spec.kind](PROVIDERS[spec.kind], name, props, opts)
