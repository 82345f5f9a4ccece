"""``kubernetes_manifest`` of hashicorp/kubernetes and the provider settings an EKS stack needs.

Hand-written, a small subset: hashicorp/kubernetes cannot be installed offline, so its schema is
not checked here. Other provider settings go through ``add_override``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from constructs import Construct

from ._cdk import Meta, Provider, Resource

SOURCE = "hashicorp/kubernetes"
VERSION = ">= 2.25"


class KubernetesProvider(Provider):
    """Configuration of hashicorp/kubernetes: the stack creates it, never a reusable construct."""

    terraform_type = "kubernetes"
    provider_source = SOURCE
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config_path: str | None = None,
        config_context: str | None = None,
        host: str | None = None,
        cluster_ca_certificate: str | None = None,
        token: str | None = None,
        alias: str | None = None,
    ) -> None:
        super().__init__(scope, id, {
            "config_path": config_path,
            "config_context": config_context,
            "host": host,
            "cluster_ca_certificate": cluster_ca_certificate,
            "token": token,
        }, alias=alias)


class KubernetesManifest(Resource):
    """One Kubernetes object, applied server-side by hashicorp/kubernetes."""

    terraform_type = "kubernetes_manifest"
    provider_name = "kubernetes"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        manifest: Mapping[str, Any],
        computed_fields: Sequence[str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {"manifest": manifest, "computed_fields": computed_fields}, **meta)
