"""The CDK library the constructs build on, and the base classes of every typed construct.

cdktf 0.21 (archived by HashiCorp) and cdktn 0.24 (its maintained community fork) share one
model, so the same code runs on either: ``ENDPOINTS_CDK=cdktf|cdktn`` picks one, else the one
the program already imported, else whichever is installed (cdktf first).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any, ClassVar, TypedDict, Unpack

from constructs import Construct

LIBRARIES = ("cdktf", "cdktn")
CHOICE_ENV = "ENDPOINTS_CDK"


def _library() -> ModuleType:
    wanted = os.environ.get(CHOICE_ENV)
    if wanted and wanted not in LIBRARIES:
        raise ImportError(f"{CHOICE_ENV}={wanted!r}: expected one of {', '.join(LIBRARIES)}")
    candidates = [wanted] if wanted else [n for n in LIBRARIES if n in sys.modules] or list(LIBRARIES)
    for name in candidates:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError("cdktf_bindings needs cdktf or cdktn: pip install 'pulumi-endpoints[cdktf]' "
                      "or 'pulumi-endpoints[cdktn]'")


cdk: Any = _library()


class Meta(TypedDict, total=False):
    """Terraform meta-arguments, as the chosen library types them."""

    depends_on: Sequence[Any]
    count: Any
    for_each: Any
    lifecycle: Any
    provider: Any


def _set_arguments(element: Any, attributes: Mapping[str, Any]) -> None:
    """The arguments as given, unset ones left out. Overrides rather than a Python
    ``synthesize_attributes``: the JS side would call back into Python twice per synth."""
    for name, value in attributes.items():
        if value is not None:
            element.add_override(name, value)


@functools.cache
def _metadata(provider: str, version: str | None) -> Any:
    return cdk.TerraformProviderGeneratorMetadata(provider_name=provider, provider_version_constraint=version)


class _Element:
    """What a typed resource and a typed data source share: the init of their library base class
    (mixed in before it) with the element's Terraform type and provider."""

    terraform_type: ClassVar[str]
    provider_name: ClassVar[str]
    provider_version: ClassVar[str | None] = None

    def __init__(self, scope: Construct, id: str, attributes: Mapping[str, Any], **meta: Unpack[Meta]) -> None:
        super().__init__(scope, id, terraform_resource_type=self.terraform_type,  # type: ignore[call-arg]
                         terraform_generator_metadata=_metadata(self.provider_name, self.provider_version), **meta)
        _set_arguments(self, attributes)


class Resource(_Element, cdk.TerraformResource):
    """A resource of ``provider_name``, typed by its subclass."""


class DataSource(_Element, cdk.TerraformDataSource):
    """A data source of ``provider_name``, typed by its subclass."""


class Provider(cdk.TerraformProvider):
    """A provider configuration; it also declares the provider in ``required_providers``."""

    terraform_type: ClassVar[str]
    provider_source: ClassVar[str]
    provider_version: ClassVar[str | None] = None

    def __init__(self, scope: Construct, id: str, attributes: Mapping[str, Any], *, alias: str | None = None) -> None:
        super().__init__(scope, id, terraform_resource_type=self.terraform_type,
                         terraform_generator_metadata=_metadata(self.terraform_type, self.provider_version),
                         terraform_provider_source=self.provider_source)
        self._alias = alias
        _set_arguments(self, attributes)

    @property
    def alias(self) -> str | None:
        """The alias, as generated providers keep it: the library's own ``alias`` is a stub they
        override. Synth reads it through jsii for the ``alias`` argument and for the ``provider``
        reference (``endpoints.west``) of every element given this provider."""
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias = value
