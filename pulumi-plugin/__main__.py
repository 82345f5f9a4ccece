"""Serves the endpoints components to the Pulumi engine (the Python SDK's component provider host)."""

from pulumi_endpoints.component.multilang import main

if __name__ == "__main__":
    main()
