"""``endpoints terraform package``: the provider as a release a CI runner installs with nothing but
a stock ``python3``.

Each archive (``terraform-provider-endpoints_<version>_<os>_<arch>.zip``) holds a launcher and, per
Python version, this package and the libraries the provider imports, installed for that platform
from PyPI at the versions installed here (so it runs what was tested). The launcher picks the folder
of the ``python3`` it finds (or ``ENDPOINTS_PYTHON``) and keeps bytecode out of the package
(Terraform checks the package's files against the lock file).

The output folder is a web root for both of Terraform's ways to install a provider from a server:

- ``mirror/``: the provider network mirror protocol (``<host>/<namespace>/<type>/index.json``,
  ``<version>.json`` with each archive's ``h1:`` and ``zh:`` hashes), beside the archives;
- the provider registry protocol (``.well-known/terraform.json``, ``v1/providers/…/versions``,
  ``…/download/<os>/<arch>``), pointing at the same archives, their ``SHA256SUMS`` and, given a GnuPG
  key, its detached signature (Terraform refuses a registry package without one).

Archives are built byte for byte the same from the same sources: files in sorted order, fixed
times and modes, no bytecode, no install-time records. ``h1:`` hashes cover the archive's contents
(the same wherever it is built); ``zh:`` hashes cover the archive itself, which also depends on zlib.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import distribution, requires
from pathlib import Path

from packaging.requirements import Requirement

from . import ADDRESS
from ..errors import EndpointsError
from .install import PLATFORMS, executable_name, provider_version

PROTOCOLS = ["6.0"]
# manylinux tags pip may pick per architecture: glibc 2.17 (manylinux2014) and 2.28 wheels.
WHEEL_TAGS = {"amd64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
              "arm64": ("manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_28_aarch64")}
# What only the Pulumi component needs; the provider never imports it.
PULUMI_ONLY = {"pulumi", "pulumi-kubernetes", "kubernetes"}
PACKAGE = "pulumi_endpoints"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

LAUNCHER = """#!/bin/sh
# Terraform provider "endpoints" (pulumi-endpoints) {version}: the Python provider on the libraries
# bundled here, run by ENDPOINTS_PYTHON or the python3 on PATH.
here=$(cd "$(dirname "$0")" && pwd)
python=${{ENDPOINTS_PYTHON:-python3}}
minor=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || {{
    echo "terraform-provider-{name}: cannot run $python (set ENDPOINTS_PYTHON)" >&2; exit 1; }}
if [ ! -d "$here/lib/python$minor" ]; then
    echo "terraform-provider-{name}: no libraries for Python $minor here; this package has:" \\
        $(ls "$here/lib") "(set ENDPOINTS_PYTHON to one of those)" >&2
    exit 1
fi
# Bytecode goes outside the package: Terraform checks the package's files against the lock file.
PYTHONPYCACHEPREFIX=${{PYTHONPYCACHEPREFIX:-${{TMPDIR:-/tmp}}/terraform-provider-{name}-pycache}} \\
PYTHONPATH="$here/lib/python$minor" exec "$python" -s -m pulumi_endpoints.terraform "$@"
"""


@dataclass(frozen=True)
class Archive:
    platform: str
    path: Path
    h1: str  # of its contents
    zh: str  # of the zip file


def package(out: Path, platforms: Sequence[str] = PLATFORMS, pythons: Sequence[str] = (),
            gpg_key: str | None = None, log: Callable[[str], None] = print) -> list[Archive]:
    """Build the archives into ``out`` and lay out both protocols; return the archives."""
    pythons = list(pythons) or [f"{sys.version_info.major}.{sys.version_info.minor}"]
    version = provider_version()
    host, namespace, name = ADDRESS.split("/")
    mirror = out / "mirror" / host / namespace / name
    mirror.mkdir(parents=True, exist_ok=True)
    requirements = pinned_requirements()
    archives = []
    for platform in platforms:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            for python in pythons:
                log(f"installing the provider's libraries for {platform}, Python {python}")
                _install(root / "lib" / f"python{python}", platform, python, requirements)
            launcher = root / executable_name(version)
            launcher.write_text(LAUNCHER.format(version=version, name=name))
            path = mirror / f"terraform-provider-{name}_{version}_{platform}.zip"
            _zip(root, path, executable=launcher.name)
        archives.append(Archive(platform, path, h1=_h1(path), zh=f"zh:{_sha256(path)}"))
        log(f"wrote {path} ({path.stat().st_size // 2**20} MiB)")
    _write_json(mirror / "index.json", {"versions": {version: {}}})
    _write_json(mirror / f"{version}.json", {"archives": {
        a.platform: {"url": a.path.name, "hashes": [a.h1, a.zh]} for a in archives}})
    _registry(out, namespace, name, version, archives, mirror, gpg_key)
    return archives


def pinned_requirements() -> list[str]:
    """The provider's dependencies and theirs, at the versions installed here (``name==version``)."""
    wanted = [Requirement(r) for r in requires("pulumi-endpoints") or [] if "extra ==" not in r]
    found: dict[str, str] = {}
    queue = [r for r in wanted if _canonical(r.name) not in PULUMI_ONLY]
    while queue:
        requirement = queue.pop()
        key = _canonical(requirement.name)
        if key in found or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        dist = distribution(requirement.name)
        found[key] = dist.version
        queue += [Requirement(r) for r in dist.requires or [] if "extra ==" not in r]
    return [f"{key}=={found[key]}" for key in sorted(found)]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _install(target: Path, platform: str, python: str, requirements: Iterable[str]) -> None:
    """The libraries for one platform and Python version, then this package's own files."""
    tags = [option for tag in WHEEL_TAGS[platform.split("_")[1]] for option in ("--platform", tag)]
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
               "--target", str(target), "--only-binary=:all:", "--implementation", "cp",
               "--python-version", python, *tags, *requirements]
    if subprocess.run(command).returncode != 0:
        raise EndpointsError(f"pip could not install the provider's libraries for {platform}, Python {python} "
                             "(its output is above)")
    for junk in (*target.glob("*.dist-info/direct_url.json"), *target.glob("*.dist-info/REQUESTED"),
                 *target.glob("*.dist-info/INSTALLER")):
        junk.unlink()
    shutil.rmtree(target / "bin", ignore_errors=True)
    source = Path(__file__).resolve().parents[1]
    shutil.copytree(source, target / PACKAGE, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    info = target / f"pulumi_endpoints-{provider_version()}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: pulumi-endpoints\nVersion: {provider_version()}\n")
    (info / "top_level.txt").write_text(f"{PACKAGE}\n")


def _zip(root: Path, path: Path, executable: str) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for file in files:
            name = file.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name == executable or file.suffix == ".so" else 0o644
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, file.read_bytes())


def _h1(path: Path) -> str:
    """Terraform's ``h1:`` hash of an archive: dirhash Hash1 (golang.org/x/mod/sumdb/dirhash) of its
    files, each ``sha256(contents)  name``, sorted by name."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
        summary = "".join(f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}\n" for name in names)
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n")


def _registry(root: Path, namespace: str, name: str, version: str, archives: list[Archive], mirror: Path,
              gpg_key: str | None) -> None:
    """The provider registry protocol's files at the web root, pointing at the mirror's archives."""
    base = root / "v1" / "providers" / namespace / name
    _write_json(root / ".well-known" / "terraform.json", {"providers.v1": "/v1/providers/"})
    _write_json(base / "versions", {"versions": [{"version": version, "protocols": PROTOCOLS, "platforms": [
        {"os": a.platform.split("_")[0], "arch": a.platform.split("_")[1]} for a in archives]}]})
    sums_name = f"terraform-provider-{name}_{version}_SHA256SUMS"
    sums = mirror / sums_name
    sums.write_text("".join(f"{a.zh.removeprefix('zh:')}  {a.path.name}\n" for a in archives))
    keys = _sign(sums, gpg_key) if gpg_key else []
    served = "/" + mirror.relative_to(root).as_posix()  # where the archives are, from the web root
    for a in archives:
        os_name, arch = a.platform.split("_")
        _write_json(base / version / "download" / os_name / arch, {
            "protocols": PROTOCOLS, "os": os_name, "arch": arch, "filename": a.path.name,
            "download_url": f"{served}/{a.path.name}", "shasums_url": f"{served}/{sums_name}",
            "shasums_signature_url": f"{served}/{sums_name}.sig", "shasum": a.zh.removeprefix("zh:"),
            "signing_keys": {"gpg_public_keys": keys}})


def _sign(sums: Path, key: str) -> list[dict[str, str]]:
    """A detached signature of the SHA256SUMS file, and the public key that checks it."""
    def gpg(*args: str) -> str:
        try:
            done = subprocess.run(["gpg", "--batch", *args], capture_output=True, text=True)
        except FileNotFoundError:
            raise EndpointsError("--gpg-key needs gpg, which is not on PATH") from None
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
            raise EndpointsError(f"gpg could not sign with key {key!r}: {lines[-1]}")
        return done.stdout

    gpg("--yes", "--local-user", key, "--output", f"{sums}.sig", "--detach-sign", str(sums))
    key_id = next(line.split(":")[4] for line in gpg("--with-colons", "--list-keys", key).splitlines()
                  if line.startswith("pub:"))
    return [{"key_id": key_id, "ascii_armor": gpg("--armor", "--export", key)}]
