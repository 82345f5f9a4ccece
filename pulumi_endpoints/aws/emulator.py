"""A local AWS (moto's server on 127.0.0.1) seeded with what a workspace needs.

``endpoints emulator start`` runs the server as a detached background process,
seeds a VPC, subnets in three zones, an NFS security group, the IAM roles of
an EKS cluster and its nodes and the EKS cluster, and prints the environment to use;
``env`` prints it again, ``stop`` ends the server. The state (pid, port, seeded
ids) lives in a folder: ``.endpoints/emulator`` under the current directory by
default, or ``--dir`` / ``ENDPOINTS_EMULATOR_DIR``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..labels import cloud_tags
from . import tags as tagging
from .config import ENDPOINT_ENV, AwsConfig
from .errors import CloudError, translated
from .waiters import wait_for

DIR_ENV = "ENDPOINTS_EMULATOR_DIR"
DEFAULT_DIR = Path(".endpoints") / "emulator"
DEFAULT_REGION = "us-east-1"
HOST = "127.0.0.1"
CREDENTIALS = ("testing", "testing")
STATE_FILE = "emulator.json"
CIDR = "10.0.0.0/16"
NFS_PORT = 2049
KUBERNETES_VERSION = "1.31"
EKS_NODE_TRUST = {"Service": "ec2.amazonaws.com"}
EKS_CLUSTER_TRUST = {"Service": "eks.amazonaws.com"}


@dataclass(frozen=True)
class Emulator:
    pid: int
    port: int
    region: str
    seed: dict[str, Any]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return environment(self.url, self.region)

    @property
    def config(self) -> AwsConfig:
        return AwsConfig(region=self.region, endpoint_url=self.url, static_credentials=CREDENTIALS)


def environment(url: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """The variables that point the AWS SDKs (and so Terraform's providers) at the emulator at ``url``."""
    return {ENDPOINT_ENV: url, "AWS_ACCESS_KEY_ID": CREDENTIALS[0], "AWS_SECRET_ACCESS_KEY": CREDENTIALS[1],
            "AWS_DEFAULT_REGION": region}


# --- seed -------------------------------------------------------------------------------


def seed(config: AwsConfig, workspace: str = "default") -> dict[str, Any]:
    """Create a workspace's prerequisites; return their ids (JSON-ready)."""
    tags = cloud_tags(workspace, None)
    ec2, iam, eks = config.client("ec2"), config.client("iam"), config.client("eks")
    with translated(f"emulator workspace {workspace!r}"):
        vpc_id = ec2.create_vpc(CidrBlock=CIDR, TagSpecifications=_tag_spec("vpc", tags, workspace))["Vpc"]["VpcId"]
        zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"][:3]]
        subnet_ids = [
            ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{64 * i}.0/18", AvailabilityZone=zone,
                              TagSpecifications=_tag_spec("subnet", tags, f"{workspace}-{zone}"))["Subnet"]["SubnetId"]
            for i, zone in enumerate(zones)
        ]
        group_id = ec2.create_security_group(
            GroupName=f"{workspace}-nfs", Description="NFS from the workspace VPC to EFS mount targets",
            VpcId=vpc_id, TagSpecifications=_tag_spec("security-group", tags, f"{workspace}-nfs"),
        )["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": NFS_PORT, "ToPort": NFS_PORT, "IpRanges": [{"CidrIp": CIDR}],
        }])
        node_role_arn = _role(iam, f"{workspace}-eks-node", EKS_NODE_TRUST, tags)
        cluster_role_arn = _role(iam, f"{workspace}-eks-cluster", EKS_CLUSTER_TRUST, tags)
        cluster_name = f"{workspace}-eks"
        eks.create_cluster(
            name=cluster_name, version=KUBERNETES_VERSION, roleArn=cluster_role_arn, tags=tags,
            resourcesVpcConfig={"subnetIds": subnet_ids, "securityGroupIds": [group_id]},
        )
    return {
        "workspace": workspace,
        "region": config.region or DEFAULT_REGION,
        "vpc_id": vpc_id,
        "availability_zones": zones,
        "subnet_ids": subnet_ids,
        "security_group_id": group_id,
        "node_role_arn": node_role_arn,
        "cluster_role_arn": cluster_role_arn,
        "cluster_name": cluster_name,
    }


def _tag_spec(kind: str, tags: dict[str, str], name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tagging.to_pairs({**tags, tagging.NAME_TAG: name})}]


def _role(iam: Any, name: str, principal: dict[str, str], tags: dict[str, str]) -> str:
    trust = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
    return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust),
                           Tags=tagging.to_pairs(tags))["Role"]["Arn"])


# --- process ----------------------------------------------------------------------------


def start(state_dir: Path, *, port: int | None = None, region: str = DEFAULT_REGION,
          workspace: str = "default", timeout: float = 30.0) -> Emulator:
    """Start the server in the background and seed it; if one already runs there, return it."""
    running = load(state_dir)
    if running is not None:
        return running
    state_dir.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    with open(state_dir / "server.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    emulator = Emulator(pid=process.pid, port=port, region=region, seed={})
    try:
        wait_for(lambda: _answers(emulator.url) or process.poll() is not None, bool,
                 resource="emulator", what="answering", timeout=timeout, first_delay=0.1, max_delay=1.0)
        if process.poll() is not None:
            raise CloudError("emulator", "StartFailed", f"moto server exited with {process.returncode}",
                             hint=f"see {state_dir / 'server.log'}")
        emulator = Emulator(pid=process.pid, port=port, region=region,
                            seed=seed(emulator.config, workspace))
    except BaseException:
        process.terminate()
        raise
    (state_dir / STATE_FILE).write_text(json.dumps(asdict(emulator), indent=2) + "\n")
    return emulator


@contextmanager
def in_process() -> Iterator[str]:
    """moto's server in a thread of this process, on a free port, for tests and benchmarks; yields its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    # A client that drops its connection (a killed provider, a test's fault proxy) would make the
    # server print a traceback to this process's stderr, in the middle of whatever else writes there.
    server._server.handle_error = _log_dropped_request  # type: ignore[union-attr]
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.stop()


def _log_dropped_request(request: object, client_address: tuple[str, int]) -> None:
    logging.getLogger(__name__).debug("request from %s:%s failed", *client_address[:2], exc_info=True)


def reset(url: str) -> None:
    """Forget every resource the server at ``url`` holds."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()


def load(state_dir: Path) -> Emulator | None:
    """The emulator recorded in ``state_dir`` if its server still answers."""
    try:
        emulator = Emulator(**json.loads((state_dir / STATE_FILE).read_text()))
    except FileNotFoundError:
        return None
    return emulator if _alive(emulator.pid) and _answers(emulator.url) else None


def stop(state_dir: Path, timeout: float = 10.0) -> bool:
    """Stop the recorded server; False if none was recorded."""
    path = state_dir / STATE_FILE
    try:
        pid = Emulator(**json.loads(path.read_text())).pid
    except FileNotFoundError:
        return False
    if _alive(pid) and _is_moto(pid):
        os.kill(pid, signal.SIGTERM)
        try:
            wait_for(lambda: not _alive(pid), bool, resource="emulator", what="stopped",
                     timeout=timeout, first_delay=0.05, max_delay=0.5)
        except CloudError:
            os.kill(pid, signal.SIGKILL)
    path.unlink()
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/config", timeout=2):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _is_moto(pid: int) -> bool:
    """Guard against a recycled pid: only signal a moto server (where /proc tells)."""
    try:
        return b"moto" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


# --- command line -----------------------------------------------------------------------


def add_cli(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Register ``emulator start|stop|env`` with the ``endpoints`` command's ``add_parser``."""
    parser = add_parser("emulator", help="a local AWS emulator (moto) seeded for a workspace")
    commands = parser.add_subparsers(dest="emulator_command", required=True)
    for name, func, help_text in (
        ("start", _cmd_start, "start the emulator in the background, seed it, print its environment"),
        ("env", _cmd_env, "print the environment variables (and seeded ids with --json)"),
        ("stop", _cmd_stop, "stop the emulator"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--dir", type=Path, default=Path(os.environ.get(DIR_ENV, DEFAULT_DIR)),
                             help=f"state folder (default: ${DIR_ENV} or {DEFAULT_DIR})")
        if name != "stop":
            command.add_argument("--json", action="store_true", help="print JSON: env, seeded ids, pid, port")
        if name == "start":
            command.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
            command.add_argument("--region", default=DEFAULT_REGION)
            command.add_argument("--workspace", default="default", help="name used for the seeded resources")
        command.set_defaults(func=func)


def _cmd_start(args: argparse.Namespace) -> int:
    emulator = start(args.dir, port=args.port, region=args.region, workspace=args.workspace)
    _print(emulator, args.json)
    return 0


def _cmd_env(args: argparse.Namespace) -> int:
    emulator = load(args.dir)
    if emulator is None:
        print(f"no emulator running for {args.dir} (start one with: endpoints emulator start)", file=sys.stderr)
        return 1
    _print(emulator, args.json)
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    if not stop(args.dir):
        print(f"no emulator recorded in {args.dir}", file=sys.stderr)
    return 0


def _print(emulator: Emulator, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"env": emulator.env, "seed": emulator.seed, "pid": emulator.pid, "port": emulator.port},
                         indent=2))
    else:
        print("\n".join(f"export {key}={value}" for key, value in emulator.env.items()))
