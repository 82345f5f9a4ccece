"""The project's one error family.

Users' mistakes raise :class:`SpecError` with the field path of what is wrong
(``endpoints[0].autoscaling.qpm.max_replicas``); cloud failures raise
:class:`CloudError` (defined with the AWS drivers). Faces translate these at
their edge: the CLI prints one line and exits 1, Terraform turns them into
diagnostics with an attribute path.
"""

from __future__ import annotations

from dataclasses import dataclass


MAX_LISTED = 20


class EndpointsError(Exception):
    """Base class for every error this project raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a field path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SpecError(EndpointsError):
    """The input (a spec file, HCL attributes, Python arguments) is invalid."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return f"{prefix}{self.problems[0]}"
        lines = [f"{prefix}{len(self.problems)} problems"]
        lines += [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED} more")
        return "\n".join(lines)

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.problems]

    def with_source(self, source: str) -> "SpecError":
        return SpecError(self.problems, source=source)
