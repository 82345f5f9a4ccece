"""Schema attributes whose lifecycle facts come from the drivers' policy table (never a copy)."""

from __future__ import annotations

from tf.schema import Attribute
from tf.types import TfType

from ..aws.policy import POLICIES, Policy, field_name


def attribute(kind: str, name: str, type_: TfType, description: str, *, required: bool = False,
              optional: bool = False, computed: bool = False) -> Attribute:
    """An attribute of resource ``kind``; ``requires_replace``, ``sensitive`` and computed-ness
    follow :data:`pulumi_endpoints.aws.policy.POLICIES` when the attribute is in it."""
    table = POLICIES[kind]
    policy = table.get(name) or table.get(field_name(name))
    is_computed = computed or (policy is not None and policy.policy is Policy.COMPUTED)
    return Attribute(
        name, type_, description=description,
        required=required, optional=optional, computed=is_computed,
        sensitive=bool(policy and policy.sensitive),
        requires_replace=bool(policy and policy.policy is Policy.REPLACE),
    )
