"""Kubernetes children: one ``pulumi_kubernetes`` resource per blueprint manifest.

Core kinds get their typed class, custom resources ``apiextensions.CustomResource``.
Placeholders (``{{ref:…}}``: cloud ids, the program's Inputs) are filled with
:func:`.inputs.fill`, so a manifest waits for the cloud children it names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi_kubernetes import apiextensions, apps, core, networking, policy, rbac

from ..blueprint.model import Manifest
from .inputs import Ref, fill

TYPED: dict[tuple[str, str], Any] = {
    ("apps/v1", "Deployment"): apps.v1.Deployment,
    ("v1", "Namespace"): core.v1.Namespace,
    ("v1", "Service"): core.v1.Service,
    ("v1", "ConfigMap"): core.v1.ConfigMap,
    ("v1", "ServiceAccount"): core.v1.ServiceAccount,
    ("networking.k8s.io/v1", "NetworkPolicy"): networking.v1.NetworkPolicy,
    ("v1", "PersistentVolume"): core.v1.PersistentVolume,
    ("v1", "PersistentVolumeClaim"): core.v1.PersistentVolumeClaim,
    ("policy/v1", "PodDisruptionBudget"): policy.v1.PodDisruptionBudget,
    ("rbac.authorization.k8s.io/v1", "Role"): rbac.v1.Role,
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): rbac.v1.RoleBinding,
}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def child_name(prefix: str, manifest: Manifest) -> str:
    """``<prefix>-<kind>-<name>``, e.g. ``llama3-8b-deployment-llama3-8b``."""
    return f"{prefix}-{manifest['kind'].lower()}-{manifest['metadata']['name']}"


def kubernetes_child(name: str, manifest: Manifest, *, refs: Mapping[Ref, pulumi.Input[str]],
                     opts: pulumi.ResourceOptions) -> pulumi.CustomResource:
    api_version, kind = manifest["apiVersion"], manifest["kind"]
    fields = {_CAMEL.sub("_", key).lower(): fill(value, refs)
              for key, value in manifest.items() if key not in ("apiVersion", "kind")}
    typed = TYPED.get((api_version, kind))
    if typed is not None:
        return typed(name, opts=opts, **fields)  # type: ignore[no-any-return]
    return apiextensions.CustomResource(name, api_version=api_version, kind=kind, opts=opts, **fields)
