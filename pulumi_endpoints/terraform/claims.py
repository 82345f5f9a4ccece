"""The claims of the creates in flight, kept in the configuration's Terraform data folder.

Terraform records nothing of a create whose provider dies mid-call, so the next apply
creates again. Before each create call the provider writes a random claim for the
object's identity into ``<TF_DATA_DIR or .terraform>/endpoints-claims.json``, and the
driver tags the object with it (see :mod:`pulumi_endpoints.aws.ownership`). The entry
is removed once the create has answered. When the next apply finds the object, it
adopts it only if the object carries the claim this folder wrote: no other
configuration, stack or person can have written that value. A folder that cannot be
written (or a fresh CI checkout) holds no claims: the create then fails with the
import command instead of adopting.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

from ..aws.ownership import Claim, owner_label

FILE_NAME = "endpoints-claims.json"
_LOCK = threading.Lock()


def _journal() -> Path:
    return Path(os.environ.get("TF_DATA_DIR") or ".terraform") / FILE_NAME


def _load(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save(path: Path, claims: dict[str, str]) -> None:
    try:
        if not claims:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(claims, indent=1, sort_keys=True))
        partial.replace(path)
    except OSError:
        pass  # no journal: an interrupted create will ask for an import instead of adopting


def claim(identity: str) -> Claim:
    """The claim for creating the object ``identity``: the one an interrupted create of it left
    (``resuming``), else a new one, recorded before the create call is made."""
    path = _journal()
    with _LOCK:
        claims = _load(path)
        if identity in claims:
            return Claim(claims[identity], resuming=True)
        owner = owner_label("terraform", Path.cwd().name, secrets.token_hex(8))
        _save(path, {**claims, identity: owner})
        return Claim(owner)


def settle(identity: str) -> None:
    """The create of ``identity`` answered (done, or refused): its claim is no longer needed."""
    path = _journal()
    with _LOCK:
        claims = _load(path)
        if claims.pop(identity, None) is not None:
            _save(path, claims)
