"""Fixtures of the examples' tests: real Terraform and the moto server, shared with the provider's tests."""

from terraform.conftest import emulator, mirror  # noqa: F401
