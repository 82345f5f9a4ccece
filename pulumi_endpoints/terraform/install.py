"""``endpoints terraform install``: lay the provider out as a filesystem mirror for offline ``init``.

The launcher is the same file on every machine (the lock file records its hash,
and a hash that differed per machine would break ``terraform init`` for the
next person): it reads the Python interpreter from ``<mirror>/.python``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import platform
import re
import sys
from importlib.metadata import version
from pathlib import Path

from . import ADDRESS
from .moves import add_cli as add_moves

PLATFORMS = ("linux_amd64", "linux_arm64")

LAUNCHER = """#!/bin/sh
# Terraform provider "endpoints" (pulumi-endpoints): runs the Python provider.
# The interpreter comes from ENDPOINTS_PYTHON or the mirror's .python file.
self=$(readlink -f "$0" 2>/dev/null || echo "$0")
mirror=$(cd "$(dirname "$self")/../../../../.." 2>/dev/null && pwd)
python=${ENDPOINTS_PYTHON:-$(cat "$mirror/.python" 2>/dev/null)}
exec "${python:-python3}" -m pulumi_endpoints.terraform "$@"
"""


def provider_version() -> str:
    return version("pulumi-endpoints")


def executable_name(release: str) -> str:
    """The provider's executable, as Terraform looks for it in an installed package."""
    return f"terraform-provider-{ADDRESS.rsplit('/', 1)[-1]}_v{release}"


def target_platform() -> str:
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    return f"{platform.system().lower()}_{machine}"


def install(mirror: Path, python: str = sys.executable) -> Path:
    """Write the launcher into ``mirror`` and, next to it, the Terraform CLI configuration that
    installs the provider from there (``terraformrc``); return that configuration's path."""
    mirror = mirror.resolve()
    host, namespace, name = ADDRESS.split("/")
    release = provider_version()
    folder = mirror / host / namespace / name / release / target_platform()
    folder.mkdir(parents=True, exist_ok=True)
    launcher = folder / executable_name(release)
    launcher.write_text(LAUNCHER)
    launcher.chmod(0o755)
    (mirror / ".python").write_text(python + "\n")
    config = mirror / "terraformrc"
    config.write_text(_cli_config(mirror))
    return config


def _cli_config(mirror: Path) -> str:
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror.resolve()}"\n'
        f'    include = ["{ADDRESS}"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{ADDRESS}"]\n'
        "  }\n"
        "}\n"
    )


def run(args: argparse.Namespace) -> int:
    config = install(Path(args.dir))
    print(f"installed {ADDRESS} {provider_version()} in {config.parent}", file=sys.stderr)
    print(f"CLI configuration written to {config}; use it with:", file=sys.stderr)
    print(f"export TF_CLI_CONFIG_FILE={config}")
    return 0


def add_cli(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    terraform = add_parser("terraform", help="the Terraform provider")
    actions = terraform.add_subparsers(dest="action", required=True, metavar="ACTION")
    install_cmd = actions.add_parser("install", help="install the provider as a filesystem mirror for offline init")
    install_cmd.add_argument("--dir", default=str(Path.home() / ".terraform.d" / "endpoints-mirror"),
                             help="mirror folder (default ~/.terraform.d/endpoints-mirror)")
    install_cmd.set_defaults(func=run)
    package_cmd = actions.add_parser(
        "package", help="build the provider for CI runners and private registries: archives with their "
                        "libraries, laid out as a network mirror and a provider registry")
    package_cmd.add_argument("--out", required=True, metavar="DIR", help="the folder to serve over HTTPS")
    package_cmd.add_argument("--platform", action="append", choices=PLATFORMS, metavar="OS_ARCH",
                             help=f"repeatable; default: {', '.join(PLATFORMS)}")
    package_cmd.add_argument("--python", action="append", metavar="X.Y", type=_python_version,
                             help="Python version the runners have, repeatable (default: this one's); the "
                                  "launcher picks the libraries of the python3 it finds")
    package_cmd.add_argument("--gpg-key", metavar="KEY", help="GnuPG key that signs SHA256SUMS (the registry "
                                                               "protocol needs a signature; the mirror does not)")
    package_cmd.set_defaults(func=_package)
    add_moves(actions.add_parser)


def _python_version(text: str) -> str:
    if not re.fullmatch(r"3\.[0-9]{1,2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Python version such as 3.12")
    return text


def _package(args: argparse.Namespace) -> int:
    from .package import package

    out = Path(args.out)
    archives = package(out, args.platform or PLATFORMS, args.python or (), args.gpg_key,
                       log=lambda line: print(line, file=sys.stderr))
    for archive in archives:
        print(f"{archive.platform}: {archive.h1} {archive.zh}")
    print(f"serve {out} over HTTPS; network mirror url: https://<host>/mirror/", file=sys.stderr)
    return 0
