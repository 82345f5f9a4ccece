"""One lifecycle for every kind and every face: face values to the model and back, around the driver calls.

Face values are a mapping by face name (``file_system_id``) of plain values, as Terraform
state and Pulumi properties hold them: lists for sets, numbers possibly as floats, taints as
``key=value:Effect`` text or ``{key, value, effect}``; a value not known yet is None. The
Terraform resources and the Pulumi dynamic providers wrap :class:`Lifecycle` thinly: they add
their own state conventions and turn errors into diagnostics or exceptions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import time
import typing
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from ..blueprint.model import SecretValue, Taint
from ..errors import Problem, SpecError
from ..labels import TAG_ENDPOINT
from .config import AwsConfig
from .drivers import DRIVERS, Driver
from .ownership import Claim
from .policy import Diff, diff
from .schema import KINDS, Attribute, Kind, face_values

Values = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Lifecycle:
    """validate, diff, create, read, update, delete and import of one kind, in face values."""

    kind: Kind
    driver: Driver

    # -- mapping ------------------------------------------------------------------------------

    def model(self, values: Values) -> Any:
        """The model the values describe; what they leave out takes its declared default. The owner is
        the ``owner`` value (Pulumi's), else the endpoint tag."""
        args: dict[str, Any] = {}
        for attribute in self.kind.fields:
            value = values.get(attribute.face_name)
            if value is None and attribute.default_from:
                value = values.get(self.kind[attribute.default_from].face_name)
            if value is None:
                value = attribute.default
            if value is not None or not self._has_default(attribute.name):
                args[attribute.name] = _typed(self._hints[attribute.name], value, attribute)
        tags = args.get("tags") or {}
        args["owner"] = values.get("owner", tags.get(TAG_ENDPOINT))
        return self.kind.model(**args)

    def desired(self, values: Values, config: AwsConfig) -> Any:
        """The model to apply: the values' with the configuration's default tags under its own."""
        return config.with_default_tags(self.model(values))

    def values(self, remote: Any, prior: Values | None = None, *, text_taints: bool = True) -> dict[str, Any]:
        """Face values of a remote state: its model read back and its computed outputs.

        What AWS does not hold reads back as ``prior`` has it (a logical name, a deletion setting);
        a write-only value (a secret's) is kept while AWS's current version is the one the faces
        wrote last, else dropped so that the next diff writes the configured one again."""
        prior = prior or {}
        values = face_values(remote.spec, text_taints=text_taints)
        for attribute in self.kind.attributes:
            name = attribute.face_name
            if attribute.computed and name not in values:
                values[name] = getattr(remote, attribute.name)
            elif attribute.logical:
                values[name] = prior.get(name)
            elif self._write_only(attribute):
                values[name] = None if self._drifted(remote, prior) else prior.get(name)
        return {a.face_name: values[a.face_name] for a in self.kind.attributes}

    @functools.cached_property
    def _hints(self) -> dict[str, Any]:
        return typing.get_type_hints(self.kind.model)

    def _has_default(self, name: str) -> bool:
        field = next(f for f in dataclasses.fields(self.kind.model) if f.name == name)
        return field.default is not dataclasses.MISSING

    @staticmethod
    def _write_only(attribute: Attribute) -> bool:
        return attribute.sensitive and attribute.from_faces

    def _drifted(self, remote: Any, prior: Values) -> bool:
        """Whether an output an update changes (a secret's version id) differs from the last one the faces saw."""
        return any(prior.get(a.face_name) is not None and getattr(remote, a.name) != prior.get(a.face_name)
                   for a in self.kind.attributes if a.volatile)

    # -- lifecycle ----------------------------------------------------------------------------

    def diff(self, current: Values, new: Values, config: AwsConfig, unknown: Collection[str] = ()) -> Diff:
        """What an update changes, by attribute name; an unknown input (a preview's) counts as changed."""
        known = {**new, **{name: current.get(name) for name in unknown}}
        fields = {a.name for a in self.kind.attributes if a.face_name in unknown}
        return diff(self.kind.name, self.model(current), self.desired(known, config), unknown=fields)

    def validate(self, values: Values, config: AwsConfig) -> None:
        self.driver.validate(self.desired(values, config))

    def client(self, config: AwsConfig) -> Any:
        return config.shared_client(self.kind.service)

    def create(self, config: AwsConfig, values: Values, claim: Claim) -> Any:
        desired = self.desired(values, config)
        with self._logged("create", desired.name):
            return self.driver.create(self.client(config), desired, claim=claim)

    def read(self, config: AwsConfig, values: Values) -> Any | None:
        desired = self.desired(values, config)
        with self._logged("read", desired.name, level=logging.DEBUG):
            return self.driver.read(self.client(config), desired)

    def update(self, config: AwsConfig, current: Values, new: Values) -> Any | None:
        """The remote state after the update; None when the object is gone (deleted outside the tool)."""
        client = self.client(config)
        desired = self.desired(new, config)
        with self._logged("update", desired.name):
            remote = self.driver.read(client, self.desired(current, config))
            if remote is None:
                return None
            for attribute in self.kind.fields:  # a write-only value is sent when it changed or drifted
                unchanged = new.get(attribute.face_name) == current.get(attribute.face_name)
                if self._write_only(attribute) and unchanged and not self._drifted(remote, current):
                    desired = dataclasses.replace(desired, **{attribute.name: None})
            return self.driver.update(client, remote, desired)

    def delete(self, config: AwsConfig, values: Values) -> None:
        model = self.model(values)
        with self._logged("delete", model.name):
            self.driver.delete(self.client(config), model)

    def import_(self, config: AwsConfig, id: str) -> Any:
        with self._logged("import", id):
            return self.driver.import_(self.client(config), id)

    @contextlib.contextmanager
    def _logged(self, operation: str, name: str, level: int = logging.INFO) -> Iterator[None]:
        """One line when an operation starts (DEBUG) and one when it ends, with its duration: names
        only, never a value (the AWS calls inside are logged by :mod:`.call_log`)."""
        log = logging.getLogger(f"{__package__}.{self.kind.name}")
        what = f"{self.kind.name} {name!r}"
        log.debug("%s %s: started", operation, what)
        started = time.monotonic()
        try:
            yield
        except Exception as error:
            log.log(level, "%s %s: failed after %.1f s (%s)", operation, what, time.monotonic() - started,
                    type(error).__name__)
            raise
        log.log(level, "%s %s: done in %.1f s", operation, what, time.monotonic() - started)

    def id_of(self, remote: Any) -> str:
        return self.driver.id_of(remote)


LIFECYCLES: dict[str, Lifecycle] = {name: Lifecycle(kind, DRIVERS[name]) for name, kind in KINDS.items()}


def _typed(hint: Any, value: Any, attribute: Attribute) -> Any:
    """A face value as the model's field type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is int:
        return int(value or 0)
    if hint is bool:
        return bool(value)
    if hint is str:
        return value or ""
    if origin is tuple:
        if args[0] is Taint:
            return tuple(sorted((_taint(item, attribute) for item in value or ()), key=lambda t: t.text))
        return tuple(sorted(value or ()))
    if origin is dict:
        return dict(value or {})
    if SecretValue in args:
        return None if value is None else SecretValue(value)
    if float in args and value is not None:
        return float(value)
    return value


def _taint(item: Any, attribute: Attribute) -> Taint:
    if isinstance(item, Mapping):
        return Taint(**item)
    try:
        return Taint.from_text(item)
    except ValueError as error:
        raise SpecError([Problem(attribute.face_name, str(error))]) from None
