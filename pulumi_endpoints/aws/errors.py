"""AWS failures, mapped once into :class:`CloudError` with the resource, the AWS code and a hint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ..errors import EndpointsError

T = TypeVar("T")

ACCESS_DENIED = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
    "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
})
QUOTA = frozenset({
    "LimitExceeded", "LimitExceededException", "ServiceQuotaExceededException", "FileSystemLimitExceeded",
    "AccessPointLimitExceeded", "NetworkInterfaceLimitExceeded", "SecurityGroupLimitExceeded",
    "ResourceLimitExceeded", "InsufficientCapacityException",
})
NOT_FOUND = frozenset({
    "ResourceNotFoundException", "NotFoundException", "FileSystemNotFound", "MountTargetNotFound",
    "AccessPointNotFound", "SubnetNotFound", "SecurityGroupNotFound", "NoSuchEntity",
})
IN_USE = frozenset({
    "ResourceInUseException", "DependencyViolation", "FileSystemInUse", "MountTargetConflict",
    "IncorrectFileSystemLifeCycleState", "IncorrectMountTargetState", "ResourceExistsException",
})
THROTTLED = frozenset({
    "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
    "ThroughputLimitExceeded", "SlowDown",
})
INVALID = frozenset({
    "InvalidParameterException", "InvalidParameterValue", "InvalidRequestException", "BadRequest",
    "ValidationException", "InvalidParameterCombination",
})

HINTS: dict[str, str] = {
    **dict.fromkeys(ACCESS_DENIED, "the credentials in use lack a permission or are invalid/expired: "
                    "check the IAM policy and the AWS profile or role the tool runs with"),
    **dict.fromkeys(QUOTA, "an account quota is reached: delete unused resources or request "
                    "a quota increase in Service Quotas"),
    **dict.fromkeys(NOT_FOUND, "it does not exist (any more): check the name or id, the region, and "
                    "that the workspace prerequisites (cluster, subnets, security groups) exist"),
    **dict.fromkeys(IN_USE, "it is in use: delete what depends on it first (node groups before the "
                    "cluster, mount targets before the file system), or wait and retry"),
    **dict.fromkeys(THROTTLED, "AWS kept throttling after the retries: lower the parallelism "
                    "(terraform -parallelism, pulumi --parallel) and run again"),
    **dict.fromkeys(INVALID, "AWS rejected the request's input: check the field named in the message"),
}


class CloudError(EndpointsError):
    """A cloud operation failed: which resource, the AWS error code, what to do about it."""

    def __init__(self, resource: str, code: str, message: str, hint: str | None = None) -> None:
        self.resource = resource
        self.code = code
        self.message = message
        self.hint = HINTS.get(code, "") if hint is None else hint
        text = f"{resource}: {code}: {message}"
        super().__init__(f"{text} (hint: {self.hint})" if self.hint else text)

    @property
    def not_found(self) -> bool:
        return self.code in NOT_FOUND


# Failures before AWS answers (no credentials, no region, no connection): botocore class -> hint.
LOCAL_HINTS = {
    "NoCredentialsError": "no AWS credentials found: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                          "SSO or an instance role",
    "PartialCredentialsError": "the AWS credentials are incomplete: check the profile or environment",
    "NoRegionError": "no AWS region: set the region (provider/workspace setting, AWS_REGION or the profile)",
    "EndpointConnectionError": "AWS (or the emulator at endpoint_url / AWS_ENDPOINT_URL) cannot be reached",
    "ConnectTimeoutError": "connecting to AWS timed out: check the network or endpoint_url",
    "ReadTimeoutError": "AWS did not answer in time: run again",
}


@contextmanager
def translated(resource: str) -> Iterator[None]:
    """Turn botocore's errors (raised after the standard retries) into CloudError."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        raise CloudError(resource, code, str(error.get("Message") or exc)) from exc
    except BotoCoreError as exc:
        code = type(exc).__name__
        raise CloudError(resource, code, str(exc), hint=LOCAL_HINTS.get(code, "")) from exc


def or_none(resource: str, call: Callable[[], T]) -> T | None:
    """``call()`` with its errors translated, or None when AWS answers that the resource is not there."""
    try:
        with translated(resource):
            return call()
    except CloudError as exc:
        if exc.not_found:
            return None
        raise
