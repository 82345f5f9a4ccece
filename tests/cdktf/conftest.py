"""cdktf 0.21 and cdktn 0.24, both in one process: each test runs once per installed library.

``cdktf_bindings`` picks its library at import (``ENDPOINTS_CDK``); the ``bindings`` fixture
imports a fresh copy of the package per library, so the same construct code is tested on both.
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

import pytest
from cdktf_testing import LIBRARIES, load_bindings

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(params=LIBRARIES, scope="session")
def bindings(request: pytest.FixtureRequest) -> ModuleType:
    library = request.param
    if importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is not installed (pip install 'pulumi-endpoints[{library}]')")
    module = load_bindings(library)
    assert module.cdk.__name__ == library
    return module
