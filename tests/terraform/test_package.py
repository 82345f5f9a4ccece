"""``endpoints terraform package`` as a CI runner uses it: the package served over HTTPS on 127.0.0.1
(a self-signed certificate, trusted through SSL_CERT_FILE) as a provider network mirror, ``terraform
init`` from it and a plan and apply of examples/terraform against the emulator, with the system
``/usr/bin/python3`` and no project venv on PATH. Building the package installs wheels from PyPI
(the package registries are reachable in CI)."""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import re
import shutil
import ssl
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import environment
from pulumi_endpoints.terraform import ADDRESS
from pulumi_endpoints.terraform.install import provider_version, target_platform
from pulumi_endpoints.terraform.package import package

from .harness import REGION, Terraform, copy_example, newest_terraform

pytestmark = pytest.mark.e2e
SYSTEM_PYTHON = Path("/usr/bin/python3")  # a stock interpreter: no pydantic, no boto3, no project


def _minor(python: Path) -> str:
    return subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()


needs_system_python = pytest.mark.skipif(
    not SYSTEM_PYTHON.exists() or _minor(SYSTEM_PYTHON) != f"{sys.version_info.major}.{sys.version_info.minor}",
    reason="needs /usr/bin/python3 of the same minor version as the test run (the package is built for it)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package")
    package(out, platforms=[target_platform()], log=lambda _: None)
    return out


@pytest.fixture(scope="module")
def served(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The package's folder over HTTPS on 127.0.0.1; the base URL and the certificate to trust."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handler = functools.partial(_Quiet, directory=str(built))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def runner(workdir: Path, url: str, cert: Path, moto_url: str) -> Terraform:
    """Terraform as a runner has it: the network mirror in its CLI configuration, /usr/bin and /bin
    on PATH (no venv, no pyenv), the certificate trusted."""
    config = workdir.parent / f"{workdir.name}.tfrc"
    config.write_text(f'provider_installation {{\n  network_mirror {{\n    url     = "{url}/mirror/"\n'
                      f'    include = ["{ADDRESS}"]\n  }}\n  direct {{\n    exclude = ["{ADDRESS}"]\n  }}\n}}\n')
    binary = shutil.which(newest_terraform()) or newest_terraform()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "SSL_CERT_FILE": str(cert),
           "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1",
           **environment(moto_url, REGION)}
    return Terraform(binary, workdir, env)


def archive_hashes(built: Path) -> set[str]:
    host, namespace, name = ADDRESS.split("/")
    index = json.loads((built / "mirror" / host / namespace / name / f"{provider_version()}.json").read_text())
    return set(index["archives"][target_platform()]["hashes"])


def locked_hashes(workdir: Path) -> set[str]:
    lock = (workdir / ".terraform.lock.hcl").read_text()
    block = lock[lock.index(f'provider "{ADDRESS}"'):]
    return set(re.findall(r'"((?:h1|zh):[^"]+)"', block[:block.index("\n}")]))


def test_the_archive_holds_a_launcher_and_the_libraries_per_python(built: Path) -> None:
    host, namespace, name = ADDRESS.split("/")
    zips = list((built / "mirror" / host / namespace / name).glob("*.zip"))
    assert [z.name for z in zips] == [f"terraform-provider-{name}_{provider_version()}_{target_platform()}.zip"]
    with zipfile.ZipFile(zips[0]) as archive:
        names = archive.namelist()
        launcher = archive.getinfo(f"terraform-provider-{name}_v{provider_version()}")
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert launcher.external_attr >> 16 & 0o111, "the launcher is executable"
    assert f"lib/python{minor}/pulumi_endpoints/terraform/__main__.py" in names
    assert any(n.startswith(f"lib/python{minor}/grpc/") for n in names)
    assert not any(n.startswith(f"lib/python{minor}/pulumi/") or "__pycache__" in n for n in names)
    registry = json.loads((built / ".well-known" / "terraform.json").read_text())
    assert registry == {"providers.v1": "/v1/providers/"}
    os_name, arch = target_platform().split("_")
    download = json.loads((built / "v1" / "providers" / namespace / name / provider_version() / "download" / os_name
                           / arch).read_text())
    assert (built / download["download_url"].lstrip("/")).is_file()
    assert (built / download["shasums_url"].lstrip("/")).read_text().startswith(download["shasum"])


def test_a_second_package_of_the_same_sources_has_the_same_hashes(built: Path, tmp_path: Path) -> None:
    package(tmp_path, platforms=[target_platform()], log=lambda _: None)
    assert archive_hashes(tmp_path) == archive_hashes(built)


@needs_system_python
def test_a_runner_installs_it_from_the_network_mirror_and_applies(
        served: tuple[str, Path], built: Path, tmp_path: Path, moto_url: str,
        emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    url, cert = served
    _, seeded = emulator
    workdir = tmp_path / "example"
    copy_example(workdir, seeded, moto_url, secret_values={"hf-token": "hf-pkg-canary", "workspace-token": "ws"})
    tf = runner(workdir, url, cert, moto_url)
    tf.run("init", "-input=false")
    h1 = next(h for h in archive_hashes(built) if h.startswith("h1:"))
    assert locked_hashes(workdir) == {h1}  # what Terraform computed from the archive it installed

    tf.run("providers", "lock", f"-net-mirror={url}/mirror/", f"-platform={target_platform()}", ADDRESS)
    assert locked_hashes(workdir) == {h1}

    tf.apply()
    code, out = tf.plan()
    assert code == 0 and "No changes" in out
    # running it left the installed package as locked (bytecode went elsewhere): init accepts it
    installed = next((workdir / ".terraform" / "providers").rglob("terraform-provider-endpoints_v*")).parent
    assert not list(installed.rglob("__pycache__"))
    tf.run("init", "-input=false")


def test_a_registry_package_signed_with_a_gnupg_key_verifies(built: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Terraform's registry protocol refuses unsigned SHA256SUMS: with --gpg-key the sums get a detached
    signature and the download answers carry the public key that checks it."""
    gpg = shutil.which("gpg")
    if gpg is None:
        pytest.skip("no gpg here")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run([gpg, "--batch", "--passphrase", "", "--quick-gen-key", "Provider Test <test@example.com>",
                    "ed25519", "sign", "1d"], check=True, capture_output=True)
    out = tmp_path / "signed"
    package(out, platforms=[target_platform()], gpg_key="test@example.com", log=lambda _: None)
    host, namespace, name = ADDRESS.split("/")
    os_name, arch = target_platform().split("_")
    download = json.loads((out / "v1" / "providers" / namespace / name / provider_version() / "download" / os_name
                           / arch).read_text())
    (key,) = download["signing_keys"]["gpg_public_keys"]
    assert key["ascii_armor"].startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----") and len(key["key_id"]) == 16
    sums = out / download["shasums_url"].lstrip("/")
    signature = out / download["shasums_signature_url"].lstrip("/")
    subprocess.run([gpg, "--batch", "--verify", str(signature), str(sums)], check=True, capture_output=True)
    assert archive_hashes(out) == archive_hashes(built)  # signing changes no archive


def test_hostile_options_fail_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi_endpoints.cli import main
    from pulumi_endpoints.errors import EndpointsError
    from pulumi_endpoints.terraform.package import _sign

    with pytest.raises(SystemExit) as usage:  # a usage error, as the CLI's parser exits: code 1
        main(["terraform", "package", "--out", str(tmp_path), "--python", "3.x; rm -rf /"])
    assert usage.value.code == 1
    assert "'3.x; rm -rf /' is not a Python version such as 3.12" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # nothing written
    monkeypatch.setenv("GNUPGHOME", str(tmp_path / "empty-gnupg"))
    (tmp_path / "empty-gnupg").mkdir(mode=0o700)
    sums = tmp_path / "SHA256SUMS"
    sums.write_text("x\n")
    if shutil.which("gpg"):
        with pytest.raises(EndpointsError, match="gpg could not sign with key 'nobody@example.com'"):
            _sign(sums, "nobody@example.com")
