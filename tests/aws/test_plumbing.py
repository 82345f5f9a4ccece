"""Configuration, error mapping and waiting: what every driver relies on."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pulumi_endpoints.aws import node_pool, waiters
from pulumi_endpoints.aws.config import AwsConfig, _session
from pulumi_endpoints.aws.errors import CloudError, or_none, translated
from pulumi_endpoints.blueprint.model import MountTarget, NodePool, SecretEntry
from pulumi_endpoints.errors import EndpointsError


def test_importing_the_drivers_does_not_import_boto3() -> None:
    code = ("import sys, pulumi_endpoints.aws, pulumi_endpoints.aws.node_pool, pulumi_endpoints.aws.secret, "
            "pulumi_endpoints.aws.emulator; print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_endpoint_override_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    assert AwsConfig(region="eu-west-1").client("efs").meta.endpoint_url == "http://127.0.0.1:4566"
    explicit = AwsConfig(region="eu-west-1", endpoint_url="http://127.0.0.1:5000").client("efs")
    assert explicit.meta.endpoint_url == "http://127.0.0.1:5000"
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    real = AwsConfig(region="eu-west-1").client("eks")
    assert real.meta.endpoint_url == "https://eks.eu-west-1.amazonaws.com"
    assert real.meta.config.retries["mode"] == "standard"


def test_static_credentials_stay_out_of_reprs() -> None:
    assert "s3cr3t" not in repr(AwsConfig(static_credentials=("key", "s3cr3t")))


def test_default_tags_go_under_the_resource_tags() -> None:
    config = AwsConfig(default_tags={"cost-center": "ml", "workspace": "default"})
    entry = SecretEntry(name="t", secret_id="a/t", description="", tags={"workspace": "ws"})
    assert config.with_default_tags(entry).tags == {"cost-center": "ml", "workspace": "ws"}
    target = MountTarget(name="m", file_system="fs", subnet_id="subnet-1", security_group_ids=("sg-1",))
    assert config.with_default_tags(target) is target  # mount targets carry no tags


@pytest.mark.parametrize(("code", "hint"), [
    ("AccessDeniedException", "IAM policy"),
    ("LimitExceededException", "quota"),
    ("ResourceNotFoundException", "does not exist"),
    ("DependencyViolation", "in use"),
    ("ThrottlingException", "throttling after the retries"),
])
def test_client_errors_become_cloud_errors_with_a_hint(code: str, hint: str) -> None:
    with pytest.raises(CloudError) as err, translated("node pool 'chat'"):
        raise ClientError({"Error": {"Code": code, "Message": "AWS says no"}}, "CreateNodegroup")
    assert isinstance(err.value, EndpointsError)
    assert (err.value.resource, err.value.code, err.value.message) == ("node pool 'chat'", code, "AWS says no")
    assert hint in err.value.hint and str(err.value).startswith(f"node pool 'chat': {code}: AWS says no (hint: ")


def test_throttling_is_retried_before_it_becomes_an_error() -> None:
    requests: list[str] = []

    class Throttling(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'{"message": "Rate exceeded"}'
            self.send_response(429)
            self.send_header("x-amzn-ErrorType", "ThrottlingException")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Throttling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = AwsConfig(region="us-east-1", endpoint_url=f"http://127.0.0.1:{server.server_port}", max_attempts=2)
        with pytest.raises(CloudError) as err:
            node_pool.read(config.client("eks"), NodePool(
                name="chat", cluster_name="c", node_role_arn="r", subnet_ids=(), instance_types=(), ami_type="",
                capacity_type="SPOT", disk_size=1, min_size=0, max_size=1, desired_size=0, labels={}, taints=(),
                tags={}))
    finally:
        server.shutdown()
    assert len(requests) == 2  # the standard retry mode tried again before giving up
    assert err.value.code == "ThrottlingException" and "node pool 'chat'" in str(err.value)
    assert "parallelism" in err.value.hint


def test_waiter_backs_off_with_jitter_until_done(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("time.sleep", pauses.append)
    statuses = iter(["CREATING"] * 6 + ["ACTIVE"])
    assert waiters.wait_for(lambda: next(statuses), lambda s: s == "ACTIVE", resource="r", what="ACTIVE",
                            timeout=600, first_delay=2, max_delay=10) == "ACTIVE"
    assert len(pauses) == 6
    for pause, ceiling in zip(pauses, [2, 4, 8, 10, 10, 10], strict=True):
        assert ceiling / 2 <= pause <= ceiling
    assert len(set(pauses)) > 1


def test_waiter_gives_up_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    monkeypatch.setattr("time.sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    with pytest.raises(CloudError) as err:
        waiters.wait_for(lambda: "CREATING", lambda s: s == "ACTIVE", resource="node pool 'chat'",
                         what="ACTIVE", timeout=60)
    assert err.value.code == "Timeout" and "not ACTIVE after 60 s" in str(err.value)
    assert now[0] <= 60


def test_no_region_is_a_cloud_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(CloudError) as caught:
        AwsConfig().client("eks")
    assert caught.value.code == "NoRegionError" and "region" in caught.value.hint


def test_no_credentials_is_a_cloud_error_naming_the_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(key, raising=False)
    _session.cache_clear()  # sessions keep credentials they already found
    pool = NodePool(name="gpu", cluster_name="c", node_role_arn="arn:aws:iam::123456789012:role/r",
                    subnet_ids=("subnet-1",), instance_types=("m6i.large",), ami_type="AL2023_x86_64_STANDARD",
                    capacity_type="ON_DEMAND", disk_size=100, min_size=0, max_size=1, desired_size=0, labels={},
                    taints=(), tags={"managed-by": "pulumi-endpoints", "workspace": "w"})
    config = AwsConfig(region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)
    with pytest.raises(CloudError) as caught:
        node_pool.read(config.client("eks"), pool)
    assert caught.value.code == "NoCredentialsError" and "node pool 'gpu'" in str(caught.value)


@dataclass(frozen=True)
class _Efs:
    status: str


@pytest.mark.parametrize(("states", "code"), [
    ([_Efs("creating"), None], "AccessPointNotFound"),
    ([_Efs("creating"), _Efs("error")], "AccessPointError"),
])
def test_waiting_for_an_efs_resource_stops_when_it_vanishes_or_fails(
        monkeypatch: pytest.MonkeyPatch, states: list[_Efs | None], code: str) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)
    answers = iter(states)
    with pytest.raises(CloudError) as err:
        waiters.wait_available(lambda: next(answers), resource="access point 'a'", noun="access point",
                               code="AccessPoint", timeout=600)
    assert err.value.code == code


def test_or_none_is_none_only_when_aws_says_not_found() -> None:
    def answer(code: str) -> Any:
        raise ClientError({"Error": {"Code": code, "Message": "no"}}, "DescribeSecret")

    assert or_none("secret 's'", lambda: answer("ResourceNotFoundException")) is None
    with pytest.raises(CloudError):
        or_none("secret 's'", lambda: answer("AccessDeniedException"))
    assert or_none("secret 's'", lambda: {"Name": "s"}) == {"Name": "s"}


def test_calls_run_as_the_assumed_role(aws: AwsConfig) -> None:
    """``assume_role_arn``: STS AssumeRole with the chain's credentials, then every call as that role
    (the moto server answers as AWS does: the caller is the assumed-role session)."""
    role = aws.client("iam").create_role(RoleName="deployer", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    assumed = AwsConfig(region=aws.region, assume_role_arn=role)
    caller = assumed.shared_client("sts").get_caller_identity()["Arn"]
    assert caller.endswith(":assumed-role/deployer/pulumi-endpoints")
    assert aws.client("sts").get_caller_identity()["Arn"] != caller  # the chain's own identity is another
    assert assumed.shared_client("sts") is not aws.shared_client("sts")  # one client per identity


def test_an_unassumable_role_fails_with_the_aws_error(aws: AwsConfig) -> None:
    with pytest.raises(CloudError) as failed:
        AwsConfig(region=aws.region, assume_role_arn="not-an-arn").client("efs")
    assert "AWS efs client" in str(failed.value)


def test_parallel_first_calls_make_one_shared_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Terraform refreshes ten resources at once: the first calls wait for one client instead of
    each making its own (about 0.1 s of CPU each, the first one loading botocore's models)."""
    config = AwsConfig(region="us-east-1", endpoint_url="http://127.0.0.1:9", read_timeout=7.5)  # a key of its own
    made: list[str] = []
    real = AwsConfig.client

    def counted(self: AwsConfig, service: str) -> Any:
        made.append(service)
        return real(self, service)

    monkeypatch.setattr(AwsConfig, "client", counted)
    start = threading.Barrier(10)

    def first_call() -> Any:
        start.wait()
        return config.shared_client("eks")

    threads = [threading.Thread(target=first_call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == ["eks"]
