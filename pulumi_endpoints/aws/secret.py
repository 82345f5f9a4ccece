"""Secrets Manager secret: a value the endpoint's pods receive through External Secrets.

model → policy → read → create → update → delete → import. The value is never
read back, stored in a plan or logged, and nothing derived from it is kept: the
faces keep the AWS version id of their last write, so a value changed outside the
tool (a new current version) shows as drift, and a changed configuration writes a
new version.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cloud_defaults import SECRET_RECOVERY_DAYS_MAX, SECRET_RECOVERY_DAYS_MIN
from ..blueprint.model import SecretEntry, SecretValue
from ..errors import Problem, SpecError
from ..labels import TAG_ENDPOINT
from . import ownership
from . import tags as tagging
from .errors import CloudError, or_none, translated
from .policy import POLICIES, Diff
from .policy import diff as policy_diff

if TYPE_CHECKING:
    from botocore.client import BaseClient

NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
MAX_VALUE_BYTES = 65536


# --- model ------------------------------------------------------------------------------


class _Redactor(logging.Filter):
    """Masks the values being written in botocore's DEBUG logs of request bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.values:
            message = record.getMessage()
            forms = {form for value in list(self.values) for form in _written_forms(value)}
            if any(form in message for form in forms):
                for form in forms:
                    message = message.replace(form, "***")
                record.msg, record.args = message, None
        return True

    @contextmanager
    def masking(self, value: SecretValue) -> Iterator[None]:
        with self.lock:
            for name in BODY_LOGGERS:
                if self not in logging.getLogger(name).filters:
                    logging.getLogger(name).addFilter(self)
            self.values.append(value.reveal())
        try:
            yield
        finally:
            with self.lock:
                self.values.remove(value.reveal())


def _written_forms(value: str) -> tuple[str, ...]:
    """The value as botocore logs it: raw, JSON-escaped, and inside a bytes repr."""
    escaped = json.dumps(value)[1:-1]
    return tuple(form for form in (value, escaped, repr(escaped.encode())[2:-1]) if form)


BODY_LOGGERS = ("botocore.endpoint", "botocore.parsers")
_REDACTOR = _Redactor()


@dataclass(frozen=True)
class SecretState:
    """A secret as it is in AWS, in domain terms: no value, only the current version's id."""

    spec: SecretEntry
    arn: str
    version_id: str | None
    claimed_by: str | None = None  # its owner tag (see ownership)


def validate(entry: SecretEntry) -> None:
    path = f"secret[{entry.name}]"
    problems = tagging.check(entry.tags, path)
    if not NAME.match(entry.secret_id):
        problems.append(Problem(f"{path}.secret_id", "1-512 letters, digits or /_+=.@-"))
    if len(entry.description) > 2048:
        problems.append(Problem(f"{path}.description", "at most 2048 characters"))
    if entry.value is not None and not 1 <= len(entry.value.reveal().encode()) <= MAX_VALUE_BYTES:
        problems.append(Problem(f"{path}.value", f"1-{MAX_VALUE_BYTES} bytes"))
    problems += _recovery_problems(entry)
    if problems:
        raise SpecError(problems)


def _recovery_problems(entry: SecretEntry) -> list[Problem]:
    if SECRET_RECOVERY_DAYS_MIN <= entry.recovery_window_days <= SECRET_RECOVERY_DAYS_MAX:
        return []
    return [Problem(f"secret[{entry.name}].recovery_window_days",
                    f"between {SECRET_RECOVERY_DAYS_MIN} and {SECRET_RECOVERY_DAYS_MAX} days")]


def _ref(entry: SecretEntry) -> str:
    return f"secret {entry.secret_id!r}" if entry.name == entry.secret_id else \
        f"secret {entry.name!r} ({entry.secret_id})"


# --- policy -----------------------------------------------------------------------------

POLICY = POLICIES["secret"]


def diff(current: SecretState, desired: SecretEntry) -> Diff:
    """Compare the attributes; whether the value changed is the faces' to say (they hold it)."""
    return policy_diff(POLICY, current.spec, desired, skip=("value",))


# --- read -------------------------------------------------------------------------------


def read(sm: BaseClient, entry: SecretEntry) -> SecretState | None:
    """The secret (one DescribeSecret), or None if it is gone or scheduled for deletion."""
    found = _describe(sm, entry.secret_id, _ref(entry))
    return None if found is None or "DeletedDate" in found else _state(found, entry)


def _describe(sm: BaseClient, secret_id: str, ref: str) -> dict[str, Any] | None:
    return or_none(ref, lambda: dict(sm.describe_secret(SecretId=secret_id)))


def _state(d: dict[str, Any], logical: SecretEntry) -> SecretState:
    spec = dataclasses.replace(logical, secret_id=d["Name"], description=d.get("Description", ""),
                               tags=tagging.from_pairs(d.get("Tags", ())), value=None)
    current = [v for v, stages in d.get("VersionIdsToStages", {}).items() if "AWSCURRENT" in stages]
    return SecretState(spec, arn=d["ARN"], version_id=current[0] if current else None,
                       claimed_by=ownership.owner_of(tagging.all_from_pairs(d.get("Tags", ()))))


def under(sm: BaseClient, prefix: str) -> dict[str, str]:
    """The live secrets whose names start with ``prefix``: name → ARN (no values)."""
    pages = sm.get_paginator("list_secrets").paginate(Filters=[{"Key": "name", "Values": [prefix]}])
    with translated(f"secrets {prefix}*"):
        return {s["Name"]: s["ARN"] for page in pages for s in page["SecretList"]
                if s["Name"].startswith(prefix) and "DeletedDate" not in s}


# --- create -----------------------------------------------------------------------------


def create(sm: BaseClient, entry: SecretEntry, *, claim: ownership.Claim) -> SecretState:
    """Create the secret with its first version, tagged with its owner (botocore makes the request
    token, kept across its own retries).

    A secret that already exists under this name is adopted only when ``claim`` proves it
    is this resource's (a retried or crashed create); one scheduled for deletion (destroyed,
    still in its recovery window) belongs to no one: it is restored and claimed. Either is
    then brought to the desired description and tags, and given the value as a new version.
    """
    validate(entry)
    value = _value(entry)
    ref = _ref(entry)
    refused: CloudError | None = None
    try:
        with translated(ref), _REDACTOR.masking(value):
            sm.create_secret(Name=entry.secret_id, Description=entry.description, SecretString=value.reveal(),
                             Tags=tagging.to_pairs({**entry.tags, ownership.OWNER_TAG: claim.owner}))
    except CloudError as exc:
        # Already there: ResourceExistsException; scheduled for deletion: InvalidRequestException.
        if exc.code not in {"ResourceExistsException", "InvalidRequestException"}:
            raise
        refused = exc
    if refused is None:
        state = read(sm, entry)
        if state is None:
            raise CloudError(ref, "ResourceNotFoundException", "the secret disappeared right after creation")
        return state
    found = _describe(sm, entry.secret_id, ref)
    if found is None:
        raise refused
    if "DeletedDate" in found:
        _restore(sm, found["ARN"], claim, ref)
    else:
        ownership.check(ref, ownership.owner_of(tagging.all_from_pairs(found.get("Tags", ()))), claim,
                        entry.secret_id)
    state = read(sm, entry)
    if state is None:
        raise CloudError(ref, "ResourceNotFoundException", "the secret disappeared right after creation")
    return update(sm, state, entry)


def _value(entry: SecretEntry) -> SecretValue:
    if entry.value is None:
        raise SpecError([Problem(f"secret[{entry.name}].value", "a new secret needs a value")])
    return entry.value


def _restore(sm: BaseClient, arn: str, claim: ownership.Claim, ref: str) -> None:
    """Cancel a scheduled deletion and make ``claim`` the secret's owner."""
    with translated(ref):
        sm.restore_secret(SecretId=arn)
        sm.tag_resource(SecretId=arn, Tags=tagging.to_pairs({ownership.OWNER_TAG: claim.owner}))


# --- update -----------------------------------------------------------------------------


def update(sm: BaseClient, current: SecretState, desired: SecretEntry) -> SecretState:
    """Apply in-place changes: description, tags, and the desired value (when given) as a new version."""
    validate(desired)
    changes = diff(current, desired)
    changes.require_in_place(_ref(desired))
    to_tag, to_untag = tagging.changes(current.spec.tags, desired.tags)
    masking = nullcontext() if desired.value is None else _REDACTOR.masking(desired.value)
    with translated(_ref(desired)), masking:
        if "description" in changes.changed:
            sm.update_secret(SecretId=current.arn, Description=desired.description)
        if to_tag:
            sm.tag_resource(SecretId=current.arn, Tags=tagging.to_pairs(to_tag))
        if to_untag:
            sm.untag_resource(SecretId=current.arn, TagKeys=to_untag)
        if desired.value is not None:
            sm.put_secret_value(SecretId=current.arn, SecretString=desired.value.reveal())
    state = read(sm, desired)
    if state is None:
        raise CloudError(_ref(desired), "ResourceNotFoundException", "the secret disappeared while updating")
    return state


# --- delete -----------------------------------------------------------------------------


def delete(sm: BaseClient, entry: SecretEntry) -> None:
    """Schedule the secret's deletion after its recovery window (restorable until then; see
    :mod:`pulumi_endpoints.cloud_defaults` for its range), or with ``force_delete`` delete it at once,
    for good. Deleting what is gone is not an error."""
    force = entry.force_delete
    problems = _recovery_problems(entry)
    if problems:
        raise SpecError(problems)
    found = _describe(sm, entry.secret_id, _ref(entry))
    if found is None or ("DeletedDate" in found and not force):
        return
    window: dict[str, Any] = ({"ForceDeleteWithoutRecovery": True} if force
                              else {"RecoveryWindowInDays": entry.recovery_window_days})
    with translated(_ref(entry)):
        sm.delete_secret(SecretId=found["ARN"], **window)


# --- import -----------------------------------------------------------------------------


def id_of(state: SecretState) -> str:
    """The id ``import_`` takes."""
    return state.spec.secret_id


def import_(sm: BaseClient, secret_id: str) -> SecretState:
    """Adopt an existing secret by name or ARN; named after it, its owner from the endpoint tag."""
    ref = f"secret {secret_id!r}"
    found = _describe(sm, secret_id, ref)
    if found is None or "DeletedDate" in found:
        raise CloudError(ref, "ResourceNotFoundException", "no such secret (or it is scheduled for deletion)")
    tags = tagging.from_pairs(found.get("Tags", ()))
    logical = SecretEntry(name=found["Name"], secret_id=found["Name"], description="", tags={},
                          owner=tags.get(TAG_ENDPOINT))
    return _state(found, logical)
