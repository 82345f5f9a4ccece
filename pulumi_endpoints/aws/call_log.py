"""One DEBUG line per AWS call: service, operation, the resource it is about, duration, retries, outcome.

Only the identifiers in :data:`IDS` are taken from the request, never any other parameter: no
values, tags or bodies. botocore's own DEBUG logs hold request bodies (secret values included)
and stay off; see ``pulumi_endpoints/terraform/__main__.py``.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse
    from botocore.client import BaseClient
    from botocore.model import OperationModel

log = logging.getLogger("pulumi_endpoints.aws")

# Request parameters that name what a call is about, in the order they are shown.
IDS = ("clusterName", "nodegroupName", "name", "FileSystemId", "CreationToken", "MountTargetId", "AccessPointId",
       "SubnetId", "SecretId", "Name", "ResourceId", "resourceArn")
_CALL = "pulumi_endpoints.call"  # key in botocore's per-call context dict


def attach(client: BaseClient) -> None:
    """Log every call the client makes (the handlers only see the one client)."""
    events = client.meta.events
    events.register("before-parameter-build", _started)
    events.register("after-call", _answered)  # AWS answered, with success or an error code
    events.register("after-call-error", _failed)  # no answer: connection errors, timeouts


def _started(params: dict[str, Any], model: OperationModel, context: dict[str, Any], **_: Any) -> None:
    if log.isEnabledFor(logging.DEBUG):
        about = [f"{_snake(key)}={params[key]}" for key in IDS if isinstance(params.get(key), str)]
        context[_CALL] = (time.monotonic(), model, " ".join(about))


def _answered(http_response: AWSResponse, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    status = http_response.status_code
    code = context.get("error_code_override") or parsed.get("Error", {}).get("Code") or f"HTTP{status}"
    _log(context, "ok" if status < 300 else f"error={code}")


def _failed(exception: Exception, context: dict[str, Any], **_: Any) -> None:
    _log(context, f"error={type(exception).__name__}")


def _log(context: dict[str, Any], outcome: str) -> None:
    call = context.pop(_CALL, None)
    if call is None:
        return
    started, model, about = call
    retries = context.get("retries", {}).get("attempt", 1) - 1
    log.debug("aws %s.%s %s%.0f ms retries=%d %s", model.service_model.service_name, model.name,
              f"{about} " if about else "", (time.monotonic() - started) * 1000, retries, outcome)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()
