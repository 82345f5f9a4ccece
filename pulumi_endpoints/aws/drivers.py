"""The contract every cloud resource's driver keeps, and the registry of drivers by kind.

A driver is a module (:mod:`.node_pool`, :mod:`.file_system`, :mod:`.mount_target`,
:mod:`.access_point`, :mod:`.secret`) with the same seven calls for every kind: what is
kind-specific travels inside the model (the file system a mount target sits on, by id;
a secret's value and deletion settings). Calls return the remote state: the model as AWS
has it (``spec``) with the computed outputs as attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from . import access_point, file_system, mount_target, node_pool, secret
from .ownership import Claim
from .policy import Diff

if TYPE_CHECKING:
    from botocore.client import BaseClient


class Driver(Protocol):
    def validate(self, model: Any, /) -> None:
        """Raise SpecError for what AWS would refuse (checked before any call)."""

    def diff(self, current: Any, desired: Any, /) -> Diff:
        """What differs between the remote state and the desired model, per the policy table."""

    def read(self, client: BaseClient, model: Any, /) -> Any | None:
        """The remote state of the object ``model`` names, or None when it is gone."""

    def create(self, client: BaseClient, model: Any, /, *, claim: Claim) -> Any:
        """Create the object (adopting one only when ``claim`` proves it is this resource's)."""

    def update(self, client: BaseClient, current: Any, desired: Any, /) -> Any:
        """Apply in-place changes; a change that needs replacement is refused."""

    def delete(self, client: BaseClient, model: Any, /) -> None:
        """Delete the object and wait until it is gone; deleting what is gone is not an error."""

    def import_(self, client: BaseClient, id: str, /) -> Any:
        """The remote state of an existing object by the id :meth:`id_of` gives."""

    def id_of(self, state: Any, /) -> str:
        """The object's import id, which the faces use as their resource id."""


DRIVERS: Mapping[str, Driver] = {
    "node_pool": node_pool,
    "file_system": file_system,
    "mount_target": mount_target,
    "access_point": access_point,
    "secret": secret,
}
