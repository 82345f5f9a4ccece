"""Secrets reach pods through External Secrets Operator: no value ever enters a manifest."""

from __future__ import annotations

from ..labels import ENDPOINT_LABEL
from . import naming
from .containers import secret_env
from .model import Manifest
from .plan import EndpointPlan
from .workload import metadata

REFRESH_INTERVAL = "1h"

EXTERNAL_SECRETS_API = "external-secrets.io/v1"


def token_secrets(plan: EndpointPlan) -> list[str]:
    """Workspace secrets holding the bearer tokens the endpoint accepts, sorted; none when public."""
    if plan.spec.access.public:
        return []
    return sorted({plan.workspace.token_secret, *plan.spec.access.tokens})


def referenced_secrets(plan: EndpointPlan) -> set[str]:
    """Workspace secrets this endpoint reads."""
    return {*secret_env(plan).values(), *token_secrets(plan)}


def _external_secret(plan: EndpointPlan, name: str, keys: dict[str, str]) -> Manifest:
    store = plan.workspace.secret_store
    return {
        "apiVersion": EXTERNAL_SECRETS_API, "kind": "ExternalSecret", "metadata": metadata(plan, name),
        "spec": {
            "refreshInterval": REFRESH_INTERVAL,
            "secretStoreRef": {"kind": store.kind, "name": store.name},
            "target": {"name": name, "creationPolicy": "Owner",
                       "template": {"metadata": {"labels": {ENDPOINT_LABEL: plan.name}}}},
            "data": [{"secretKey": key, "remoteRef": {"key": plan.workspace.secret_id(secret)}}
                     for key, secret in keys.items()],
        },
    }


def external_secrets(plan: EndpointPlan) -> list[Manifest]:
    result = []
    env = secret_env(plan)
    if env:
        result.append(_external_secret(plan, naming.env_secret(plan.name), env))
    tokens = token_secrets(plan)
    if tokens:
        result.append(_external_secret(plan, naming.token_secret(plan.name), {token: token for token in tokens}))
    return result
