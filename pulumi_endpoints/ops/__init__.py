"""Day-2 operations on a running endpoint: ``endpoints logs``, ``status`` and ``approve``; and
``endpoints doctor``, which checks the cluster has what endpoints need.

The commands talk to the cluster through the official ``kubernetes`` client (kubeconfig or
in-cluster config); it is imported only when a command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .kube import Cluster, ClusterError

__all__ = ["Cluster", "ClusterError", "add_cli"]


def _cluster(args: argparse.Namespace) -> Cluster:
    """The cluster, in the endpoint's own namespace (``<prefix>-<name>``) or, where the workspace
    keeps every endpoint in one namespace (isolation: shared), in that one."""
    from ..spec.workspace import WorkspaceSpec
    from .kube import connect, locate

    prefix = args.namespace or WorkspaceSpec.model_fields["namespace"].default
    return locate(connect(args.kubeconfig, args.context), prefix, args.name)


def _logs(args: argparse.Namespace) -> int:
    from .logs import show

    return show(_cluster(args), args.name, replica=args.replica, follow=args.follow, since_seconds=args.since)


def _status(args: argparse.Namespace) -> int:
    from . import status

    print(status.render(status.read(_cluster(args), args.name)))
    return 0


def _approve(args: argparse.Namespace) -> int:
    from .approve import approve

    if args.replica and args.all:
        raise ClusterError("name a replica or pass --all, not both")
    return approve(_cluster(args), args.name, args.replica, every=args.all)


def _doctor(args: argparse.Namespace) -> int:
    from ..blueprint import expand
    from ..spec import load_file
    from ..spec.workspace import WorkspaceSpec
    from . import doctor
    from .kube import Cluster, connect

    documents = [load_file(file) for file in args.files]
    expanded = [(expand(document), document.workspace) for document in documents]
    workspace = documents[0].workspace if documents else WorkspaceSpec()
    report = doctor.examine(Cluster(connect(args.kubeconfig, args.context), workspace.namespace), expanded)
    print(doctor.render(report, workspace))
    return 0 if report.ok else 1


def add_cli(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Register ``logs``, ``status``, ``approve`` and ``doctor`` on the ``endpoints`` command."""
    from .logs import duration_seconds

    cluster = argparse.ArgumentParser(add_help=False)
    cluster.add_argument("-n", "--namespace", metavar="NS",
                         help="the workspace's namespace setting (default: endpoints); the endpoint is looked up "
                              "in NS-NAME, then in NS")
    cluster.add_argument("--kubeconfig", metavar="FILE", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    cluster.add_argument("--context", help="kubeconfig context (default: the current context)")

    logs = add_parser("logs", parents=[cluster], help="print or follow the logs of an endpoint's replicas")
    logs.add_argument("name", metavar="NAME")
    logs.add_argument("--replica", metavar="R", help="one replica (pod name or its last part)")
    logs.add_argument("-f", "--follow", action="store_true", help="keep streaming new lines")
    logs.add_argument("--since", type=duration_seconds, metavar="DURATION", help="only lines newer than this: 10m, 1h")
    logs.set_defaults(func=_logs)

    status = add_parser("status", parents=[cluster], help="state, replicas, autoscaler and URL of an endpoint")
    status.add_argument("name", metavar="NAME")
    status.set_defaults(func=_status)

    approve = add_parser("approve", parents=[cluster], help="approve replicas that wait for approval")
    approve.add_argument("name", metavar="NAME")
    approve.add_argument("replica", nargs="?", metavar="REPLICA", help="pod name or its last part")
    approve.add_argument("--all", action="store_true", help="every replica waiting for approval")
    approve.set_defaults(func=_approve)

    doctor = add_parser("doctor", help="check the cluster has what the endpoints need (exit 0 all there, 1 not)")
    doctor.add_argument("files", nargs="*", metavar="FILE",
                        help="spec files whose needs to check (default: everything the endpoints can use)")
    doctor.add_argument("--kubeconfig", metavar="FILE", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    doctor.add_argument("--context", help="kubeconfig context (default: the current context)")
    doctor.set_defaults(func=_doctor)
