"""The ``endpoints`` command: validate, render, schema, shapes (and the local emulator)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from .errors import MAX_LISTED, EndpointsError, SpecError


def _validate(args: argparse.Namespace) -> int:
    from .blueprint import expand
    from .spec import load_file

    failed = False
    for file in args.files:
        try:
            blueprint = expand(load_file(file))
        except EndpointsError as error:
            _print_error(error, file)
            failed = True
            continue
        for finding in blueprint.findings:
            print(f"{file}: {finding}", file=sys.stderr)
        count = len(blueprint.endpoints)
        print(f"ok: {file} ({count} endpoint{'s' if count != 1 else ''}, "
              f"{len(blueprint.findings)} warning{'s' if len(blueprint.findings) != 1 else ''})")
    return 1 if failed else 0


def _render(args: argparse.Namespace) -> int:
    from . import render
    from .blueprint import expand
    from .spec import load_file

    stems = [Path(file).stem for file in args.files]
    clashes = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clashes:
        print(f"error: two files are named {clashes[0]}; render them separately", file=sys.stderr)
        return 1
    loaded = []
    for file in args.files:
        try:
            loaded.append((Path(file), expand(load_file(file))))
        except EndpointsError as error:
            _print_error(error, file)
            return 1
    for path, blueprint in loaded:
        folder = Path(args.out) / path.stem if len(loaded) > 1 or args.per_file else Path(args.out)
        for finding in blueprint.findings:
            print(f"{path}: {finding}", file=sys.stderr)
        written = render.write(blueprint, folder, args.format)
        print(f"rendered {path}: {len(blueprint.cloud)} cloud resources, "
              f"{len(blueprint.manifests)} manifests -> {', '.join(str(w) for w in written)}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .spec.schema import document_schema

    print(json.dumps(document_schema(), indent=2))
    return 0


def _shapes(args: argparse.Namespace) -> int:
    from .spec.shapes import CATALOG

    if args.refresh_prices:
        return _refresh_prices(args)
    header = ("shape", "instance", "vCPU", "memory", "GPUs", "per node", "USD/h per replica", "USD/h instance")
    rows = [header]
    for name, s in CATALOG.items():
        gpus = f"{s.gpu_count} x {s.gpu_model} {s.gpu_memory_gib}GB" if s.is_gpu else "-"
        rows.append((name, s.instance_type, f"{s.cpu:g}", f"{s.memory_gib:g} GiB", gpus,
                     str(s.replicas_per_node), f"{s.hourly_usd_per_replica:.4f}", f"{s.instance_hourly_usd:.4f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _refresh_prices(args: argparse.Namespace) -> int:
    """The catalog's shapes at today's EC2 prices, as a ``shapes:`` mapping for ``workspace.shapes``."""
    import yaml

    from .aws.config import AwsConfig
    from .aws.pricing import on_demand_prices, refreshed_shapes
    from .spec.shapes import CATALOG

    instances = {shape.instance_type for shape in CATALOG.values()}
    print(f"reading {len(instances)} instance prices in {args.region} from the AWS Price List Query API",
          file=sys.stderr)
    prices = on_demand_prices(AwsConfig(profile=args.profile), args.region, instances)
    source, shapes = refreshed_shapes(prices, args.region)
    text = f"# {source}\n# Use as workspace.shapes (or merge its shapes: into yours).\n" + yaml.safe_dump(
        {"shapes": shapes}, sort_keys=False)
    if args.out:
        Path(args.out).write_text(text)
        print(f"wrote {len(shapes)} shapes to {args.out}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _print_error(error: EndpointsError, file: str | None = None) -> None:
    """One line per problem: ``error: FILE: PATH: MESSAGE``."""
    if not isinstance(error, SpecError):
        text = str(error)
        print(f"error: {f'{file}: ' if file and not text.startswith(str(file)) else ''}{text}", file=sys.stderr)
        return
    source = file or error.source
    prefix = f"{source}: " if source else ""
    for problem in error.problems[:MAX_LISTED]:
        print(f"error: {prefix}{problem}", file=sys.stderr)
    if len(error.problems) > MAX_LISTED:
        print(f"error: {prefix}... and {len(error.problems) - MAX_LISTED} more problems", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1 like every other error: exit 2 means "changes" for `endpoints review`."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="endpoints", description="Dedicated inference endpoints as code.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check spec files (exit 0 valid, 1 invalid)")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(func=_validate)

    render = commands.add_parser("render", help="write cloud resource specs and Kubernetes manifests")
    render.add_argument("files", nargs="+", metavar="FILE")
    render.add_argument("--out", required=True, metavar="DIR")
    render.add_argument("--format", choices=("yaml", "json"), default="yaml")
    render.add_argument("--per-file", action="store_true", help="a sub-folder per file even for one file")
    render.set_defaults(func=_render)

    schema = commands.add_parser("schema", help="print the JSON Schema of spec files")
    schema.set_defaults(func=_schema)

    shapes = commands.add_parser("shapes", help="list resource shapes with their instances and prices")
    shapes.add_argument("--refresh-prices", action="store_true",
                        help="read today's EC2 On-Demand prices (AWS Price List Query API) and write the catalog's "
                             "shapes with them, for workspace.shapes")
    shapes.add_argument("--region", default="us-east-1", help="the region whose prices to read (default us-east-1)")
    shapes.add_argument("--profile", help="the AWS profile to read them with (default: the standard chain)")
    shapes.add_argument("--out", metavar="FILE", help="write there instead of standard output")
    shapes.set_defaults(func=_shapes)

    _add_emulator(commands.add_parser)
    from .terraform.install import add_cli as add_terraform

    add_terraform(commands.add_parser)
    _add_ops(commands.add_parser)
    _add_review(commands.add_parser)
    return parser


def _add_emulator(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    try:
        from .aws.emulator import add_cli
    except ImportError:
        return
    add_cli(add_parser)


def _add_ops(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    from .ops import add_cli

    add_cli(add_parser)


def _add_review(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    from .review.cli import add_cli

    add_cli(add_parser)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except EndpointsError as error:
        _print_error(error)
        return 1
    except BrokenPipeError:  # e.g. `endpoints schema | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
