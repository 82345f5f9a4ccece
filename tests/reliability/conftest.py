"""Reliability tests reuse the Terraform e2e fixtures: the provider mirror and a seeded emulator."""

from __future__ import annotations

from terraform.conftest import emulator, mirror  # noqa: F401
