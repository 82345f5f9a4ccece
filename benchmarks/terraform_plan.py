"""``terraform plan`` for 10, 50 and 100 endpoints against the emulator: wall time, and AWS calls
per managed resource per refresh (target 1.0).

Each endpoint has a node pool and a secret. AWS calls are counted by a small proxy between the
provider and the moto server. Run: .venv/bin/python benchmarks/terraform_plan.py [COUNTS...]
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from moto.server import ThreadedMotoServer

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, seed
from pulumi_endpoints.terraform.binary import terraform_binary
from pulumi_endpoints.terraform.install import cli_config, install

CONFIG = Path(__file__).parents[1] / "examples" / "terraform-many" / "main.tf"


class CountingProxy(ThreadingHTTPServer):
    """Forwards every request to moto and counts them."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.calls = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Forward)


class _Forward(BaseHTTPRequestHandler):
    server: CountingProxy

    def _forward(self) -> None:
        with self.server.lock:
            self.server.calls += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=60)
        upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
        response = upstream.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def terraform(workdir: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([terraform_binary(), *args, "-no-color", "-input=false"], cwd=workdir, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    counts = [int(n) for n in sys.argv[1:]] or [10, 50, 100]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    moto_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    proxy = CountingProxy(moto_port)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    seeded = seed(AwsConfig(region="us-east-1", endpoint_url=url, static_credentials=CREDENTIALS), "bench")
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"]}
    print(f"terraform: {terraform_binary()}")
    print(f"{'endpoints':>9}  {'resources':>9}  {'plan seconds':>12}  {'AWS calls':>9}  {'calls per resource':>18}")
    with tempfile.TemporaryDirectory() as folder:
        mirror = Path(folder) / "mirror"
        install(mirror)
        (mirror / "terraformrc").write_text(cli_config(mirror))
        env = {**os.environ, "TF_CLI_CONFIG_FILE": str(mirror / "terraformrc"), "AWS_ENDPOINT_URL": url,
               "AWS_ACCESS_KEY_ID": CREDENTIALS[0], "AWS_SECRET_ACCESS_KEY": CREDENTIALS[1],
               "AWS_DEFAULT_REGION": "us-east-1", "CHECKPOINT_DISABLE": "1"}
        workdir = Path(folder) / "work"
        workdir.mkdir()
        (workdir / "main.tf").write_text(CONFIG.read_text())
        terraform(workdir, env, "init")
        for count in counts:
            (workdir / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster,
                                                                      "count_of_endpoints": count}))
            terraform(workdir, env, "apply", "-auto-approve", "-parallelism=10")
            proxy.calls = 0
            seconds = terraform(workdir, env, "plan", "-parallelism=10", "-detailed-exitcode")
            resources = 2 * count
            print(f"{count:>9}  {resources:>9}  {seconds:>12.2f}  {proxy.calls:>9}  "
                  f"{proxy.calls / resources:>18.2f}")
    proxy.shutdown()
    moto.stop()


if __name__ == "__main__":
    main()
