"""Provider start-up: time from process start to Terraform's handshake line, ours vs a minimal
``tf`` provider with one trivial resource (and one that reads a secret, for benchmarks/terraform_plan.py),
measured alternately in the same run.

Target: ours within 1.25x of the minimal one. Run: .venv/bin/python benchmarks/provider_startup.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = '''
import threading

from tf import types
from tf.iface import Resource
from tf.runner import run_provider
from tf.schema import Attribute, Schema


class Thing(Resource):
    def __init__(self, provider):
        self.provider = provider

    @classmethod
    def get_name(cls):
        return "thing"

    @classmethod
    def get_schema(cls):
        return Schema(version=1, attributes=[Attribute("name", types.String(), required=True)])

    def create(self, ctx, planned):
        return planned

    def read(self, ctx, current):
        return current

    def update(self, ctx, current, planned):
        return planned

    def delete(self, ctx, current):
        return None


class SecretRead(Thing):
    """A refresh with one AWS call, as each of the project's resources makes: DescribeSecret of its
    name, through one botocore client (imported at the first read; AWS_ENDPOINT_URL honoured)."""

    client = None
    made = threading.Lock()

    @classmethod
    def get_name(cls):
        return "secret_read"

    def read(self, ctx, current):
        with SecretRead.made:
            if SecretRead.client is None:
                import botocore.session

                SecretRead.client = botocore.session.get_session().create_client("secretsmanager")
        SecretRead.client.describe_secret(SecretId=current["name"])
        return current


class Minimal:
    def get_model_prefix(self):
        return "minimal_"

    def full_name(self):
        return "registry.terraform.io/example/minimal"

    def get_provider_schema(self, diags):
        return Schema(attributes=[])

    def validate_config(self, diags, config):
        pass

    def configure_provider(self, diags, config):
        pass

    def get_data_sources(self):
        return []

    def get_resources(self):
        return [Thing, SecretRead]

    def get_functions(self):
        return []

    def new_resource(self, klass):
        return klass(self)


run_provider(Minimal())
'''

ENV = {"TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
       "PLUGIN_PROTOCOL_VERSIONS": "6", "PATH": "/usr/bin:/bin"}


def handshake_seconds(command: list[str]) -> float:
    """Seconds until the provider prints its go-plugin handshake line."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.kill()
    process.wait()
    if not line.startswith("1|6|"):
        raise RuntimeError(f"{command}: no handshake, got {line!r}")
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as folder:
        minimal_script = Path(folder) / "minimal_provider.py"
        minimal_script.write_text(MINIMAL)
        minimal = [sys.executable, str(minimal_script)]
        ours = [sys.executable, "-m", "pulumi_endpoints.terraform"]
        handshake_seconds(minimal), handshake_seconds(ours)  # warm the OS file cache and the TLS cert cache
        times: dict[str, list[float]] = {"minimal": [], "endpoints": []}
        for _ in range(rounds):
            times["minimal"].append(handshake_seconds(minimal))
            times["endpoints"].append(handshake_seconds(ours))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["endpoints"] / medians["minimal"]
    print(f"rounds:                   {rounds}")
    print(f"minimal tf provider:      {medians['minimal']:.3f} s (median)")
    print(f"endpoints provider:       {medians['endpoints']:.3f} s (median)")
    print(f"ratio:                    {ratio:.2f}x  (target <= 1.25x)")


if __name__ == "__main__":
    main()
