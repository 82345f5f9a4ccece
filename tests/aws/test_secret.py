"""Secrets Manager driver against a moto server."""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import boto3
import pytest

from pulumi_endpoints.aws import secret
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.aws.lifecycle import LIFECYCLES
from pulumi_endpoints.blueprint.model import SecretValue
from pulumi_endpoints.blueprint.model import SecretEntry
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.labels import cloud_tags

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates

TOKEN = SecretValue("s3cr3t-token-value")
ROTATED = SecretValue('rotated "token" \\ ✓')


def token_entry(**changes: Any) -> SecretEntry:
    entry = SecretEntry(name="chat-token", secret_id="endpoints/ws/chat/token", description="access token of chat",
                        tags=cloud_tags("ws", "chat"), owner="chat")
    return dataclasses.replace(entry, **changes)


def current_value(entry: SecretEntry) -> str:
    return str(boto3.client("secretsmanager").get_secret_value(SecretId=entry.secret_id)["SecretString"])


@pytest.mark.e2e
def test_create_read_update_delete(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    entry = token_entry()
    created = secret.create(sm, dataclasses.replace(entry, value=TOKEN), claim=MINE)
    assert created.spec == entry and current_value(entry) == TOKEN.reveal()
    assert secret.diff(secret.read(sm, entry), entry).empty

    described = token_entry(description="rotated", tags={**entry.tags, "team": "ml"})
    retagged = secret.update(sm, created, described)
    assert retagged.spec == described and retagged.version_id == created.version_id  # no new version
    updated = secret.update(sm, retagged, dataclasses.replace(described, value=ROTATED))
    assert updated.version_id != created.version_id and current_value(entry) == ROTATED.reveal()
    assert secret.diff(secret.read(sm, entry), described).empty

    secret.delete(sm, entry)
    assert secret.read(sm, entry) is None
    secret.delete(sm, entry)  # already scheduled: not an error


def test_diff_replace_for_name_in_place_for_description() -> None:
    entry = token_entry()
    current = secret.SecretState(entry, arn="arn", version_id="4b1f0c1e-0000-4000-8000-000000000001")
    assert secret.diff(current, entry).empty
    assert secret.diff(current, token_entry(description="other")).changed == ("description",)
    assert secret.diff(current, token_entry(secret_id="endpoints/ws/chat/other")).replaces == ("secret_id",)


@pytest.mark.e2e
def test_repeated_create_adopts_instead_of_failing(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    first = secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    assert secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE).arn == first.arn
    again = secret.create(sm, dataclasses.replace(token_entry(), value=ROTATED), claim=MINE)
    assert again.arn == first.arn and current_value(token_entry()) == ROTATED.reveal()
    assert len(sm.list_secrets()["SecretList"]) == 1


@pytest.mark.e2e
def test_create_after_delete_restores_within_the_recovery_window(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    first = secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    secret.delete(sm, token_entry())
    again = secret.create(sm, dataclasses.replace(token_entry(), value=ROTATED), claim=MINE)
    assert again.arn == first.arn and current_value(token_entry()) == ROTATED.reveal()


@pytest.mark.e2e
def test_force_delete_removes_at_once(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    secret.delete(sm, dataclasses.replace(token_entry(), force_delete=True))
    assert sm.list_secrets(IncludePlannedDeletion=True)["SecretList"] == []


@pytest.mark.e2e
def test_value_changed_outside_shows_as_drift(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    written = secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE).version_id
    boto3.client("secretsmanager").put_secret_value(SecretId=token_entry().secret_id, SecretString="by hand")
    kept = LIFECYCLES["secret"].values(secret.read(sm, token_entry()), {"value": TOKEN.reveal(), "version_id": written})
    assert kept["value"] is None  # dropped: drift


@pytest.mark.e2e
def test_update_restores_a_value_changed_outside(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    boto3.client("secretsmanager").put_secret_value(SecretId=token_entry().secret_id, SecretString="by hand")
    state = secret.update(sm, secret.read(sm, token_entry()), dataclasses.replace(token_entry(), value=TOKEN))
    current = boto3.client("secretsmanager").get_secret_value(SecretId=token_entry().secret_id,
                                                               VersionStage="AWSCURRENT")
    assert current["SecretString"] == TOKEN.reveal()
    kept = LIFECYCLES["secret"].values(secret.read(sm, token_entry()),
                                       {"value": TOKEN.reveal(), "version_id": state.version_id})
    assert kept["value"] == TOKEN.reveal()


@pytest.mark.e2e
def test_read_costs_one_describe_and_never_reads_the_value(aws: AwsConfig, counted: Any) -> None:
    sm = aws.client("secretsmanager")
    secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    calls = counted(sm)
    secret.read(sm, token_entry())
    assert calls == {"DescribeSecret": 1}


@pytest.mark.e2e
def test_value_never_in_reprs_errors_or_logs(aws: AwsConfig, caplog: pytest.LogCaptureFixture) -> None:
    sm = aws.client("secretsmanager")
    with caplog.at_level(logging.DEBUG):
        state = secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
        secret.update(sm, state, dataclasses.replace(token_entry(), value=ROTATED))
        with pytest.raises(SpecError) as err:
            secret.create(sm, dataclasses.replace(token_entry(secret_id="bad name!"), value=TOKEN), claim=MINE)
    shown = " ".join([repr(state), str(state), repr(TOKEN), str(TOKEN), str(err.value), caplog.text])
    assert "botocore" in caplog.text  # the AWS calls were logged at DEBUG ...
    for value in (TOKEN.reveal(), ROTATED.reveal()):  # ... but no value, raw or JSON-escaped
        assert value not in shown and json.dumps(value)[1:-1] not in shown and "rotated" not in shown


@pytest.mark.e2e
def test_access_denied_is_a_clear_error(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    denied = {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}

    def deny(**_: Any) -> None:
        from botocore.exceptions import ClientError

        raise ClientError(denied, "CreateSecret")

    sm.meta.events.register("before-call.secrets-manager.CreateSecret", deny)
    with pytest.raises(CloudError) as err:
        secret.create(sm, dataclasses.replace(token_entry(), value=TOKEN), claim=MINE)
    assert err.value.code == "AccessDeniedException"
    assert "secret 'chat-token' (endpoints/ws/chat/token)" in str(err.value) and "IAM policy" in err.value.hint


def test_recovery_window_out_of_range_names_the_attribute() -> None:
    with pytest.raises(SpecError) as err:
        secret.validate(dataclasses.replace(token_entry(), value=TOKEN, recovery_window_days=3))
    assert err.value.paths == ["secret[chat-token].recovery_window_days"]
    assert "between 7 and 30 days" in str(err.value)
    with pytest.raises(SpecError):
        secret.delete(None, dataclasses.replace(token_entry(), recovery_window_days=31))  # refused before any AWS call


def test_held_value_is_dropped_when_aws_holds_another_version() -> None:
    """Nothing derived from the value is kept: AWS's current version id against the one written last."""
    state = secret.SecretState(token_entry(), arn="arn", version_id="4b1f0c1e-0000-4000-8000-000000000001")

    def held(value: str | None, written: str | None) -> str | None:
        return LIFECYCLES["secret"].values(state, {"value": value, "version_id": written})["value"]

    assert held(TOKEN.reveal(), "4b1f0c1e-0000-4000-8000-000000000001") == TOKEN.reveal()
    assert held(TOKEN.reveal(), "9d2e7a3b-0000-4000-8000-000000000002") is None
    assert held(TOKEN.reveal(), None) == TOKEN.reveal()  # just written
    assert held(None, None) is None
    assert not hasattr(secret, "version_id")
