"""``endpoints logs``: the server container's log of each replica, prefixed with the replica."""

from __future__ import annotations

import queue
import re
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from .kube import CONTAINER, Cluster, ClusterError
from .replicas import pick

if TYPE_CHECKING:
    from kubernetes.client import V1ContainerStatus, V1Pod

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:\d+[smhd])+")


def duration_seconds(text: str) -> int:
    """``10m``, ``1h30m``, ``45s`` -> seconds (argparse type)."""
    import argparse

    if not _DURATION.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 30s, 10m, 1h30m or 2d")
    return sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"(\d+)([smhd])", text))


def show(cluster: Cluster, endpoint: str, *, replica: str | None = None, follow: bool = False,
         since_seconds: int | None = None, out: TextIO | None = None) -> int:
    pods = cluster.existing_pods(endpoint)
    if replica:
        pods = [pick(pods, endpoint, replica)]
    started = [p for p in pods if _started(p)]
    for pod in pods:
        if pod not in started:
            print(f"{pod.metadata.name}: no log yet ({_waiting_reason(pod)})", file=sys.stderr)
    if not started:
        raise ClusterError(f"no replica of {endpoint} has started yet, so there are no logs "
                           f"(see: endpoints status {endpoint})")
    names = [p.metadata.name for p in started]
    for name, line in _lines(cluster, names, follow, since_seconds):
        print(f"[{name}] {line}", file=out or sys.stdout, flush=follow)
    return 0


def _lines(cluster: Cluster, pods: list[str], follow: bool, since: int | None) -> Iterator[tuple[str, str]]:
    """Each replica's lines in turn, or interleaved as they arrive when following several."""
    if not follow or len(pods) == 1:
        for pod in pods:
            for line in cluster.log_lines(pod, follow=follow, since_seconds=since):
                yield pod, line
        return
    arrived: queue.Queue[tuple[str, str] | Exception | None] = queue.Queue()

    def pump(pod: str) -> None:
        try:
            for line in cluster.log_lines(pod, follow=True, since_seconds=since):
                arrived.put((pod, line))
        except Exception as error:  # handed to the main thread, which reports it
            arrived.put(error)
        finally:
            arrived.put(None)

    for pod in pods:
        threading.Thread(target=pump, args=(pod,), name=f"logs-{pod}", daemon=True).start()
    running = len(pods)
    while running:
        item = arrived.get()
        if item is None:
            running -= 1
        elif isinstance(item, Exception):
            raise item
        else:
            yield item


def _main_status(pod: V1Pod) -> V1ContainerStatus | None:
    statuses = (pod.status.container_statuses if pod.status else None) or []
    return next((s for s in statuses if s.name == CONTAINER), None)


def _started(pod: V1Pod) -> bool:
    status = _main_status(pod)
    if status is None:
        return False
    state, last = status.state, status.last_state
    return bool(state and (state.running or state.terminated) or last and last.terminated)


def _waiting_reason(pod: V1Pod) -> str:
    status = _main_status(pod)
    waiting = status.state.waiting if status is not None and status.state else None
    if waiting is not None and waiting.reason:
        return str(waiting.reason)
    return str(pod.status.phase if pod.status else "Pending")
