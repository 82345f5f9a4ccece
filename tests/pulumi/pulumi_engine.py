"""A stand-in for the Pulumi engine, built on ``pulumi.runtime.set_mocks`` (no CLI or engine here).

:func:`run` runs a program under mocks and returns what it registered: type, name,
parent, inputs as sent (the raw protobuf too, to check secrets) and resource
options. :class:`Deployment` is the engine's part for dynamic resources: like the
real engine it unpickles each resource's ``__provider`` and calls it with plain
values (secrets unwrapped, numbers as floats) — ``create`` on the first run
(``pulumi up``), ``diff`` against the recorded state on later runs
(``pulumi preview``). Kubernetes resources are only recorded: their diff is the
kubernetes provider's.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import dill
import pulumi
from google.protobuf import json_format
from pulumi.dynamic import DiffResult, ResourceProvider
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks

DYNAMIC = "pulumi-python:dynamic"
PROVIDER_KEY = "__provider"


@dataclass
class Registration:
    type: str
    name: str
    parent: str  # the parent's name ('' for the stack)
    inputs: dict[str, Any]  # deserialized: secrets still wrapped, numbers as floats, None dropped
    raw: dict[str, Any]  # the request's properties as JSON, exactly as sent to the engine
    additional_secret_outputs: list[str]
    provider: str
    dependencies: list[str]
    aliases: list[str]  # the names of the resource's aliases

    @property
    def plain(self) -> dict[str, Any]:
        """The inputs as a provider receives them (the engine unwraps secrets for dynamic providers)."""
        return unwrap(self.inputs)


def unwrap(value: Any) -> Any:
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def provider_of(registration: Registration) -> ResourceProvider:
    provider: ResourceProvider = dill.loads(base64.b64decode(registration.plain[PROVIDER_KEY]))
    return provider


class Monitor(MockMonitor):
    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            self.registered.append(Registration(
                type=request.type, name=request.name, parent=request.parent.rsplit("::", 1)[-1],
                inputs=rpc.deserialize_properties(request.object),
                raw=json_format.MessageToDict(request.object),
                additional_secret_outputs=list(request.additionalSecretOutputs), provider=request.provider,
                dependencies=[urn.rsplit("::", 1)[-1] for urn in request.dependencies],
                aliases=[alias.spec.name for alias in request.aliases]))
        return super().RegisterResource(request)

    def by_name(self) -> dict[str, Registration]:
        return {r.name: r for r in self.registered}


@dataclass
class Deployment(Mocks):
    """The engine's state across runs. ``with_providers=False`` records only (outputs = inputs)."""

    with_providers: bool = True
    state: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # name → (id, outputs)
    diffs: dict[str, DiffResult] = field(default_factory=dict)  # name → the last run's diff

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.typ.startswith(DYNAMIC) or not self.with_providers:
            return (f"{args.name}-id" if args.custom else None), dict(args.inputs)
        news = unwrap(args.inputs)
        provider: ResourceProvider = dill.loads(base64.b64decode(news[PROVIDER_KEY]))
        if args.name in self.state:  # preview: what would change
            id_, olds = self.state[args.name]
            self.diffs[args.name] = provider.diff(id_, olds, news)
            return id_, olds
        created = provider.create(news)  # up: create
        outs = {**(created.outs or {}), PROVIDER_KEY: news[PROVIDER_KEY]}
        self.state[args.name] = (created.id, outs)
        return created.id, outs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def run(program: Callable[[], Any], mocks: Mocks, *, project: str = "endpoints-example", stack: str = "test",
        config: Mapping[str, str] | None = None, secret_keys: tuple[str, ...] = (), preview: bool = False) -> Monitor:
    """Run ``program`` under mocks until every registration is done; return the monitor."""
    monitor = Monitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config({f"{project}:{k}": v for k, v in (config or {}).items()},
                                  [f"{project}:{k}" for k in secret_keys])
    pulumi.runtime.test(program)()
    return monitor
