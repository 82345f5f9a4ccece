"""The JSON Schema of spec files (both forms: ``endpoints: [...]`` or one endpoint at the top)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .endpoint import EndpointSpec
from .workspace import WorkspaceSpec


class _ManyEndpoints(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Workspace with endpoints")
    workspace: WorkspaceSpec | None = Field(default=None, description="The workspace the endpoints belong to")
    endpoints: list[EndpointSpec] = Field(description="The endpoints of the workspace")


class _OneEndpoint(EndpointSpec):
    model_config = ConfigDict(title="One endpoint")
    workspace: WorkspaceSpec | None = Field(default=None, description="The workspace the endpoint belongs to")


def document_schema() -> dict[str, Any]:
    schema = TypeAdapter(_ManyEndpoints | _OneEndpoint).json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Dedicated endpoints spec"
    return schema
