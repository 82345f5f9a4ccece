"""Where the drivers talk to: region, credentials, endpoint override, default tags.

Clients are made inside calls, never at import time, and botocore is imported
lazily so that ``import pulumi_endpoints.aws`` stays cheap (the Terraform
provider imports it at start-up). botocore's sessions and clients are boto3's without
boto3's own layer (resources, s3transfer: 50 ms and 3 MB more per process).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from botocore.session import Session

    from ..blueprint.model import CloudResource

R = TypeVar("R", bound="CloudResource")

ENDPOINT_ENV = "AWS_ENDPOINT_URL"
ROLE_SESSION_NAME = "pulumi-endpoints"  # in the role's CloudTrail entries
_LOCK = threading.Lock()
_SHARED_CLIENTS_MADE = threading.Lock()
_CLIENTS: dict[tuple[Any, ...], BaseClient] = {}


@dataclass(frozen=True)
class AwsConfig:
    """Credentials come from the standard AWS chain (env, profile, SSO, instance role).

    ``endpoint_url`` overrides where every service is called; when unset,
    ``AWS_ENDPOINT_URL`` is honoured, so the same code runs against an emulator.
    ``assume_role_arn``: every call runs as this IAM role (another account's, typically), assumed
    with the chain's credentials and refreshed before it expires.
    ``default_tags`` are merged under each resource's own tags (see :meth:`with_default_tags`).
    ``static_credentials`` (access key id, secret) replace the chain: for emulators only.
    """

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    assume_role_arn: str | None = None
    default_tags: dict[str, str] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 8  # in all, the first one included
    static_credentials: tuple[str, str] | None = field(default=None, repr=False)

    @property
    def resolved_endpoint_url(self) -> str | None:
        return self.endpoint_url or os.environ.get(ENDPOINT_ENV) or None

    def shared_client(self, service: str) -> BaseClient:
        """The client of ``service`` for this configuration, made once per process and shared by
        every call of the provider faces (a new client costs milliseconds and, made under the lock,
        serializes Terraform's parallel reads). Clients are thread-safe; do not register events on
        this one: take :meth:`client` for that."""
        key = (service, self.region, self.profile, self.resolved_endpoint_url, self.assume_role_arn,
               self.static_credentials,
               self.connect_timeout, self.read_timeout, self.max_attempts)
        found = _CLIENTS.get(key)
        if found is None:
            with _SHARED_CLIENTS_MADE:  # one thread makes it; Terraform's parallel reads wait for that one
                found = _CLIENTS.get(key)
                if found is None:
                    found = _CLIENTS[key] = self.client(service)
        return found

    def client(self, service: str) -> BaseClient:
        """A new client with standard retries (throttling, transient errors) and timeouts;
        its calls are logged at DEBUG (:mod:`.call_log`)."""
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )
        from .call_log import attach
        from .errors import translated

        with _LOCK, translated(f"AWS {service} client"):  # sessions are not thread-safe; clients are
            session = _session(self.profile, self.region)
            if self.assume_role_arn:
                session = _assumed(session, self.assume_role_arn, self.resolved_endpoint_url)
            key_id, secret = self.static_credentials or (None, None)
            client = session.create_client(service, endpoint_url=self.resolved_endpoint_url, config=config,
                                           aws_access_key_id=key_id, aws_secret_access_key=secret)
        attach(client)
        return client

    def with_default_tags(self, resource: R) -> R:
        """The resource with ``default_tags`` under its own tags (its own win).

        Faces apply this to the desired spec before ``create``/``diff``, so the
        tags read back match the desired ones and no perpetual diff appears.
        """
        if not self.default_tags or not hasattr(resource, "tags"):
            return resource
        tags = {**self.default_tags, **resource.tags}
        return cast(R, dataclasses.replace(cast(Any, resource), tags=dict(sorted(tags.items()))))


@functools.cache
def _session(profile: str | None, region: str | None) -> Session:
    """One session per profile and region: clients share its credentials."""
    return _new_session(profile, region)


def _new_session(profile: str | None, region: str | None) -> Session:
    """A session on the shared loader of API models (several MB for EKS's; :func:`api_enum` reads it too)."""
    import botocore.session

    session = botocore.session.Session(profile=profile)
    session.register_component("data_loader", _loader())
    if region:
        session.set_config_variable("region", region)
    return session


@functools.cache
def _loader() -> Any:
    from botocore.loaders import create_loader

    return create_loader()


@functools.cache
def _assumed(base: Session, role_arn: str, endpoint_url: str | None) -> Session:
    """A session whose credentials are ``role_arn``'s, assumed through STS with ``base``'s and
    assumed again shortly before they expire (botocore's refreshable credentials)."""
    from botocore.credentials import RefreshableCredentials

    sts = base.create_client("sts", endpoint_url=endpoint_url)

    def assume() -> dict[str, str]:
        found = sts.assume_role(RoleArn=role_arn, RoleSessionName=ROLE_SESSION_NAME)["Credentials"]
        return {"access_key": found["AccessKeyId"], "secret_key": found["SecretAccessKey"],
                "token": found["SessionToken"], "expiry_time": found["Expiration"].isoformat()}

    session = _new_session(None, base.get_config_variable("region"))
    session._credentials = RefreshableCredentials.create_from_metadata(  # noqa: SLF001 (no public setter)
        metadata=assume(), refresh_using=assume, method="sts-assume-role")
    return session


def api_enum(service: str, shape: str) -> frozenset[str]:
    """The values an AWS API accepts for an enum, from botocore's service model. Under a lock: a
    cache alone lets concurrent first calls each load the model (about 0.2 s each for EKS)."""
    with _LOCK:
        return _api_enum(service, shape)


@functools.cache
def _api_enum(service: str, shape: str) -> frozenset[str]:
    return frozenset(_service_model(service).shape_for(shape).enum)


@functools.cache
def _service_model(service: str) -> Any:
    from botocore.model import ServiceModel

    # The arguments as botocore's client passes them: the loader caches by its arguments' spelling.
    return ServiceModel(_loader().load_service_model(service, "service-2", api_version=None), service_name=service)
