"""The endpoint spec: models, shape catalog and loading."""

from .document import Document, load_file, parse_document, validate_model
from .endpoint import EndpointSpec
from .shapes import CATALOG, DEFAULT_SHAPE, Shape
from .workspace import WorkspaceSpec

__all__ = ["CATALOG", "DEFAULT_SHAPE", "Document", "EndpointSpec", "Shape", "WorkspaceSpec",
           "load_file", "parse_document", "validate_model"]
