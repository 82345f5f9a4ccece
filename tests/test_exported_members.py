"""The public names of each package: listed literally in ``__all__`` (type checkers read it so), each
importable, and nothing public left out."""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from pathlib import Path

import pytest

PACKAGES = ["pulumi_endpoints", "pulumi_endpoints.component", "pulumi_endpoints.aws", "cdktf_bindings"]


def _literal_all(module: types.ModuleType) -> list[str]:
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))  # fails for anything but a literal list of strings
    raise AssertionError(f"{module.__name__} has no __all__")


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_literal_and_every_name_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = _literal_all(module)
    assert exported == list(module.__all__) and len(set(exported)) == len(exported)
    for member in exported:
        assert getattr(module, member) is not None, f"{name}.{member}"


@pytest.mark.parametrize("name", PACKAGES)
def test_no_public_name_is_left_out(name: str) -> None:
    module = importlib.import_module(name)
    public = {member for member, value in vars(module).items()
              if not member.startswith("_") and not isinstance(value, types.ModuleType)
              and member not in {"annotations", "TYPE_CHECKING", "Any", "importlib"}}
    assert public <= set(module.__all__), f"{name}: public but not in __all__: {sorted(public - set(module.__all__))}"
