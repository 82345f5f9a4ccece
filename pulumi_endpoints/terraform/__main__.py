"""Entry point Terraform starts: ``python -m pulumi_endpoints.terraform``."""

from tf.runner import run_provider

from .provider import EndpointsProvider


def main() -> None:
    run_provider(EndpointsProvider())


if __name__ == "__main__":
    main()
